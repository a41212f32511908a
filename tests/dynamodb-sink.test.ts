import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTableCommand, DynamoDBClient, QueryCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { CallbackEvent } from '../lib/events';
import { jobCallback, jobsDetailOf, manyJobs, manyJobsOneHuge } from './support/callbacks';
import { CALLBACK_TABLE } from './support/callback-table';
import { goodSamples, loadEvent, sampleBody, urlEvent } from './support/fixtures';
import { eventsOf } from './support/parse';
import { testReceiver } from './support/receiver';
import { startDynalite, startFauxqs, useLocalAws } from './support/servers';
import { startProxy } from './support/servers/proxy';
import { DYNAMODB_CONCURRENCY } from '../lib/sinks/dynamodb-sink';

let dynalite: Awaited<ReturnType<typeof startDynalite>>;
let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
let dynamodb: DynamoDBClient;
let s3: S3Client;
let tables = 0;

beforeAll(async () => {
  [dynalite, fauxqs] = await Promise.all([startDynalite(), startFauxqs()]);
  useLocalAws({ dynamodb: dynalite.port, s3: fauxqs.port });
  dynamodb = new DynamoDBClient({});
  s3 = new S3Client({});
});
afterAll(() => Promise.all([dynalite.stop(), fauxqs.stop()]));

async function createTable(): Promise<string> {
  const name = `callback-events-${++tables}`;
  await dynamodb.send(new CreateTableCommand({ ...CALLBACK_TABLE, TableName: name }));
  return name;
}

const receiverFor = (table: string, env: Record<string, string> = {}) => testReceiver({ CALLBACK_SINKS: 'dynamodb', DYNAMODB_TABLE: table, ...env });
const eventOf = (item: Record<string, AttributeValue>): CallbackEvent => JSON.parse(item.event.S ?? '');
const scan = async (table: string) => (await dynamodb.send(new ScanCommand({ TableName: table }))).Items ?? [];

