import type { SQSClient } from '@aws-sdk/client-sqs';
import type { CallbackEvent } from '../lib/events';
import { jobCallback, jobsDetailOf, manyJobs } from './support/callbacks';
import { goodSamples, loadEvent, sampleBody, urlEvent } from './support/fixtures';
import { eventsOf } from './support/parse';
import { testReceiver } from './support/receiver';
import { startFauxqs, useLocalAws } from './support/servers';
import { startSqsFaultProxy, type SqsFaultProxy } from './support/servers/sqs-fault-proxy';
import { createQueue, drainQueue, eventsIn, sqsClient } from './support/sqs';

let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
let sqs: SQSClient;

beforeAll(async () => {
  fauxqs = await startFauxqs();
  useLocalAws({ sqs: fauxqs.port });
  sqs = sqsClient();
});
afterAll(() => fauxqs.stop());

/** A receiver forwarding to the queue; its SQS client talks to `port` (fauxqs, or a proxy in front). */
function receiverFor(queueUrl: string, port = fauxqs.port) {
  process.env.AWS_ENDPOINT_URL_SQS = `http://127.0.0.1:${port}`;
  return testReceiver({ CALLBACK_SINKS: 'sqs', SQS_QUEUE_URL: queueUrl });
}

const ids = (events: CallbackEvent[]) => events.map((e) => e.id);
const body = (res: { body?: string }) => JSON.parse(res.body ?? '');

describe('the sqs sink on a standard queue', () => {
  test.each(goodSamples())('%s arrives as exactly its events, with type, tag and state attributes', async (sample) => {
    const queueUrl = await createQueue(sqs);
    const res = await receiverFor(queueUrl).handler(loadEvent(sample));
    expect(res.statusCode).toBe(200);
    const messages = await drainQueue(sqs, queueUrl);
    const expected = eventsOf(sampleBody(sample));
    expect(eventsIn(messages)).toEqual(expected);
    messages.forEach((message, i) => {
      const data = expected[i].data as { tag?: string | null; state: string | null };
      const attributes = Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]));
      expect(attributes).toEqual({
        type: expected[i].type,
        ...(data.tag ? { tag: data.tag } : {}),
        ...(data.state ? { state: data.state } : {}),
      });
    });
  });

  test('a callback with 23 jobs goes out in SendMessageBatch calls of 10, 10 and 3; each job arrives once', async () => {
    const queueUrl = await createQueue(sqs);
    const proxy = await startSqsFaultProxy(fauxqs.port, () => false);
    try {
      const res = await receiverFor(queueUrl, proxy.port).handler(urlEvent(manyJobs('task-watermark-xml', 23)));
      expect([res.statusCode, body(res).accepted]).toEqual([200, 23]);
      expect(proxy.batches.map((b) => b.length)).toEqual([10, 10, 3]);
      const received = ids(eventsIn(await drainQueue(sqs, queueUrl)));
      expect(received.sort()).toEqual([...body(res).ids].sort());
    } finally {
      await proxy.close();
    }
  });
});

test('a callback listing the same job twice is one message (batch entry ids are the event ids)', async () => {
  const queueUrl = await createQueue(sqs);
  const detail = jobsDetailOf('task-watermark-xml');
  expect((await receiverFor(queueUrl).handler(urlEvent(jobCallback([detail, detail])))).statusCode).toBe(200);
  expect(ids(eventsIn(await drainQueue(sqs, queueUrl)))).toEqual(ids(eventsOf(sampleBody('task-watermark-xml'))));
});

describe('the sqs sink on a FIFO queue', () => {
  test('every sample delivered twice leaves each event once, grouped by JobId or RunId, deduplicated by event id', async () => {
    const queueUrl = await createQueue(sqs, { fifo: true });
    const receiver = receiverFor(queueUrl);
    for (const round of [1, 2]) {
      for (const sample of goodSamples()) expect([round, sample, (await receiver.handler(loadEvent(sample))).statusCode]).toEqual([round, sample, 200]);
    }
    const messages = await drainQueue(sqs, queueUrl);
    const expected = new Map(goodSamples().flatMap((s) => eventsOf(sampleBody(s))).map((e) => [e.id, e]));
    expect(ids(eventsIn(messages)).sort()).toEqual([...expected.keys()].sort());
    for (const message of messages) {
      const event = JSON.parse(message.Body ?? '') as CallbackEvent;
      expect(message.Attributes).toMatchObject({ MessageGroupId: event.subject, MessageDeduplicationId: event.id });
    }
  });
});

describe('partial batch failures', () => {
  let proxy: SqsFaultProxy | undefined;
  afterEach(() => proxy?.close());
  const victim = eventsOf(manyJobs('task-watermark-xml', 12))[11].id;

  test('entries SQS failed on its side are sent again, and only those', async () => {
    const queueUrl = await createQueue(sqs);
    proxy = await startSqsFaultProxy(fauxqs.port, (entry, call) => entry.Id === victim && call === 2);
    const res = await receiverFor(queueUrl, proxy.port).handler(urlEvent(manyJobs('task-watermark-xml', 12)));
    expect(res.statusCode).toBe(200);
    expect(proxy.batches.map((b) => b.length)).toEqual([10, 2, 1]);
    expect(proxy.batches[2]).toEqual([victim]);
    const received = ids(eventsIn(await drainQueue(sqs, queueUrl)));
    expect(received).toHaveLength(12);
    expect(new Set(received).size).toBe(12);
  });

  test('an entry that keeps failing gets 503 forward_failed after the retries; the others are in the queue', async () => {
    const queueUrl = await createQueue(sqs);
    proxy = await startSqsFaultProxy(fauxqs.port, (entry) => entry.Id === victim);
    const receiver = receiverFor(queueUrl, proxy.port);
    const res = await receiver.handler(urlEvent(manyJobs('task-watermark-xml', 12)));
    expect([res.statusCode, body(res).error.code]).toEqual([503, 'forward_failed']);
    expect(proxy.batches.slice(1)).toEqual([[expect.any(String), victim], [victim], [victim]]);
    const received = ids(eventsIn(await drainQueue(sqs, queueUrl)));
    expect(received).toHaveLength(11);
    expect(received).not.toContain(victim);
    expect(receiver.archived()).toHaveLength(1);
  });

  test('a message SQS refuses as too large is not retried: 503, and the other job is in the queue', async () => {
    const callback = jobCallback([jobsDetailOf('task-watermark-xml'), jobsDetailOf('task-transcode-xml')]);
    const [small, large] = eventsOf(callback);
    // The limit sits between the two, read from the events (room for the message attributes), so
    // that a field the contract gains does not move it.
    const limit = Math.max(1024, JSON.stringify(small).length + 512);
    expect(JSON.stringify(large).length).toBeGreaterThan(limit);
    const queueUrl = await createQueue(sqs, { attributes: { MaximumMessageSize: String(limit) } });
    proxy = await startSqsFaultProxy(fauxqs.port, () => false);
    const res = await receiverFor(queueUrl, proxy.port).handler(urlEvent(callback));
    expect([res.statusCode, body(res).error.code]).toEqual([503, 'forward_failed']);
    expect(proxy.batches).toHaveLength(1);
    expect(ids(eventsIn(await drainQueue(sqs, queueUrl)))).toEqual([small.id]);
  });
});
