import type { CallbackEvent } from '../events';

/**
 * Port: a destination for normalized events. Adapters must be idempotent on `event.id`
 * (a retried callback may deliver the same events again) and must throw when any event
 * of the batch was not stored, so that the sender gets a 503 and can retry.
 */
export interface EventSink {
  readonly name: string;
  send(events: readonly CallbackEvent[]): Promise<void>;
}