/** The README's two access patterns, verbatim. */
const finalStateOfJob = (table: string, jobId: string) =>
  dynamodb.send(
    new QueryCommand({
      TableName: table,
      IndexName: 'byJobId',
      KeyConditionExpression: 'jobId = :jobId',
      ExpressionAttributeValues: { ':jobId': { S: jobId } },
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
const eventsOfRun = (table: string, runId: string) =>
  dynamodb.send(
    new QueryCommand({
      TableName: table,
      IndexName: 'byRunId',
      KeyConditionExpression: 'runId = :runId',
      ExpressionAttributeValues: { ':runId': { S: runId } },
    }),
  );

describe('the dynamodb sink', () => {
  test.each(goodSamples())('%s is stored as exactly its events, one item each, keyed for lookup', async (sample) => {
    const table = await createTable();
    expect((await receiverFor(table).handler(loadEvent(sample))).statusCode).toBe(200);
    const items = await scan(table);
    const expected = eventsOf(sampleBody(sample));
    expect(items.map(eventOf)).toEqual(expected);
    for (const [i, item] of items.entries()) {
      const event = expected[i];
      const data = event.data as { jobId?: string; runId?: string; workflow?: { runId: string | null } | null };
      expect(item).toMatchObject({
        id: { S: event.id },
        type: { S: event.type },
        subject: { S: event.subject },
        at: { S: event.time ?? expect.any(String) },
        ...(data.jobId ? { jobId: { S: data.jobId } } : {}),
      });
      const runId = data.runId ?? data.workflow?.runId;
      expect(item.runId?.S).toBe(runId ?? undefined);
    }
  });

  test('every sample delivered twice leaves one item per event id, and a redelivery rewrites nothing', async () => {
    const table = await createTable();
    const receiver = receiverFor(table);
    for (const sample of goodSamples()) expect((await receiver.handler(loadEvent(sample))).statusCode).toBe(200);
    const first = await scan(table);
    for (const sample of goodSamples()) expect((await receiver.handler(loadEvent(sample))).statusCode).toBe(200);
    const second = await scan(table);
    const unique = new Set(goodSamples().flatMap((s) => eventsOf(sampleBody(s))).map((e) => e.id));
    expect(second.map((item) => item.id.S).sort()).toEqual([...unique].sort());
    expect(second).toEqual(first);
    // task-tts-xml is the same job in the same state as task-tts-from-workflow-*, delivered
    // after them without the workflow: the first write stays.
    const tts = second.find((item) => item.id.S === eventsOf(sampleBody('task-tts-xml'))[0].id);
    expect(tts?.runId?.S).toBe('ic90edd59f84f11ec9d4f525400a3c59f');
  });

  test("one Query on byJobId, newest first, gives a job's final state, whatever order the callbacks came in", async () => {
    const table = await createTable();
    const success = jobsDetailOf('task-watermark-xml');
    const failedEarlier = success
      .replace('<State>Success</State>', '<State>Failed</State>')
      .replace(/<EndTime>[^<]*<\/EndTime>/, '<EndTime>2022-06-30T18:42:30+0800</EndTime>');
    const receiver = receiverFor(table);
    expect((await receiver.handler(urlEvent(jobCallback([success])))).statusCode).toBe(200);
    expect((await receiver.handler(urlEvent(jobCallback([failedEarlier])))).statusCode).toBe(200);
    const { Items = [] } = await finalStateOfJob(table, 'j515a494af86111ecb8546d80f2baf56f');
    expect(Items.map((item) => [item.state.S, eventOf(item).data.state])).toEqual([['Success', 'Success']]);
    expect(await scan(table)).toHaveLength(2);
  });

  test("one Query on byRunId gives a workflow run's event and the events of the jobs it started, in time order", async () => {
    const table = await createTable();
    const runId = 'ie4d9187d35dc11eb9cec525400860000';
    const jobOfRun = sampleBody('task-tts-from-workflow-xml').replace('ic90edd59f84f11ec9d4f525400a3c59f', runId);
    const receiver = receiverFor(table);
    for (const event of [loadEvent('workflow-xml'), urlEvent(jobOfRun), loadEvent('task-watermark-xml')]) {
      expect((await receiver.handler(event)).statusCode).toBe(200);
    }
    const { Items = [] } = await eventsOfRun(table, runId);
    expect(Items.map((item) => eventOf(item).subject)).toEqual([runId, 'j707f4864f86811ecb90d0b03267ce0e5']);
  });

  test('a table that does not exist gives 503 forward_failed, and the body is archived', async () => {
    const receiver = receiverFor('no-such-table');
    const res = await receiver.handler(loadEvent('workflow-xml'));
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body ?? '').error.code).toBe('forward_failed');
    expect(receiver.archived()).toHaveLength(1);
  });
});

describe('an event too large for DynamoDB (over 400 KB) in a 30-job callback', () => {
  const callback = manyJobsOneHuge('task-watermark-xml', 30, 4, 500_000);
  const events = eventsOf(callback);
  const huge = events[4];

  test('without a bucket it is left out and named in the 200; the 29 others are stored', async () => {
    expect(Buffer.byteLength(JSON.stringify(huge))).toBeGreaterThan(400 * 1024);
    const table = await createTable();
    const receiver = receiverFor(table);
    const res = await receiver.handler(urlEvent(callback));
    const answer = JSON.parse(res.body ?? '');
    expect([res.statusCode, answer.accepted]).toEqual([200, 30]);
    expect(answer.leftOut).toEqual([{ id: huge.id, sink: 'dynamodb', reason: expect.stringContaining('no claim-check bucket (ARCHIVE_BUCKET)') }]);
    expect((await scan(table)).map((item) => item.id.S).sort()).toEqual(events.filter((e) => e !== huge).map((e) => e.id).sort());
    expect(receiver.archived().map((r) => r.body)).toEqual([callback]);
  });

  test('with ARCHIVE_BUCKET its item keeps the keys and carries eventLocation and eventSize; the event is in S3', async () => {
    const table = await createTable();
    const bucket = `claims-${table}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const res = await receiverFor(table, { ARCHIVE_BUCKET: bucket }).handler(urlEvent(callback));
    expect([res.statusCode, JSON.parse(res.body ?? '').leftOut]).toEqual([200, undefined]);
    const items = await scan(table);
    expect(items).toHaveLength(30);
    const item = items.find((i) => i.id.S === huge.id);
    const key = `claim-checks/dynamodb/${huge.id}.json`;
    expect(item).toMatchObject({ jobId: { S: huge.subject }, at: { S: huge.time }, eventLocation: { S: `s3://${bucket}/${key}` } });
    expect(item?.event).toBeUndefined();
    const stored = (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString('utf8')) ?? '';
    expect(Number(item?.eventSize.N)).toBe(Buffer.byteLength(stored));
    expect(JSON.parse(stored)).toEqual(huge);
  });
});

test('a 100-job callback is stored with at most DYNAMODB_CONCURRENCY puts in flight', async () => {
  const table = await createTable();
  let inFlight = 0;
  let peak = 0;
  const proxy = await startProxy(dynalite.port, async (req, forward) => {
    if (req.headers['x-amz-target'] !== 'DynamoDB_20120810.PutItem') return forward();
    peak = Math.max(peak, ++inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return await forward();
    } finally {
      inFlight--;
    }
  });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${proxy.port}`;
  try {
    const res = await receiverFor(table).handler(urlEvent(manyJobs('task-watermark-xml', 100)));
    expect(res.statusCode).toBe(200);
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(DYNAMODB_CONCURRENCY);
    expect(await scan(table)).toHaveLength(100);
  } finally {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${dynalite.port}`;
    await proxy.close();
  }
});
