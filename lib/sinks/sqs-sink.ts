import {
  SendMessageBatchCommand,
  SQSClient,
  type BatchResultErrorEntry,
  type MessageAttributeValue,
  type SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import { PAYLOAD_SIZE_ATTRIBUTE, pointerBody, type ClaimCheckStore } from '../claim-check';
import type { CallbackEvent } from '../events';
import { forEachBounded } from './bounded';
import type { EventSink, LeftOutEvent, SinkResult } from './sink';
import { uniqueById } from './unique';

/** SendMessageBatch takes at most 10 entries and 256 KiB in all; a message at most 256 KiB. */
const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;
const MAX_MESSAGE_BYTES = 256 * 1024;
/** SendMessageBatch calls in flight at once for one callback. */
const SQS_CONCURRENCY = 8;
/** Waits before re-sending the entries SQS failed on its side (SenderFault false). */
const RETRY_DELAYS_MS = [100, 500];

interface Pending {
  event: CallbackEvent;
  entry: SendMessageBatchRequestEntry;
}

/**
 * Sends each event as one message whose body is the CloudEvent JSON, with `type`, `tag` and
 * `state` as message attributes for consumers' filters. On a FIFO queue (URL ending `.fifo`)
 * the group is the JobId or RunId, keeping one job's or run's events in order, and the
 * deduplication id is the event id, so SQS drops a redelivered callback within its 5-minute window.
 *
 * Batches go out SQS_CONCURRENCY at a time; every batch is sent even when another failed.
 * An event over 256 KiB, or one SQS refuses for its size or content (a queue with a smaller
 * MaximumMessageSize, characters SQS does not take), travels as a claim check when a bucket
 * is configured, else is left out (returned, never retried).
 */
export class SqsSink implements EventSink {
  readonly name = 'sqs';
  private readonly fifo: boolean;

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly claimChecks: ClaimCheckStore | null = null,
    private readonly retryDelaysMs: readonly number[] = RETRY_DELAYS_MS,
  ) {
    // Only the suffix: a queue URL is not always a parseable URL (emulators), and need not be.
    this.fifo = queueUrl.endsWith('.fifo');
  }

  async send(events: readonly CallbackEvent[]): Promise<SinkResult> {
    const leftOut: LeftOutEvent[] = [];
    const failures: string[] = [];
    const sendAll = async (lane: CallbackEvent[], workers: number) =>
      forEachBounded(batches(lane, (event) => this.entryFor(event)), workers, async (batch) => {
        try {
          const outcome = await this.sendBatch(batch);
          leftOut.push(...outcome.leftOut);
          failures.push(...outcome.failures);
        } catch (err) {
          failures.push(`${batch.length} messages (${(err as Error).name}: ${(err as Error).message})`);
        }
      });
    const unique = uniqueById(events);
    // FIFO: one group's events stay in one lane, sent one batch after another, so their order
    // is kept; lanes run side by side. Standard: one lane, SQS_CONCURRENCY batches at a time.
    if (this.fifo) await Promise.all(lanesByGroup(unique, SQS_CONCURRENCY).map((lane) => sendAll(lane, 1)));
    else await sendAll(unique, SQS_CONCURRENCY);
    if (failures.length > 0) throw new Error(`SQS did not accept every message: ${failures.join('; ')}`);
    return { leftOut };
  }

  private entryFor(event: CallbackEvent, body = JSON.stringify(event), size?: number): SendMessageBatchRequestEntry {
    const attributes = messageAttributes(event);
    if (size !== undefined) attributes[PAYLOAD_SIZE_ATTRIBUTE] = { DataType: 'Number', StringValue: String(size) };
    return {
      // The event id is hex, within the batch entry id's alphabet; entries are unique by id.
      Id: event.id,
      MessageBody: body,
      MessageAttributes: attributes,
      ...(this.fifo ? { MessageGroupId: event.subject, MessageDeduplicationId: event.id } : {}),
    };
  }

  /**
   * Sends a batch: oversized entries as claim checks first; re-sends what failed on SQS's
   * side; a message SQS refuses for its size or content goes once more as a claim check.
   * Returns the events left out and the entries that still failed: those SQS failed on its
   * side after the retries, and any other sender fault (a queue that does not match the
   * sink's settings: every callback would fail the same way, so it is not left out but fails).
   */
  private async sendBatch(batch: Pending[]): Promise<{ leftOut: LeftOutEvent[]; failures: string[] }> {
    const leftOut: LeftOutEvent[] = [];
    const refused: string[] = [];
    let pending: Pending[] = [];
    for (const item of batch) {
      if (entrySize(item.entry) <= MAX_MESSAGE_BYTES) pending.push(item);
      else await this.offload(item, `over SQS's ${MAX_MESSAGE_BYTES} bytes`, pending, leftOut);
    }
    for (let attempt = 0; pending.length > 0; attempt++) {
      const result = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending.map((p) => p.entry) }));
      const failed = new Map(unaccepted(pending, result.Successful ?? [], result.Failed ?? []).map((f) => [f.Id, f]));
      const retry: Pending[] = [];
      for (const item of pending) {
        const failure = failed.get(item.entry.Id);
        if (!failure) continue;
        const why = `${failure.Code}: ${failure.Message}`;
        if (!failure.SenderFault) retry.push(item);
        // Too large or unacceptable as a message, the same again on retry: as a claim check, or left out.
        else if (isUnfitMessage(failure) && !isPointer(item.entry)) await this.offload(item, `refused by SQS: ${why}`, retry, leftOut);
        else refused.push(`${item.event.id} (${why}, sender fault)`);
      }
      if (retry.length > 0 && attempt === this.retryDelaysMs.length) {
        const detail = retry.map((item) => `${item.event.id} (${failed.get(item.entry.Id)?.Code}: ${failed.get(item.entry.Id)?.Message})`);
        return { leftOut, failures: [...refused, ...detail] };
      }
      if (retry.length > 0) await sleep(this.retryDelaysMs[attempt]);
      pending = retry;
    }
    return { leftOut, failures: refused };
  }

  /** Puts the event in the claim-check bucket and queues its pointer message; without a bucket, leaves it out. */
  private async offload(item: Pending, why: string, into: Pending[], leftOut: LeftOutEvent[]): Promise<void> {
    if (!this.claimChecks) {
      leftOut.push({ id: item.event.id, sink: this.name, reason: `${why}; no claim-check bucket (ARCHIVE_BUCKET)` });
      return;
    }
    const check = await this.claimChecks.put(this.name, item.event, item.entry.MessageBody ?? '');
    into.push({ event: item.event, entry: this.entryFor(item.event, pointerBody(check), check.size) });
  }
}

