import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCallbackHandler } from '../lib/callback-handler';
import { loadConfig } from '../lib/config';
import { createDeps, type ReceiverDeps } from '../lib/receiver-deps';
import { replayArchive } from '../lib/replay/replay';
import { handler as taskCallback } from '../handlers/task-callback';
import { handler as workflowCallback } from '../handlers/workflow-callback';
import { loadEvent, sampleBody, urlEvent } from './support/fixtures';
import { testReceiver } from './support/receiver';

const body = (res: { body?: string }) => JSON.parse(res.body ?? '');

describe('responses of the callback handler', () => {
  test('200 reports how many events were accepted and their ids, and the file sink holds them', async () => {
    const receiver = testReceiver();
    const res = await receiver.handler(loadEvent('task-watermark-xml'));
    expect(res.statusCode).toBe(200);
    const events = receiver.events();
    expect(events).toHaveLength(1);
    expect(body(res)).toEqual({ accepted: 1, ids: [events[0].id] });
    expect(events[0].subject).toBe('j515a494af86111ecb8546d80f2baf56f');
  });

  test('a base64 body and a mislabelled Content-Type are read from the body itself', async () => {
    const receiver = testReceiver();
    const answers = [
      await receiver.handler(loadEvent('task-watermark-xml-base64')),
      await receiver.handler(urlEvent(sampleBody('task-watermark-json'), { contentType: 'application/xml' })),
      await receiver.handler(urlEvent(sampleBody('task-watermark-xml'), { contentType: 'text/plain' })),
    ];
    const ids = answers.flatMap((res) => body(res).ids);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
    // The same event three times: the file sink stores it once.
    expect(receiver.events().map((e) => e.id)).toEqual([ids[0]]);
  });

  test.each([
    ['bad-doc-sample-tts-json', 'malformed_body'],
    ['bad-doc-sample-words-json', 'malformed_body'],
    ['bad-truncated-xml', 'malformed_body'],
    ['bad-dtd', 'malformed_body'],
    ['bad-empty-body', 'malformed_body'],
    ['bad-workflow-template-no-runid', 'missing_id'],
  ])('%s gets 400 %s, writes no event, and is archived byte for byte', async (sample, code) => {
    const receiver = testReceiver();
    const event = loadEvent(sample);
    const res = await receiver.handler(event);
    expect(res.statusCode).toBe(400);
    expect(body(res).error.code).toBe(code);
    expect(body(res).error.message).toEqual(expect.any(String));
    expect(receiver.events()).toEqual([]);
    expect(receiver.archived().map((r) => r.body)).toEqual([event.body ?? '']);
  });

  test('an unknown EventName gets 400 unsupported_event', async () => {
    const res = await testReceiver().handler(urlEvent('<Response><EventName>ReviewHologram</EventName><JobsDetail><JobId>a</JobId></JobsDetail></Response>'));
    expect([res.statusCode, body(res).error.code]).toEqual([400, 'unsupported_event']);
  });

  test.each(['GET', 'PUT', 'DELETE'])('%s gets 405 with an Allow header', async (method) => {
    const res = await testReceiver().handler(urlEvent('', { method }));
    expect(res.statusCode).toBe(405);
    expect(res.headers?.allow).toBe('POST');
    expect(body(res).error.code).toBe('method_not_allowed');
  });

  test('a body over CALLBACK_MAX_BYTES gets 413, and is still archived', async () => {
    const receiver = testReceiver({ CALLBACK_MAX_BYTES: '1000' });
    const big = sampleBody('task-tts-xml');
    expect(Buffer.byteLength(big)).toBeGreaterThan(1000);
    const res = await receiver.handler(urlEvent(big));
    expect([res.statusCode, body(res).error.code]).toEqual([413, 'payload_too_large']);
    // Archived whole, not cut at the limit: raise the limit, then replay it.
    expect(receiver.archived().map((r) => r.body)).toEqual([big]);
    const underLimit = await receiver.handler(urlEvent(sampleBody('task-watermark-xml')));
    expect(underLimit.statusCode).toBe(200);
  });

  test('a base64 body with line breaks is measured by what it decodes to, not by its length with the breaks', async () => {
    const xml = sampleBody('task-watermark-xml');
    const bytes = Buffer.byteLength(xml);
    const receiver = testReceiver({ CALLBACK_MAX_BYTES: String(bytes) });
    const wrapped = Buffer.from(xml).toString('base64').replace(/.{76}/g, '$&\r\n');
    const res = await receiver.handler({ ...urlEvent(undefined), body: wrapped, isBase64Encoded: true });
    expect(res.statusCode).toBe(200);
    const tooBig = testReceiver({ CALLBACK_MAX_BYTES: String(bytes - 1) });
    const refused = await tooBig.handler({ ...urlEvent(undefined), body: wrapped, isBase64Encoded: true });
    expect([refused.statusCode, body(refused).error.code]).toEqual([413, 'payload_too_large']);
  });

  test('a malformed CALLBACK_MAX_BYTES fails closed with 500 misconfigured naming it, like every other setting', async () => {
    const handler = createCallbackHandler('taskCallback', () => createDeps(loadConfig({ CALLBACK_MAX_BYTES: '1MB' })));
    const res = await handler(loadEvent('task-watermark-xml'));
    expect([res.statusCode, body(res).error.code]).toEqual([500, 'misconfigured']);
    expect(body(res).error.message).toContain('CALLBACK_MAX_BYTES');
  });

  test('the file sink and archive recreate their directory when it is removed while running', async () => {
    const receiver = testReceiver();
    expect((await receiver.handler(loadEvent('workflow-xml'))).statusCode).toBe(200);
    rmSync(receiver.dir, { recursive: true, force: true });
    expect((await receiver.handler(loadEvent('task-tts-xml'))).statusCode).toBe(200);
    expect(receiver.events().map((e) => e.subject)).toEqual(['j707f4864f86811ecb90d0b03267ce0e5']);
    expect(receiver.archived()).toHaveLength(1);
  });

  test('deployed without CALLBACK_SINKS every request gets 500 misconfigured: events must not go nowhere', async () => {
    const env = { AWS_LAMBDA_FUNCTION_NAME: 'taskCallback', CALLBACK_TOKEN: 't', CALLBACK_ARCHIVE_DIR: mkdtempSync(join(tmpdir(), 'raw-')) };
    const handler = createCallbackHandler('taskCallback', () => createDeps(loadConfig(env)));
    const res = await handler(urlEvent(sampleBody('task-watermark-xml'), { query: 'token=t' }));
    expect([res.statusCode, body(res).error.code]).toEqual([500, 'misconfigured']);
    expect(body(res).error.message).toMatch(/CALLBACK_SINKS/);
  });

  test('a failing sink gets 503 forward_failed, keeps the archived body and shows no stack trace', async () => {
    const receiver = testReceiver({}, (deps) => {
      deps.sinks.push({ name: 'broken', send: () => Promise.reject(new Error('connection refused at /secret/path.ts:1:2')) });
    });
    const res = await receiver.handler(loadEvent('workflow-xml'));
    expect(res.statusCode).toBe(503);
    expect(body(res).error.code).toBe('forward_failed');
    expect(res.body).not.toMatch(/secret|path\.ts|at .*:\d+:\d+/);
    expect(receiver.archived()).toHaveLength(1);
    expect(receiver.events()).toHaveLength(1);
  });

  test('archive and sinks run at once, and the answer waits for both', async () => {
    const done: string[] = [];
    const slow = (name: string) => () => new Promise<void>((resolve) => setTimeout(() => (done.push(name), resolve()), 300));
    const receiver = testReceiver({}, (deps) => {
      const archive = deps.archive;
      deps.archive = { name: 'slow', put: async (record) => (await slow('archive')(), archive.put(record)) };
      deps.sinks = [{ name: 'slow-sink', send: slow('sink') }];
    });
    const started = Date.now();
    const res = await receiver.handler(loadEvent('task-tts-xml'));
    const elapsed = Date.now() - started;
    expect(res.statusCode).toBe(200);
    expect(done.sort()).toEqual(['archive', 'sink']);
    expect(receiver.archived()).toHaveLength(1);
    expect(elapsed).toBeLessThan(550);
  });

  const brokenArchive = (deps: ReceiverDeps) => {
    deps.archive = { name: 'broken', put: () => Promise.reject(new Error('disk full')) };
  };

  test('an archive that fails while every sink stores the events: 200, and the function log keeps the request', async () => {
    const receiver = testReceiver({}, brokenArchive);
    const { res, lines } = await withStdout(() => receiver.handler(loadEvent('workflow-xml')));
    expect(res.statusCode).toBe(200);
    expect(receiver.events().map((e) => e.type)).toEqual(['com.tencentcloud.ci.workflow.finished']);
    expect(archivedLines(lines).map((l) => l.archivedRequest.body)).toEqual([loadEvent('workflow-xml').body]);
  });

  test('a refused body whose archive fails gets 503 archive_failed, so the sender brings it back; the log keeps it', async () => {
    const receiver = testReceiver({}, brokenArchive);
    const { res, lines } = await withStdout(() => receiver.handler(urlEvent('<Response>')));
    expect([res.statusCode, body(res).error.code]).toEqual([503, 'archive_failed']);
    expect(archivedLines(lines).map((l) => l.archivedRequest.body)).toEqual(['<Response>']);
  });

  test('a request whose archive and sink failed is kept in the function log, where npm run replay finds it, at any LOG_LEVEL', async () => {
    const receiver = testReceiver({}, (deps) => {
      brokenArchive(deps);
      deps.sinks = [{ name: 'down', send: () => Promise.reject(new Error('unreachable')) }];
    });
    const { res, lines } = await withStdout(() => receiver.handler(loadEvent('workflow-xml')));
    expect([res.statusCode, body(res).error.code]).toEqual([503, 'forward_failed']);
    const log = join(receiver.dir, 'function.log');
    writeFileSync(log, lines.join(''));
    const target = testReceiver();
    const outcomes = await replayArchive(log, target.deps);
    expect(outcomes.map((o) => o.status)).toEqual([200]);
    expect(target.events().map((e) => e.type)).toEqual(['com.tencentcloud.ci.workflow.finished']);
  });
});

