import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createArchive } from '../lib/archive';
import type { CallbackEvent } from '../lib/events';
import { loadConfig } from '../lib/config';
import { replayArchive } from '../lib/replay/replay';
import { goodSamples, loadEvent } from './support/fixtures';
import { eventsOf } from './support/parse';
import { testReceiver } from './support/receiver';
import { startFauxqs, useLocalAws } from './support/servers';
import { startProxy } from './support/servers/proxy';

let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
let s3: S3Client;
let buckets = 0;

beforeAll(async () => {
  fauxqs = await startFauxqs();
  useLocalAws({ s3: fauxqs.port });
  s3 = new S3Client({});
});
afterAll(() => fauxqs.stop());

async function createBucket(): Promise<string> {
  const bucket = `archive-${++buckets}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

async function objects(bucket: string): Promise<Array<{ key: string; record: Record<string, unknown> }>> {
  const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return Promise.all(
    Contents.map(async ({ Key }) => {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
      return { key: Key as string, record: JSON.parse((await object.Body?.transformToString()) ?? '') };
    }),
  );
}

const body = (res: { body?: string }) => JSON.parse(res.body ?? '');

describe('the S3 archive', () => {
  test('is chosen by ARCHIVE_BUCKET; deployed with neither bucket nor directory the function log keeps bodies', () => {
    const archiveOf = (env: Record<string, string>) => createArchive(loadConfig(env)).name;
    expect(archiveOf({ ARCHIVE_BUCKET: 'b' })).toBe('s3');
    expect(archiveOf({ ARCHIVE_BUCKET: 'b', AWS_LAMBDA_FUNCTION_NAME: 'f' })).toBe('s3');
    expect(archiveOf({})).toBe('file');
    expect(archiveOf({ AWS_LAMBDA_FUNCTION_NAME: 'f', CALLBACK_ARCHIVE_DIR: '/mnt/efs/raw' })).toBe('file');
    expect(archiveOf({ AWS_LAMBDA_FUNCTION_NAME: 'f' })).toBe('log');
  });

  test('writes one encrypted object per request, the same record the file archive writes, token removed', async () => {
    const bucket = await createBucket();
    const proxy = await startProxy(fauxqs.port);
    process.env.AWS_ENDPOINT_URL_S3 = `http://127.0.0.1:${proxy.port}`;
    try {
      const env = { CALLBACK_TOKEN: 'secret-token' };
      const inS3 = testReceiver({ ...env, ARCHIVE_BUCKET: bucket, CALLBACK_ARCHIVE: 'always' });
      const onDisk = testReceiver(env);
      const event = { ...loadEvent('task-watermark-xml-base64'), queryStringParameters: { token: 'secret-token', x: '1' } };
      expect((await inS3.handler(event)).statusCode).toBe(200);
      expect((await onDisk.handler(event)).statusCode).toBe(200);

      const [stored, ...more] = await objects(bucket);
      expect(more).toEqual([]);
      expect(stored.key).toMatch(/^\d{4}\/\d{2}\/\d{2}\/T\d{6}\.\d{3}Z-[A-Za-z0-9_-]+-[0-9a-f]{8}\.json$/);
      const { receivedAt: _a, ...record } = stored.record;
      const { receivedAt: _b, ...fileRecord } = onDisk.archived()[0] as unknown as Record<string, unknown>;
      expect(record).toEqual(fileRecord);
      expect(record).toMatchObject({ body: event.body, isBase64Encoded: true, query: { x: '1' } });
      const put = proxy.requests.find((r) => r.method === 'PUT');
      expect(put?.headers['x-amz-server-side-encryption']).toBe('AES256');
    } finally {
      process.env.AWS_ENDPOINT_URL_S3 = `http://127.0.0.1:${fauxqs.port}`;
      await proxy.close();
    }
  });

  test('a body that fails to parse is archived to S3 and gets its 400', async () => {
    const bucket = await createBucket();
    const event = loadEvent('bad-truncated-xml');
    const log = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let res;
    try {
      res = await testReceiver({ ARCHIVE_BUCKET: bucket }).handler(event);
    } finally {
      log.mockRestore();
    }
    expect([res.statusCode, body(res).error.code]).toEqual([400, 'malformed_body']);
    expect((await objects(bucket)).map((o) => o.record.body)).toEqual([event.body]);
  });

  test('a bucket that cannot be written: the events are forwarded all the same, answered 200, the ArchiveFailures metric counts it', async () => {
    const receiver = testReceiver({ ARCHIVE_BUCKET: 'no-such-bucket', CALLBACK_ARCHIVE: 'always' });
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    let res;
    try {
      res = await receiver.handler(loadEvent('workflow-xml'));
    } finally {
      write.mockRestore();
      process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    }
    expect(res.statusCode).toBe(200);
    expect(receiver.events().map((e) => e.type)).toEqual(['com.tencentcloud.ci.workflow.finished']);
    const output = lines.join('');
    expect(output).toContain('{"archivedRequest"');
    expect(output).toContain('"ArchiveFailures"');
  });

  test('CALLBACK_ARCHIVE=unforwarded (the default with a bucket): the log keeps every request, S3 only what was not forwarded', async () => {
    const bucket = await createBucket();
    const stored = testReceiver({ ARCHIVE_BUCKET: bucket });
    expect(stored.deps.config.archivePolicy).toBe('unforwarded');
    const failing = testReceiver({ ARCHIVE_BUCKET: bucket }, (deps) => {
      deps.sinks = [{ name: 'down', send: () => Promise.reject(new Error('unreachable')) }];
    });
    const good = loadEvent('task-tts-xml');
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
    let answers;
    try {
      answers = [
        (await stored.handler(good)).statusCode,
        (await failing.handler(loadEvent('workflow-xml'))).statusCode,
        (await stored.handler(loadEvent('bad-truncated-xml'))).statusCode,
      ];
    } finally {
      write.mockRestore();
    }
    expect(answers).toEqual([200, 503, 400]);
    const logged = lines.join('').split('\n').filter((l) => l.startsWith('{"archivedRequest"'));
    expect(logged.map((l) => JSON.parse(l).archivedRequest.body)).toEqual([good.body, loadEvent('workflow-xml').body, loadEvent('bad-truncated-xml').body]);
    const inS3 = (await objects(bucket)).map((o) => o.record.body).sort();
    expect(inS3).toEqual([loadEvent('workflow-xml').body, loadEvent('bad-truncated-xml').body].sort());
  });

  test('CALLBACK_ARCHIVE=unforwarded: a request too large for one log line goes to S3 as well, and only there', async () => {
    const bucket = await createBucket();
    const receiver = testReceiver({ ARCHIVE_BUCKET: bucket, CALLBACK_MAX_BYTES: String(2 * 1024 * 1024) });
    const job = (i: number) => `<JobsDetail><JobId>big${i}</JobId><Tag>Transcode</Tag><State>Success</State><Message>${'x'.repeat(1000)}</Message></JobsDetail>`;
    const big = `<Response>${Array.from({ length: 300 }, (_, i) => job(i)).join('')}</Response>`;
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
    let res;
    try {
      res = await receiver.handler({ ...loadEvent('task-tts-xml'), body: big, isBase64Encoded: false });
    } finally {
      write.mockRestore();
    }
    expect(res.statusCode).toBe(200);
    expect(lines.join('')).not.toContain('{"archivedRequest"');
    expect((await objects(bucket)).map((o) => o.record.body)).toEqual([big]);
  });

  test('CALLBACK_ARCHIVE is always or unforwarded; anything else fails closed', () => {
    expect(loadConfig({ CALLBACK_ARCHIVE: 'always', ARCHIVE_BUCKET: 'b' }).archivePolicy).toBe('always');
    expect(loadConfig({}).archivePolicy).toBe('always');
    expect(() => loadConfig({ CALLBACK_ARCHIVE: 'sometimes' })).toThrow(/CALLBACK_ARCHIVE/);
  });

  test('replay reads back a prefix, or a single key, of the bucket', async () => {
    const bucket = await createBucket();
    const archiving = testReceiver({ ARCHIVE_BUCKET: bucket, CALLBACK_ARCHIVE: 'always' });
    for (const sample of goodSamples()) expect((await archiving.handler(loadEvent(sample))).statusCode).toBe(200);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'elsewhere/unrelated.json', Body: '{}' }));
    const archived = (await objects(bucket)).filter((o) => !o.key.startsWith('elsewhere/'));
    const day = archived[0].key.split('/').slice(0, 3).join('/') + '/';
    const ofDay = archived.filter((o) => o.key.startsWith(day));

    const target = testReceiver();
    const outcomes = await replayArchive(`s3://${bucket}/${day}`, target.deps);
    expect(outcomes.map((o) => [o.key, o.status])).toEqual(ofDay.map((o) => [`s3://${bucket}/${o.key}`, 200]));
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    // Samples that repeat a job (task-tts-*) have one event id: the file sink keeps the first.
    const firstById = new Map<string, CallbackEvent>();
    for (const event of ofDay.flatMap((o) => eventsOf(sampleBodyOf(o.record)))) if (!firstById.has(event.id)) firstById.set(event.id, event);
    const expected = [...firstById.values()];
    expect(target.events().sort(byId)).toEqual(expected.sort(byId));

    const one = await replayArchive(`s3://${bucket}/${archived[1].key}`, target.deps);
    expect(one.map((o) => [o.key, o.status])).toEqual([[`s3://${bucket}/${archived[1].key}`, 200]]);
  });

  test('replay names a truncated or empty object and passes over the claim checks kept in the same bucket', async () => {
    const bucket = await createBucket();
    expect((await testReceiver({ ARCHIVE_BUCKET: bucket, CALLBACK_ARCHIVE: 'always' }).handler(loadEvent('workflow-xml'))).statusCode).toBe(200);
    const [archived] = await objects(bucket);
    const text = JSON.stringify(archived.record);
    const put = (Key: string, Body: string) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body }));
    await put('2026/01/01/T000000.000Z-cut-00000000.json', text.slice(0, 100));
    await put('2026/01/01/T000000.001Z-empty-00000000.json', '');
    await put('claim-checks/sqs/55dc464cccc8a905d99b4bbef281037b.json', JSON.stringify(eventsOf(sampleBodyOf(archived.record))[0]));

    const outcomes = await replayArchive(`s3://${bucket}/`, testReceiver().deps);
    expect(outcomes.map((o) => [o.key, o.status, o.message])).toEqual([
      [`s3://${bucket}/2026/01/01/T000000.000Z-cut-00000000.json`, null, 'not valid JSON (truncated?)'],
      [`s3://${bucket}/2026/01/01/T000000.001Z-empty-00000000.json`, null, 'empty object'],
      [`s3://${bucket}/${archived.key}`, 200, undefined],
    ]);
  });
});

function sampleBodyOf(record: Record<string, unknown>): string {
  const raw = record.body as string;
  return record.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
}
