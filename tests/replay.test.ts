import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toArchivedRequest } from '../lib/archive/archive';
import { LogArchive } from '../lib/archive/log-archive';
import { readRequest } from '../lib/request';
import { replayArchive } from '../lib/replay/replay';
import { goodSamples, loadEvent, sampleBody } from './support/fixtures';
import { FAKE_CREDENTIALS, startFakeCiWithSamples } from './support/fake-ci';
import { eventsOf } from './support/parse';
import { LOCAL_AWS_ENV } from './support/servers';
import { startSecretStore } from './support/servers/secret-store';
import { testReceiver } from './support/receiver';

const root = join(__dirname, '..');

/** `npm run replay -- <args>`, as a user runs it (the same command npm runs), with a file sink. */
function replayCli(args: string[], sinkFile: string, extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, CALLBACK_SINKS: 'file', CALLBACK_FILE: sinkFile, ...extraEnv };
  return new Promise((resolve) => {
    execFile(process.execPath, ['scripts/run.mjs', 'scripts/replay.ts', ...args], { cwd: root, env }, (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
    });
  });
}

const linesOf = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

describe('npm run replay', () => {
  test('re-drives an archive directory: one line per record, a summary, exit 1 when one failed', async () => {
    const archiving = testReceiver();
    for (const sample of [...goodSamples(), 'bad-truncated-xml']) await archiving.handler(loadEvent(sample));
    const sinkFile = join(archiving.dir, 'replayed.jsonl');

    const { code, stdout } = await replayCli([join(archiving.dir, 'raw')], sinkFile);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('replaying to sinks: file');
    const records = lines.slice(1, -1).map((line) => line.split('\t'));
    expect(records).toHaveLength(goodSamples().length + 1);
    for (const [key] of records) expect(key.startsWith(join(archiving.dir, 'raw'))).toBe(true);
    const delivered = records.filter(([, status]) => status === '200');
    // Moderation console tests are delivered with no event; samples that repeat a job (task-tts-*)
    // have the same event id, which the file sink holds once.
    const consoleTests = goodSamples().filter((name) => name.includes('console-test'));
    expect(delivered.filter(([, , ids]) => ids === '(no events)')).toHaveLength(consoleTests.length);
    const ids = delivered.map(([, , ids]) => ids).filter((ids) => ids !== '(no events)');
    expect([...new Set(ids)].sort()).toEqual(archiving.events().map((e) => e.id).sort());
    expect(records.filter(([, status]) => status !== '200').map(([, status, what]) => [status, what.split(':')[0]])).toEqual([
      ['400', 'malformed_body'],
    ]);
    // The summary counts the events each delivered record gave, a repeated job each time.
    expect(lines.at(-1)).toBe(`${records.length} records: ${goodSamples().length} delivered (${ids.join(',').split(',').length} events), 1 failed`);
    expect(code).toBe(1);
    expect(linesOf(sinkFile).map((e) => e.id).sort()).toEqual(archiving.events().map((e) => e.id).sort());
  }, 60_000);

  test('exits 0 when every record was delivered, and 2 without an argument', async () => {
    const archiving = testReceiver();
    await archiving.handler(loadEvent('workflow-json'));
    const sinkFile = join(archiving.dir, 'replayed.jsonl');
    expect((await replayCli([join(archiving.dir, 'raw')], sinkFile)).code).toBe(0);
    expect(linesOf(sinkFile)).toEqual(eventsOf(sampleBody('workflow-json')));
    const usage = await replayCli([], sinkFile);
    expect([usage.code, usage.stderr]).toEqual([2, expect.stringContaining('usage: npm run replay')]);
  }, 60_000);

  test('reads the log archive from an exported log: its lines are records, other lines are skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-export-'));
    const lines: string[] = [];
    const archive = new LogArchive((line) => lines.push(line));
    for (const sample of ['task-words-xml', 'workflow-xml']) {
      await archive.put(toArchivedRequest(readRequest(loadEvent(sample)), 'taskCallback'));
      lines.push(JSON.stringify({ level: 'INFO', message: 'callback' }) + '\n', 'START RequestId: 1\n');
    }
    writeFileSync(join(dir, 'export.jsonl'), lines.join(''));

    const target = testReceiver();
    const outcomes = await replayArchive(join(dir, 'export.jsonl'), target.deps);
    expect(outcomes.map((o) => [o.key, o.status])).toEqual([
      [`${join(dir, 'export.jsonl')}:1`, 200],
      [`${join(dir, 'export.jsonl')}:4`, 200],
    ]);
    expect(target.events()).toEqual([...eventsOf(sampleBody('task-words-xml')), ...eventsOf(sampleBody('workflow-xml'))]);
  });

  test('a file that holds no archived request is reported, not skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'not-archive-'));
    writeFileSync(join(dir, 'x.json'), JSON.stringify({ hello: 'world' }));
    const outcomes = await replayArchive(dir, testReceiver().deps);
    expect(outcomes).toEqual([{ key: join(dir, 'x.json'), status: null, ids: [], code: 'unreadable_record', message: 'not an archived request' }]);
  });

  test('names every record it cannot read (truncated, empty, a torn line) and exits 1', async () => {
    const archiving = testReceiver();
    await archiving.handler(loadEvent('workflow-json'));
    const raw = join(archiving.dir, 'raw');
    const [good] = readdirSync(raw, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
    const record = readFileSync(good, 'utf8');
    const truncated = join(raw, 'truncated.json');
    const empty = join(raw, 'empty.json');
    const exported = join(raw, 'export.jsonl');
    writeFileSync(truncated, record.slice(0, record.length / 2));
    writeFileSync(empty, '');
    writeFileSync(exported, `START RequestId: 1\n${JSON.stringify({ archivedRequest: JSON.parse(record) })}\n{"archivedRequest": {"body": "<Respo\n`);
    const sinkFile = join(archiving.dir, 'replayed.jsonl');

    const { code, stdout } = await replayCli([raw], sinkFile);
    const lines = stdout.trim().split('\n');
    expect(lines.filter((line) => line.includes('\t-\tunreadable_record: ')).sort()).toEqual(
      [`${empty}\t-\tunreadable_record: empty file`, `${exported}:3\t-\tunreadable_record: not valid JSON (truncated?)`, `${truncated}\t-\tunreadable_record: not valid JSON (truncated?)`].sort(),
    );
    expect(lines.at(-1)).toBe('5 records: 2 delivered (2 events), 3 failed');
    expect(code).toBe(1);
  }, 60_000);

  test('reads the secrets CALLBACK_SECRETS names, as the deployed handlers do: a verified replay with the Tencent key in SSM', async () => {
    const [ci, store] = await Promise.all([startFakeCiWithSamples(), startSecretStore()]);
    try {
      store.parameters.set('/r/TENCENTCLOUD_SECRET_ID', FAKE_CREDENTIALS.secretId);
      store.parameters.set('/r/TENCENTCLOUD_SECRET_KEY', FAKE_CREDENTIALS.secretKey);
      const { TENCENTCLOUD_SECRET_ID: _id, TENCENTCLOUD_SECRET_KEY: _key, ...verify } = ci.env();
      const archiving = testReceiver();
      await archiving.handler(loadEvent('task-watermark-xml'));
      const sinkFile = join(archiving.dir, 'replayed.jsonl');

      const { code, stdout, stderr } = await replayCli([join(archiving.dir, 'raw')], sinkFile, {
        ...verify,
        CALLBACK_SECRETS: 'ssm:/r',
        ...LOCAL_AWS_ENV,
        AWS_ENDPOINT_URL_SSM: store.url,
      });
      expect([code, stderr]).toEqual([0, '']);
      expect(stdout.trim().split('\n').at(-1)).toBe('1 records: 1 delivered (1 events), 0 failed');
      expect(store.calls.map((c) => c.target)).toEqual(['AmazonSSM.GetParameters']);
      expect(linesOf(sinkFile)).toEqual([expect.objectContaining({ subject: 'j515a494af86111ecb8546d80f2baf56f', civerified: true })]);
    } finally {
      await Promise.all([ci.close(), store.stop()]);
    }
  }, 60_000);
});
