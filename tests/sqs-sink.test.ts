import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { CallbackEvent } from '../lib/events';
import { jobCallback, jobsDetailOf, manyJobs, manyJobsOneHuge } from './support/callbacks';
import { goodSamples, loadEvent, sampleBody, urlEvent } from './support/fixtures';
import { eventsOf } from './support/parse';
import { testReceiver } from './support/receiver';
import { startFauxqs, useLocalAws } from './support/servers';
import { startSqsFaultProxy, type SqsFaultProxy } from './support/servers/sqs-fault-proxy';
import { createQueue, drainQueue, eventsIn, sqsClient } from './support/sqs';

let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
let sqs: SQSClient;
let s3: S3Client;
let buckets = 0;

beforeAll(async () => {
  fauxqs = await startFauxqs();
  useLocalAws({ sqs: fauxqs.port, s3: fauxqs.port });
  sqs = sqsClient();
  s3 = new S3Client({});
});
afterAll(() => fauxqs.stop());

/** A receiver forwarding to the queue; its SQS client talks to `port` (fauxqs, or a proxy in front). */
function receiverFor(queueUrl: string, port = fauxqs.port, env: Record<string, string> = {}) {
  process.env.AWS_ENDPOINT_URL_SQS = `http://127.0.0.1:${port}`;
  return testReceiver({ CALLBACK_SINKS: 'sqs', SQS_QUEUE_URL: queueUrl, ...env });
}

