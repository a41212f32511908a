import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { replayArchive } from '../lib/replay/replay';
import { goodSamples, loadEvent, sampleBody } from './support/fixtures';
import { eventsOf } from './support/parse';
import { storedEvents } from './support/postgres';
import { testReceiver } from './support/receiver';
import { PostgresServer, startFauxqs, useLocalAws } from './support/servers';
import { createQueue, drainQueue, eventsIn, sqsClient } from './support/sqs';

let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
let postgres: PostgresServer;
let sqs: SQSClient;
let s3: S3Client;

beforeAll(async () => {
  [fauxqs, postgres] = await Promise.all([startFauxqs(), PostgresServer.create()]);
  await postgres.start();
  useLocalAws({ sqs: fauxqs.port, s3: fauxqs.port });
  sqs = sqsClient();
  s3 = new S3Client({});
});
afterAll(() => Promise.all([fauxqs?.stop(), postgres?.destroy()]));

const body = (res: { body?: string }) => JSON.parse(res.body ?? '');

test('fan-out to SQS and PostgreSQL with PostgreSQL stopped: 503 and archived; a replay after restart stores each event exactly once', async () => {
  const queueUrl = await createQueue(sqs, { fifo: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'outage-archive' }));
  const receiver = testReceiver({
    CALLBACK_SINKS: 'sqs,postgres',
    SQS_QUEUE_URL: queueUrl,
    DATABASE_URL: postgres.url,
    ARCHIVE_BUCKET: 'outage-archive',
  });

  // CALLBACK_ARCHIVE=unforwarded (the default with a bucket): every request goes to the function
  // log, and S3 gets the ones not stored, which are the ones a replay needs.
  const log = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    expect((await receiver.handler(loadEvent('workflow-xml'))).statusCode).toBe(200);
    await postgres.stop();
    for (const sample of goodSamples()) {
      const res = await receiver.handler(loadEvent(sample));
      // A moderation console test forwards nothing, so no sink can fail it.
      if (sample.includes('console-test')) {
        expect([sample, res.statusCode, body(res).test]).toEqual([sample, 200, true]);
        continue;
      }
      expect([sample, res.statusCode, body(res).error.code]).toEqual([sample, 503, 'forward_failed']);
      expect(body(res).error.message).toBe('forwarding failed at sink postgres; retry later');
    }
  } finally {
    log.mockRestore();
  }
  const archived = (await s3.send(new ListObjectsV2Command({ Bucket: 'outage-archive' }))).Contents ?? [];
  // Console tests were answered (nothing to store): only the function log has them.
  expect(archived).toHaveLength(goodSamples().filter((name) => !name.includes('console-test')).length);

  await postgres.start();
  const outcomes = await replayArchive('s3://outage-archive', receiver.deps);
  expect(outcomes.map((o) => o.status)).toEqual(archived.map(() => 200));

  const allEvents = goodSamples().flatMap((s) => eventsOf(sampleBody(s)));
  const expected = new Map(allEvents.map((e) => [e.id, e]));
  const stored = await storedEvents(postgres.url);
  expect(stored.map((e) => e.id).sort()).toEqual([...expected.keys()].sort());
  // Samples that share an event id differ in detail; the replay's order decides which one is kept.
  for (const event of stored) expect(allEvents.filter((e) => e.id === event.id)).toContainEqual(event);
  const queued = eventsIn(await drainQueue(sqs, queueUrl));
  expect(queued.map((e) => e.id).sort()).toEqual([...expected.keys()].sort());
});
