import type { CallbackEvent } from '../events';

/**
 * Port: a destination for normalized events. Adapters must be idempotent on `event.id`
 * (a retried callback may deliver the same events again) and must throw when any event
 * of the batch was not stored for a reason that may pass (the sender gets a 503 and retries),
 * after trying every other event of the batch.
 *
 * An event the sink can never take (too large with no claim-check bucket, refused as the
 * sender's fault) is not a reason to fail the callback forever: the adapter stores the
 * others and returns it in `leftOut`; the answer names it and the archive keeps it.
 */
export interface EventSink {
  readonly name: string;
  send(events: readonly CallbackEvent[]): Promise<SinkResult | void>;
}

export interface SinkResult {
  leftOut: LeftOutEvent[];
}

/** An event a sink did not store and never will, and why. */
export interface LeftOutEvent {
  id: string;
  sink: string;
  reason: string;
}