async function createBucket(): Promise<string> {
  const bucket = `claims-${++buckets}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

const objectText = async (bucket: string, key: string) =>
  (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString('utf8')) ?? '';

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

  test('a callback with 23 jobs goes out in SendMessageBatch calls of 10, 10 and 3, sent side by side; each job arrives once', async () => {
    const queueUrl = await createQueue(sqs);
    const proxy = await startSqsFaultProxy(fauxqs.port, () => false, 200);
    try {
      const res = await receiverFor(queueUrl, proxy.port).handler(urlEvent(manyJobs('task-watermark-xml', 23)));
      expect([res.statusCode, body(res).accepted]).toEqual([200, 23]);
      expect(proxy.batches.map((b) => b.length).sort((a, b) => a - b)).toEqual([3, 10, 10]);
      expect(proxy.peakInFlight()).toBe(3);
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

test("on a FIFO queue, 25 events of one job (one message group) arrive in the callback's order, though batches go out side by side", async () => {
  const queueUrl = await createQueue(sqs, { fifo: true });
  const detail = jobsDetailOf('task-watermark-xml');
  const sameJob = jobCallback(Array.from({ length: 25 }, (_, i) => detail.replace(/<Code>[^<]*<\/Code>/, `<Code>Step${i}</Code>`)));
  const others = manyJobs('task-words-xml', 30);
  const callback = sameJob.replace('</Response>', others.slice(others.indexOf('<JobsDetail>')));
  const events = eventsOf(callback);
  expect(new Set(events.map((e) => e.id)).size).toBe(55);
  expect((await receiverFor(queueUrl).handler(urlEvent(callback))).statusCode).toBe(200);
  const received = eventsIn(await drainQueue(sqs, queueUrl));
  const ofJob = (list: CallbackEvent[]) => ids(list.filter((e) => e.subject === events[0].subject));
  expect(ofJob(received)).toEqual(ofJob(events));
  expect(received).toHaveLength(55);
});

describe('partial batch failures', () => {
  let proxy: SqsFaultProxy | undefined;
  afterEach(() => proxy?.close());
  const victim = eventsOf(manyJobs('task-watermark-xml', 12))[11].id;

  test('entries SQS failed on its side are sent again, and only those', async () => {
    const queueUrl = await createQueue(sqs);
    let failedOnce = false;
    proxy = await startSqsFaultProxy(fauxqs.port, (entry) => entry.Id === victim && !failedOnce && (failedOnce = true));
    const res = await receiverFor(queueUrl, proxy.port).handler(urlEvent(manyJobs('task-watermark-xml', 12)));
    expect(res.statusCode).toBe(200);
    expect(proxy.batches.map((b) => b.length).sort((a, b) => a - b)).toEqual([1, 2, 10]);
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
    expect(proxy.batches.filter((b) => b.includes(victim))).toEqual([[expect.any(String), victim], [victim], [victim]]);
    const received = ids(eventsIn(await drainQueue(sqs, queueUrl)));
    expect(received).toHaveLength(11);
    expect(received).not.toContain(victim);
    expect(receiver.archived()).toHaveLength(1);
  });

  test('any other sender fault (a queue that does not match the settings) fails the callback with 503, not a left-out event', async () => {
    const queueUrl = await createQueue(sqs);
    const missing = { SenderFault: true, Code: 'MissingParameter', Message: 'The request must contain the parameter MessageGroupId.' };
    proxy = await startSqsFaultProxy(fauxqs.port, (entry) => (entry.Id === victim ? missing : false));
    const res = await receiverFor(queueUrl, proxy.port).handler(urlEvent(manyJobs('task-watermark-xml', 12)));
    expect([res.statusCode, body(res).error.code]).toEqual([503, 'forward_failed']);
    // A sender fault is not retried; every other entry was sent.
    expect(proxy.batches.filter((b) => b.includes(victim))).toHaveLength(1);
    expect(ids(eventsIn(await drainQueue(sqs, queueUrl)))).toHaveLength(11);
  });

  test('a message the queue refuses as too large is left out without a bucket: 200 naming it, the other job is in the queue', async () => {
    const callback = jobCallback([jobsDetailOf('task-watermark-xml'), jobsDetailOf('task-transcode-xml')]);
    const [small, large] = eventsOf(callback);
    // The limit sits between the two, read from the events (room for the message attributes), so
    // that a field the contract gains does not move it.
    const limit = Math.max(1024, JSON.stringify(small).length + 512);
    expect(JSON.stringify(large).length).toBeGreaterThan(limit);
    const queueUrl = await createQueue(sqs, { attributes: { MaximumMessageSize: String(limit) } });
    proxy = await startSqsFaultProxy(fauxqs.port, () => false);
    const receiver = receiverFor(queueUrl, proxy.port);
    const res = await receiver.handler(urlEvent(callback));
    expect([res.statusCode, body(res).ids]).toEqual([200, [small.id, large.id]]);
    expect(body(res).leftOut).toEqual([{ id: large.id, sink: 'sqs', reason: expect.stringContaining('no claim-check bucket (ARCHIVE_BUCKET)') }]);
    expect(proxy.batches).toHaveLength(1);
    expect(ids(eventsIn(await drainQueue(sqs, queueUrl)))).toEqual([small.id]);
    expect(receiver.archived().map((r) => r.body)).toEqual([callback]);
  });
});

describe('an event too large for SQS (over 256 KiB) in a 30-job callback', () => {
  const callback = manyJobsOneHuge('task-watermark-xml', 30, 4, 300_000);
  const events = eventsOf(callback);
  const huge = events[4];
  const sizeOf = (message: Message) => message.MessageAttributes?.ExtendedPayloadSize?.StringValue;

  test('without a bucket it is left out and named in the 200; the 29 others are in the queue', async () => {
    expect(Buffer.byteLength(JSON.stringify(huge))).toBeGreaterThan(256 * 1024);
    const queueUrl = await createQueue(sqs);
    const receiver = receiverFor(queueUrl);
    const res = await receiver.handler(urlEvent(callback));
    expect([res.statusCode, body(res).accepted]).toEqual([200, 30]);
    expect(body(res).leftOut).toEqual([{ id: huge.id, sink: 'sqs', reason: expect.stringContaining('over SQS') }]);
    const received = ids(eventsIn(await drainQueue(sqs, queueUrl)));
    expect(received.sort()).toEqual(ids(events.filter((e) => e !== huge)).sort());
    expect(receiver.archived().map((r) => r.body)).toEqual([callback]);
  });

  test('with ARCHIVE_BUCKET it travels as an SQS Extended Client claim check: pointer body, ExtendedPayloadSize, the event in S3', async () => {
    const queueUrl = await createQueue(sqs, { fifo: true });
    const bucket = await createBucket();
    const res = await receiverFor(queueUrl, fauxqs.port, { ARCHIVE_BUCKET: bucket }).handler(urlEvent(callback));
    expect([res.statusCode, body(res).leftOut]).toEqual([200, undefined]);
    const messages = await drainQueue(sqs, queueUrl);
    expect(messages).toHaveLength(30);
    const pointers = messages.filter((m) => sizeOf(m) !== undefined);
    expect(pointers).toHaveLength(1);
    const key = `claim-checks/sqs/${huge.id}.json`;
    expect(JSON.parse(pointers[0].Body ?? '')).toEqual(['software.amazon.payloadoffloading.PayloadS3Pointer', { s3BucketName: bucket, s3Key: key }]);
    expect(pointers[0].MessageAttributes).toMatchObject({ type: { StringValue: huge.type }, ExtendedPayloadSize: { DataType: 'Number' } });
    expect(pointers[0].Attributes).toMatchObject({ MessageGroupId: huge.subject, MessageDeduplicationId: huge.id });
    const stored = await objectText(bucket, key);
    expect(Number(sizeOf(pointers[0]))).toBe(Buffer.byteLength(stored));
    expect(JSON.parse(stored)).toEqual(huge);
    expect(eventsIn(messages.filter((m) => m !== pointers[0])).map((e) => e.id).sort()).toEqual(ids(events.filter((e) => e !== huge)).sort());
  });

  test('with ARCHIVE_BUCKET, a message the queue refuses as too large (MaximumMessageSize) is sent again as a claim check', async () => {
    const twoJobs = jobCallback([jobsDetailOf('task-watermark-xml'), jobsDetailOf('task-transcode-xml')]);
    const [small, large] = eventsOf(twoJobs);
    const limit = Math.max(1024, JSON.stringify(small).length + 512);
    expect(JSON.stringify(large).length).toBeGreaterThan(limit);
    const queueUrl = await createQueue(sqs, { attributes: { MaximumMessageSize: String(limit) } });
    const bucket = await createBucket();
    const res = await receiverFor(queueUrl, fauxqs.port, { ARCHIVE_BUCKET: bucket }).handler(urlEvent(twoJobs));
    expect([res.statusCode, body(res).leftOut]).toEqual([200, undefined]);
    const messages = await drainQueue(sqs, queueUrl);
    expect(messages.map((m) => (sizeOf(m) ? 'pointer' : JSON.parse(m.Body ?? '').id)).sort()).toEqual(['pointer', small.id].sort());
    expect(JSON.parse(await objectText(bucket, `claim-checks/sqs/${large.id}.json`))).toEqual(large);
  });
});