async function withStdout<T>(run: () => Promise<T>): Promise<{ res: T; lines: string[] }> {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
  try {
    return { res: await run(), lines };
  } finally {
    write.mockRestore();
  }
}

function archivedLines(lines: string[]): Array<{ archivedRequest: { body: string } }> {
  return lines
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('{"archivedRequest"'))
    .map((l) => JSON.parse(l));
}

describe('the two deployed handlers', () => {
  const env = { ...process.env };
  afterEach(() => {
    process.env = { ...env };
  });

  test('each accepts both callback families: a CI queue may send both to one URL', async () => {
    const receiver = testReceiver();
    process.env.CALLBACK_FILE = `${receiver.dir}/events.jsonl`;
    process.env.CALLBACK_ARCHIVE_DIR = `${receiver.dir}/raw`;
    const answered: string[][] = [];
    for (const handler of [taskCallback, workflowCallback]) {
      for (const sample of ['task-tts-xml', 'workflow-json']) {
        const res = await handler(loadEvent(sample));
        expect(res.statusCode).toBe(200);
        answered.push(body(res).ids);
      }
    }
    expect(answered.slice(2)).toEqual(answered.slice(0, 2));
    // Both handlers wrote to one file: each event once.
    expect(receiver.events().map((e) => e.type)).toEqual(['com.tencentcloud.ci.job.finished', 'com.tencentcloud.ci.workflow.finished']);
  });
});
