import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { Message } from '@aws-sdk/client-sqs';
import type { SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { handler, logger } from '../examples/queue-consumer';
import { manyJobsOneHuge } from './support/callbacks';
import { urlEvent } from './support/fixtures';
import { eventsOf } from './support/parse';
import { testReceiver } from './support/receiver';
import { startFauxqs, useLocalAws } from './support/servers';
import { createQueue, drainQueue, sqsClient } from './support/sqs';

let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;

beforeAll(async () => {
  fauxqs = await startFauxqs();
  useLocalAws({ sqs: fauxqs.port, s3: fauxqs.port });
});
afterAll(() => fauxqs.stop());

/** A message as the Lambda SQS trigger hands it to the consumer. */
function asLambdaRecord(message: Message): SQSRecord {
  const attributes: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    attributes[name] = { stringValue: value.StringValue, dataType: value.DataType ?? 'String', stringListValues: [], binaryListValues: [] };
  }
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: attributes,
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:events',
    awsRegion: 'us-east-1',
  };
}

test('the example consumer reads an event that came as a claim check from the bucket, like the others', async () => {
  const bucket = 'claims-consumer';
  await new S3Client({}).send(new CreateBucketCommand({ Bucket: bucket }));
  const sqs = sqsClient();
  const queueUrl = await createQueue(sqs);
  const callback = manyJobsOneHuge('task-watermark-xml', 12, 4, 300_000);
  const receiver = testReceiver({ CALLBACK_SINKS: 'sqs', SQS_QUEUE_URL: queueUrl, ARCHIVE_BUCKET: bucket });
  expect((await receiver.handler(urlEvent(callback))).statusCode).toBe(200);
  const messages = await drainQueue(sqs, queueUrl);
  expect(messages.filter((m) => m.MessageAttributes?.ExtendedPayloadSize)).toHaveLength(1);

  const logged: string[] = [];
  jest.spyOn(logger, 'info').mockImplementation((...args: unknown[]) => void logged.push(String((args[1] as { eventId?: string }).eventId)));
  jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
  const errors = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  try {
    const records = messages.map(asLambdaRecord);
    const missing = { ...records[0], messageId: 'gone', body: JSON.stringify(['software.amazon.payloadoffloading.PayloadS3Pointer', { s3BucketName: bucket, s3Key: 'claim-checks/sqs/none.json' }]), messageAttributes: { ExtendedPayloadSize: { stringValue: '1', dataType: 'Number', stringListValues: [], binaryListValues: [] } } };
    const response = await handler({ Records: [...records, missing] });
    // A claim check whose object is gone fails that message only; SQS delivers it again.
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'gone' }] });
    expect(errors).toHaveBeenCalledTimes(1);
    expect(logged.sort()).toEqual(eventsOf(callback).map((e) => e.id).sort());
  } finally {
    jest.restoreAllMocks();
  }
});
