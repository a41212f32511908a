import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { handler, logger } from '../examples/queue-consumer';
import { parseCallback, type CallbackEvent } from '../lib';
import { loadEvent, sampleBody } from './support/fixtures';

const eventsOf = (name: string) => parseCallback(sampleBody(name), loadEvent(name).headers?.['content-type']);

/** An SQS record as Lambda delivers it, carrying a message body as the SQS sink sends it. */
function sqsRecord(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1656585775000',
      SenderId: 'AROAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1656585775001',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:ap-southeast-1:123456789012:ci-callback-receiver-dev-events',
    awsRegion: 'ap-southeast-1',
  };
}

const sqsEvent = (records: SQSRecord[]): SQSEvent => ({ Records: records });

describe('the example queue consumer', () => {
  let logged: Array<[string, string, Record<string, unknown>]>;
  beforeEach(() => {
    logged = [];
    for (const level of ['info', 'warn', 'error'] as const) {
      jest.spyOn(logger, level).mockImplementation((...args: unknown[]) => {
        logged.push([level, String(args[0]), (args[1] ?? {}) as Record<string, unknown>]);
      });
    }
  });
  afterEach(() => jest.restoreAllMocks());

  // What each message shows has the values its sample produces; `npm run examples` adds the fields a later minor version brings.
  test('examples/sqs-event.json carries, in each message, the event of the sample its messageId names', () => {
    const fixture: SQSEvent = JSON.parse(readFileSync(join(__dirname, '..', 'examples', 'sqs-event.json'), 'utf8'));
    expect(fixture.Records.length).toBeGreaterThan(0);
    for (const record of fixture.Records) {
      expect(eventsOf(record.messageId)[0]).toMatchObject(JSON.parse(record.body));
    }
  });

  test('logs the result of every job and workflow run of the samples, and fails no message', async () => {
    const events = [...eventsOf('task-watermark-xml'), ...eventsOf('task-tts-from-workflow-json'), ...eventsOf('workflow-xml')];
    const response = await handler(sqsEvent(events.map((e, i) => sqsRecord(`m${i}`, JSON.stringify(e)))));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(logged.map(([, , extra]) => extra.eventId)).toEqual(events.map((e) => e.id));
    expect(logged[0]).toEqual([
      'info',
      'job j515a494af86111ecb8546d80f2baf56f Success',
      expect.objectContaining({ jobId: 'j515a494af86111ecb8546d80f2baf56f', tag: 'ExtractDigitalWatermark', object: 'output/digital.mp4' }),
    ]);
    expect(logged[2][1]).toMatch(/^workflow run \S+ \w+$/);
  });

  test('logs each moderation result by kind and verdict: pass as info, block and review as warnings', async () => {
    const [pass] = parseCallback(sampleBody('moderation-image-simple'), 'application/json', 'Simple') as CallbackEvent[];
    const [detail] = parseCallback(sampleBody('moderation-video-detail'), 'application/json', 'Detail') as CallbackEvent[];
    const blocked = { ...detail, data: { ...detail.data, verdict: 'block', label: 'Porn' } };
    const response = await handler(sqsEvent([sqsRecord('m1', JSON.stringify(pass)), sqsRecord('m2', JSON.stringify(blocked))]));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(logged).toEqual([
      ['info', 'moderation ixzt90jl2dfscxxxxxxxxxxxxxxxxx image pass', expect.objectContaining({ eventId: pass.id, object: 'test.jpg', bucketId: 'examplebucket-1250000000' })],
      ['warn', 'moderation xxxxxx video block', expect.objectContaining({ eventId: detail.id, label: 'Porn', object: '1.mp4' })],
    ]);
  });

  test('a job that did not succeed is logged as a warning', async () => {
    const [event] = eventsOf('task-watermark-xml') as CallbackEvent[];
    const failed = { ...event, data: { ...event.data, state: 'Failed', code: 'InternalError' } };
    await handler(sqsEvent([sqsRecord('m1', JSON.stringify(failed))]));
    expect(logged).toEqual([['warn', expect.stringMatching(/ Failed$/), expect.objectContaining({ code: 'InternalError' })]]);
  });

  test('reports exactly the broken messages as batch item failures; an unknown event type is skipped', async () => {
    const [job] = eventsOf('task-watermark-json');
    const { jobId: _jobId, ...withoutJobId } = job.data as unknown as Record<string, unknown>;
    const response = await handler(
      sqsEvent([
        sqsRecord('good', JSON.stringify(job)),
        sqsRecord('not-json', '<JobsDetail/>'),
        sqsRecord('not-a-cloudevent', JSON.stringify({ hello: 'world' })),
        sqsRecord('breaks-the-schema', JSON.stringify({ ...job, data: withoutJobId })),
        sqsRecord('newer-type', JSON.stringify({ ...job, type: 'com.tencentcloud.ci.job.started' })),
      ]),
    );
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'not-json' },
      { itemIdentifier: 'not-a-cloudevent' },
      { itemIdentifier: 'breaks-the-schema' },
    ]);
    expect(logged.find(([, , extra]) => extra.messageId === 'breaks-the-schema')?.[2].reason).toMatch(/jobId/);
    expect(logged.filter(([level]) => level === 'info').map(([, message]) => message)).toEqual([
      `job ${job.subject} Success`,
      'skipped: not an event type this consumer reads',
    ]);
  });

  describe('tolerant of a contract that grows', () => {
    const [job] = eventsOf('task-snapshot-xml');

    test('an event of a later minor version (new fields everywhere) is consumed, not failed', async () => {
      const data = job.data as unknown as Record<string, Record<string, unknown> | unknown[]>;
      const grown = {
        ...job,
        cinewattribute: 'x',
        data: { ...data, newField: { nested: [1] }, input: { ...data.input, newField: 1 }, outputs: [{ ...(data.outputs as object[])[0], size: 3 }] },
      };
      const response = await handler(sqsEvent([sqsRecord('grown', JSON.stringify(grown))]));
      expect(response).toEqual({ batchItemFailures: [] });
      expect(logged[0]).toEqual(['info', `job ${job.subject} Success`, expect.objectContaining({ outputs: ['output/snapshot-0.jpg'] })]);
    });

    test('an event written under contract 1.0 (no dataschema, outputs or extra) is consumed', async () => {
      const { dataschema: _dataschema, ...older } = job;
      const { outputs: _outputs, extra: _extra, ...olderData } = job.data as unknown as Record<string, unknown>;
      const response = await handler(sqsEvent([sqsRecord('older', JSON.stringify({ ...older, data: olderData }))]));
      expect(response).toEqual({ batchItemFailures: [] });
      expect(logged[0][0]).toBe('info');
    });

    test('an event of another major version is refused, so that it waits in the queue for a consumer that reads it', async () => {
      const next = { ...job, dataschema: 'urn:ci-callback-receiver:schema:callback-event.v2.json' };
      const response = await handler(sqsEvent([sqsRecord('v2', JSON.stringify(next))]));
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'v2' }]);
      expect(logged[0][2].reason).toMatch(/callback-event\.v2\.json/);
    });
  });
});
