import { DynamoDBClient, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { isJobFinished, type CallbackEvent } from '../events';
import type { ClaimCheckStore } from '../claim-check';
import { forEachBounded } from './bounded';
import type { EventSink, LeftOutEvent, SinkResult } from './sink';
import { uniqueById } from './unique';

/** DynamoDB's item limit (names and values, UTF-8). */
const MAX_ITEM_BYTES = 400 * 1024;
/**
 * Puts in flight at once for one callback: the SDK client's own socket limit (50), so a callback
 * of up to 50 events is stored in one round trip (BatchWriteItem cannot carry the condition that
 * keeps a redelivery from writing). At 16, 50 events took 4 waves (bench/README.md).
 */
export const DYNAMODB_CONCURRENCY = 50;

/**
 * One item per event, in the table serverless.yml creates (the README shows the Queries):
 * - key `id`, the event id: a conditional put, so a redelivered callback writes nothing new;
 * - index `byJobId` (`jobId`, `at`): a job's (or moderation job's) events in time order, its final state last;
 * - index `byRunId` (`runId`, `at`): a workflow run's event and those of the jobs it started.
 * `at` is the event's time, or when it was stored if the callback carries none.
 *
 * Puts run DYNAMODB_CONCURRENCY at a time, each item built when its put starts. An item over
 * 400 KB (by our count or DynamoDB's) keeps its keys and, instead of `event`, the claim check
 * `eventLocation` (s3://bucket/key) and `eventSize`; without a bucket the event is left out
 * (returned, never retried).
 */
export class DynamoDbSink implements EventSink {
  readonly name = 'dynamodb';

  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly claimChecks: ClaimCheckStore | null = null,
    private readonly concurrency = DYNAMODB_CONCURRENCY,
  ) {}

  async send(events: readonly CallbackEvent[]): Promise<SinkResult> {
    const storedAt = new Date().toISOString();
    const unique = uniqueById(events);
    const leftOut: LeftOutEvent[] = [];
    const failures: Error[] = [];
    await forEachBounded(unique, this.concurrency, async (event) => {
      try {
        const left = await this.store(event, storedAt);
        if (left) leftOut.push(left);
      } catch (err) {
        failures.push(err as Error);
      }
    });
    if (failures.length > 0) {
      const detail = failures.map((err) => `${err.name}: ${err.message}`).join('; ');
      throw new Error(`DynamoDB did not store ${failures.length} of ${unique.length} events: ${detail}`);
    }
    return { leftOut };
  }

  /** Puts the event's item, or its claim check's; returns it as left out when it is too large and there is no bucket. */
  private async store(event: CallbackEvent, storedAt: string): Promise<LeftOutEvent | undefined> {
    const json = JSON.stringify(event);
    const item = itemFor(event, storedAt);
    let why = `over DynamoDB's ${MAX_ITEM_BYTES} bytes`;
    if (itemSize(item) + Buffer.byteLength(json) + 'event'.length <= MAX_ITEM_BYTES) {
      try {
        await this.put({ ...item, event: { S: json } });
        return undefined;
      } catch (err) {
        // Too large by DynamoDB's own count: the same again on retry. Any other refusal (a
        // table that does not match, throttling) fails the callback: it is not this event's fault.
        if (!isItemTooLarge(err)) throw err;
        why = `refused by DynamoDB: ${(err as Error).message}`;
      }
    }
    if (!this.claimChecks) return { id: event.id, sink: this.name, reason: `${why}; no claim-check bucket (ARCHIVE_BUCKET)` };
    const check = await this.claimChecks.put(this.name, event, json);
    await this.put({ ...item, eventLocation: { S: `s3://${check.bucket}/${check.key}` }, eventSize: { N: String(check.size) } });
    return undefined;
  }

  private async put(item: Record<string, AttributeValue>): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(#id)',
          ExpressionAttributeNames: { '#id': 'id' },
        }),
      );
    } catch (err) {
      // The event is already stored: a redelivery, which is what the condition is for.
      if ((err as Error).name === 'ConditionalCheckFailedException') return;
      throw err;
    }
  }
}

function isItemTooLarge(err: unknown): boolean {
  const { name, message } = err as { name?: unknown; message?: unknown };
  return name === 'ValidationException' && typeof message === 'string' && /size/i.test(message);
}

/** DynamoDB's count of an item of string attributes: each name and value in UTF-8. */
function itemSize(item: Record<string, AttributeValue>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + Buffer.byteLength(value.S ?? value.N ?? '');
  return size;
}

function itemFor(event: CallbackEvent, storedAt: string): Record<string, AttributeValue> {
  const job = isJobFinished(event) ? event.data : null;
  const runId = job ? job.workflow?.runId : 'runId' in event.data ? event.data.runId : null;
  const strings: Record<string, string | null | undefined> = {
    id: event.id,
    type: event.type,
    source: event.source,
    subject: event.subject,
    time: event.time,
    at: event.time ?? storedAt,
    receivedAt: storedAt,
    state: event.data.state,
    tag: job?.tag,
    // A moderation result is keyed by its job too: a live stream's results in order.
    jobId: 'jobId' in event.data ? event.data.jobId : undefined,
    runId,
  };
  // Absent values stay absent: an index key may not be empty, and a sparse index skips the item.
  return Object.fromEntries(
    Object.entries(strings).flatMap(([name, value]) => (value ? [[name, { S: value }]] : [])),
  );
}