const isPointer = (entry: SendMessageBatchRequestEntry) => entry.MessageAttributes?.[PAYLOAD_SIZE_ATTRIBUTE] !== undefined;

/** SQS refused the message itself: over the queue's MaximumMessageSize, or characters it does not accept. */
function isUnfitMessage(failure: BatchResultErrorEntry): boolean {
  return failure.Code === 'InvalidMessageContents' || /shorter than|too long/i.test(failure.Message ?? '');
}

/** The entries SQS did not report as sent: its Failed list, and any entry it left out of both lists. */
function unaccepted(sent: Pending[], successful: Array<{ Id?: string }>, failed: BatchResultErrorEntry[]): BatchResultErrorEntry[] {
  const reported = new Set([...successful, ...failed].map((r) => r.Id));
  const missing = sent
    .filter(({ entry }) => !reported.has(entry.Id))
    .map(({ entry }) => ({ Id: entry.Id, SenderFault: false, Code: 'NotReported', Message: 'absent from the batch result' }));
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

/** Splits events into FIFO lanes by message group (the subject), so that one group is in one lane. */
function lanesByGroup(events: CallbackEvent[], count: number): CallbackEvent[][] {
  const lanes: CallbackEvent[][] = Array.from({ length: count }, () => []);
  for (const event of events) lanes[hashOf(event.subject) % count].push(event);
  return lanes.filter((lane) => lane.length > 0);
}

function hashOf(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) >>> 0;
  return hash;
}

/**
 * Groups events into SendMessageBatch calls within both limits (count and total size),
 * building each entry only when its batch is taken: a large callback's messages do not all
 * exist at once. An entry too large for any batch comes alone (it goes as a claim check).
 */
export function* batches(events: Iterable<CallbackEvent>, entryFor: (event: CallbackEvent) => SendMessageBatchRequestEntry): Generator<Pending[]> {
  let current: Pending[] = [];
  let bytes = 0;
  for (const event of events) {
    const entry = entryFor(event);
    const size = entrySize(entry);
    if (current.length > 0 && (current.length === MAX_ENTRIES || bytes + size > MAX_BATCH_BYTES)) {
      yield current;
      current = [];
      bytes = 0;
    }
    current.push({ event, entry });
    bytes += size;
  }
  if (current.length > 0) yield current;
}

/** What SQS counts against the size limit: the body and each attribute's name, type and value. */
function entrySize(entry: SendMessageBatchRequestEntry): number {
  let size = Buffer.byteLength(entry.MessageBody ?? '');
  for (const [name, value] of Object.entries(entry.MessageAttributes ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '') + Buffer.byteLength(value.StringValue ?? '');
  }
  return size;
}
