import { CreateTableCommand, DynamoDBClient, QueryCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { CallbackEvent } from '../lib/events';
import { jobCallback, jobsDetailOf } from './support/callbacks';
import { CALLBACK_TABLE } from './support/callback-table';
import { goodSamples, loadEvent, sampleBody, urlEvent } from './support/fixtures';
import { eventsOf } from './support/parse';
import { testReceiver } from './support/receiver';
import { startDynalite, useLocalAws } from './support/servers';

let dynalite: Awaited<ReturnType<typeof startDynalite>>;
let dynamodb: DynamoDBClient;
let tables = 0;

beforeAll(async () => {
  dynalite = await startDynalite();
  useLocalAws({ dynamodb: dynalite.port });
  dynamodb = new DynamoDBClient({});
});
afterAll(() => dynalite.stop());

async function createTable(): Promise<string> {
  const name = `callback-events-${++tables}`;
  await dynamodb.send(new CreateTableCommand({ ...CALLBACK_TABLE, TableName: name }));
  return name;
}

const receiverFor = (table: string) => testReceiver({ CALLBACK_SINKS: 'dynamodb', DYNAMODB_TABLE: table });
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
