import { DynamoDBClient, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { isJobFinished, type CallbackEvent } from '../events';
import type { EventSink } from './sink';
import { uniqueById } from './unique';

/**
 * One item per event, in the table serverless.yml creates (the README shows the Queries):
 * - key `id`, the event id: a conditional put, so a redelivered callback writes nothing new;
 * - index `byJobId` (`jobId`, `at`): a job's (or moderation job's) events in time order, its final state last;
 * - index `byRunId` (`runId`, `at`): a workflow run's event and those of the jobs it started.
 * `at` is the event's time, or when it was stored if the callback carries none.
 */
export class DynamoDbSink implements EventSink {
  readonly name = 'dynamodb';

  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  async send(events: readonly CallbackEvent[]): Promise<void> {
    const storedAt = new Date().toISOString();
    const results = await Promise.allSettled(uniqueById(events).map((event) => this.put(event, storedAt)));
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
    if (failures.length > 0) {
      const detail = failures.map((err) => `${err.name}: ${err.message}`).join('; ');
      throw new Error(`DynamoDB did not store ${failures.length} of ${results.length} events: ${detail}`);
    }
  }

  private async put(event: CallbackEvent, storedAt: string): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: itemFor(event, storedAt),
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
    event: JSON.stringify(event),
  };
  // Absent values stay absent: an index key may not be empty, and a sparse index skips the item.
  return Object.fromEntries(
    Object.entries(strings).flatMap(([name, value]) => (value ? [[name, { S: value }]] : [])),
  );
}
