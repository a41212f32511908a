import {
  SendMessageBatchCommand,
  SQSClient,
  type BatchResultErrorEntry,
  type MessageAttributeValue,
  type SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CallbackEvent } from '../events';
import type { EventSink } from './sink';
import { uniqueById } from './unique';

/** SendMessageBatch takes at most 10 entries and 256 KiB in all. */
const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;
/** Waits before re-sending the entries SQS failed on its side (SenderFault false). */
const RETRY_DELAYS_MS = [100, 500];

/**
 * Sends each event as one message whose body is the CloudEvent JSON, with `type`, `tag` and
 * `state` as message attributes for consumers' filters. On a FIFO queue (URL ending `.fifo`)
 * the group is the JobId or RunId, keeping one job's or run's events in order, and the
 * deduplication id is the event id, so SQS drops a redelivered callback within its 5-minute window.
 */
export class SqsSink implements EventSink {
  readonly name = 'sqs';
  private readonly fifo: boolean;

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly retryDelaysMs: readonly number[] = RETRY_DELAYS_MS,
  ) {
    // Only the suffix: a queue URL is not always a parseable URL (emulators), and need not be.
    this.fifo = queueUrl.endsWith('.fifo');
  }

  async send(events: readonly CallbackEvent[]): Promise<void> {
    const entries = uniqueById(events).map((event) => this.entryFor(event));
    // One batch after another: on a FIFO queue the order of a group's messages is kept.
    for (const batch of batches(entries)) await this.sendBatch(batch);
  }

  private entryFor(event: CallbackEvent): SendMessageBatchRequestEntry {
    return {
      // The event id is hex, within the batch entry id's alphabet; entries are unique by id.
      Id: event.id,
      MessageBody: JSON.stringify(event),
      MessageAttributes: messageAttributes(event),
      ...(this.fifo ? { MessageGroupId: event.subject, MessageDeduplicationId: event.id } : {}),
    };
  }

  /** Sends a batch; re-sends what failed on SQS's side, then throws for whatever is left. */
  private async sendBatch(batch: SendMessageBatchRequestEntry[]): Promise<void> {
    let pending = batch;
    const permanent: BatchResultErrorEntry[] = [];
    let transient: BatchResultErrorEntry[] = [];
    for (let attempt = 0; ; attempt++) {
      const result = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending }));
      const failed = unaccepted(pending, result.Successful ?? [], result.Failed ?? []);
      // A sender fault (too large, invalid characters) fails the same way again: not retried.
      permanent.push(...failed.filter((f) => f.SenderFault));
      transient = failed.filter((f) => !f.SenderFault);
      if (transient.length === 0 || attempt === this.retryDelaysMs.length) break;
      await sleep(this.retryDelaysMs[attempt]);
      const retry = new Set(transient.map((f) => f.Id));
      pending = pending.filter((entry) => retry.has(entry.Id));
    }
    const failures = [...permanent, ...transient];
    if (failures.length > 0) {
      const detail = failures.map((f) => `${f.Id} (${f.Code}${f.SenderFault ? ', sender fault' : ''}: ${f.Message})`);
      throw new Error(`SQS did not accept ${failures.length} of ${batch.length} messages: ${detail.join('; ')}`);
    }
  }
}

/** The entries SQS did not report as sent: its Failed list, and any entry it left out of both lists. */
function unaccepted(
  sent: SendMessageBatchRequestEntry[],
  successful: Array<{ Id?: string }>,
  failed: BatchResultErrorEntry[],
): BatchResultErrorEntry[] {
  const reported = new Set([...successful, ...failed].map((r) => r.Id));
  const missing = sent
    .filter((entry) => !reported.has(entry.Id))
    .map((entry) => ({ Id: entry.Id, SenderFault: false, Code: 'NotReported', Message: 'absent from the batch result' }));
  return [...failed, ...missing];
}

function messageAttributes(event: CallbackEvent): Record<string, MessageAttributeValue> {
  const tag = 'tag' in event.data ? event.data.tag : null;
  const attributes: Record<string, MessageAttributeValue> = { type: text(event.type) };
  // SQS refuses empty attribute values: an attribute the callback lacks is left out.
  if (tag) attributes.tag = text(tag);
  if (event.data.state) attributes.state = text(event.data.state);
  return attributes;
}

const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

/** Splits entries into SendMessageBatch calls within both limits (count and total size). */
export function batches(entries: SendMessageBatchRequestEntry[]): SendMessageBatchRequestEntry[][] {
  const out: SendMessageBatchRequestEntry[][] = [];
  let current: SendMessageBatchRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entrySize(entry);
    if (current.length > 0 && (current.length === MAX_ENTRIES || bytes + size > MAX_BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** What SQS counts against the size limit: the body and each attribute's name, type and value. */
function entrySize(entry: SendMessageBatchRequestEntry): number {
  let size = Buffer.byteLength(entry.MessageBody ?? '');
  for (const [name, value] of Object.entries(entry.MessageAttributes ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '') + Buffer.byteLength(value.StringValue ?? '');
  }
  return size;
}
