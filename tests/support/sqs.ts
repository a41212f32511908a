import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import type { CallbackEvent } from '../../lib/events';

export const sqsClient = () => new SQSClient({ useQueueUrlAsEndpoint: false });

let queues = 0;

/** A fresh queue; FIFO when asked. Extra attributes (e.g. MaximumMessageSize) pass through. */
export async function createQueue(client: SQSClient, options: { fifo?: boolean; attributes?: Record<string, string> } = {}) {
  const name = `callbacks-${++queues}-${process.pid}${options.fifo ? '.fifo' : ''}`;
  const attributes = { ...(options.fifo ? { FifoQueue: 'true' } : {}), ...options.attributes };
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return QueueUrl as string;
}

/** Receives and deletes every message in the queue, in the order received. */
export async function drainQueue(client: SQSClient, queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return all;
    all.push(...Messages);
    await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
}

export const eventsIn = (messages: Message[]): CallbackEvent[] => messages.map((m) => JSON.parse(m.Body ?? ''));
