import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEvent, sampleBody, urlEvent } from './support/fixtures';
import { captureOutput, jsonLines } from './support/output';
import { testReceiver } from './support/receiver';

/**
 * The 5xx and archive alarms count log lines matching the metric filters serverless.yml gives
 * both log groups. Each pattern tests one field of a JSON line (a number's threshold, or a flag);
 * these tests hold the handler's log lines to them: one matching line per 5xx answer (per archive
 * failure), none for any other answer or line.
 */
const yml = readFileSync(join(__dirname, '..', 'serverless.yml'), 'utf8');
const patterns = [...yml.matchAll(/FilterPattern: '(.*)'/g)].map((m) => m[1]);

function matches(pattern: string, line: Record<string, unknown>): boolean {
  const [, flag] = /^\{ \$\.(\w+) IS TRUE \}$/.exec(pattern) ?? [];
  if (flag) return line[flag] === true;
  const [, field, threshold] = /^\{ \$\.(\w+) >= (\d+) \}$/.exec(pattern) ?? [];
  if (!field) throw new Error(`not a pattern this test reads: ${pattern}`);
  return typeof line[field] === 'number' && (line[field] as number) >= Number(threshold);
}

const SERVER_ERRORS = '{ $.status >= 500 }';
const ARCHIVE_FAILURES = '{ $.archiveFailed IS TRUE }';

test('both functions count 5xx answers and archive failures with the same filters', () => {
  expect(patterns).toEqual([SERVER_ERRORS, SERVER_ERRORS, ARCHIVE_FAILURES, ARCHIVE_FAILURES]);
});

test.each(['INFO', 'WARN', 'ERROR'])('at LOG_LEVEL=%s, exactly one line per 5xx answer matches the filter', async (level) => {
  const healthy = testReceiver({ CALLBACK_TOKEN: 'token-0123456789abcdefgh' });
  const archiveDown = testReceiver({}, (deps) => {
    deps.archive = { name: 'broken', put: () => Promise.reject(new Error('disk full')) };
  });
  const sinkDown = testReceiver({}, (deps) => {
    deps.sinks.push({ name: 'broken', send: () => Promise.reject(new Error('connection refused')) });
  });
  const { result, lines } = await captureOutput(
    async () => [
      await healthy.handler(urlEvent(sampleBody('task-watermark-xml'), { query: 'token=token-0123456789abcdefgh' })),
      await healthy.handler(urlEvent(sampleBody('task-watermark-xml'), { query: 'token=wrong' })),
      await healthy.handler(urlEvent(sampleBody('bad-truncated-xml'), { query: 'token=token-0123456789abcdefgh' })),
      // A refused body whose archive fails is 503 (a stored one would be 200, kept in the log).
      await archiveDown.handler(loadEvent('bad-truncated-xml')),
      await sinkDown.handler(loadEvent('workflow-xml')),
    ],
    level,
  );
  expect(result.map((r) => r.statusCode)).toEqual([200, 401, 400, 503, 503]);
  const matching = jsonLines(lines).filter((line) => matches(SERVER_ERRORS, line));
  expect(matching.map((line) => line.code)).toEqual(['archive_failed', 'forward_failed']);
});

test.each(['INFO', 'WARN', 'ERROR'])(
  'at LOG_LEVEL=%s, exactly one line per archive failure matches its filter: a stored callback (200), a refused one, one no sink stored (503)',
  async (level) => {
    const healthy = testReceiver();
    const archiveDown = testReceiver({}, (deps) => {
      deps.archive = { name: 'broken', put: () => Promise.reject(new Error('disk full')) };
    });
    const allDown = testReceiver({}, (deps) => {
      deps.archive = { name: 'broken', put: () => Promise.reject(new Error('disk full')) };
      deps.sinks.push({ name: 'broken', send: () => Promise.reject(new Error('connection refused')) });
    });
    const { result, lines } = await captureOutput(
      async () => [
        await healthy.handler(loadEvent('task-watermark-xml')),
        await archiveDown.handler(loadEvent('workflow-xml')),
        await archiveDown.handler(loadEvent('bad-truncated-xml')),
        await allDown.handler(loadEvent('workflow-xml')),
      ],
      level,
    );
    expect(result.map((r) => r.statusCode)).toEqual([200, 200, 503, 503]);
    const matching = jsonLines(lines).filter((line) => matches(ARCHIVE_FAILURES, line));
    expect(matching.map((line) => [line.message, line.kept])).toEqual(
      Array(3).fill(['archive failed; raw request kept in the function log', expect.stringMatching(/^log:/)]),
    );
  },
);
