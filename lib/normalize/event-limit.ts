import { CallbackError } from '../errors';
import type { CallbackEvent } from '../events';

/**
 * The most events one callback may carry. Measured (README, Performance) on the local
 * emulators, 2 cores under load: through the default sinks (sqs,dynamodb) and the S3 archive,
 * 500 one-job events took 4.2 s, 1,000 took 6.4–10.8 s, 1,500 took 9.7–10.6 s, against the
 * function's 10 s; peak RSS stayed under 130 MB (150 MB for 26,213 events through SQS), so
 * time, not memory, is the bound. CI sends one job per callback: this only bounds hand-made or
 * hostile bodies (1 MiB holds over 26,000 minimal entries).
 */
export const MAX_EVENTS_PER_CALLBACK = 500;

/** 413 for a callback with more events than the sinks can store within the function's timeout. */
export function refuseTooManyEvents(events: readonly CallbackEvent[]): void {
  if (events.length <= MAX_EVENTS_PER_CALLBACK) return;
  throw new CallbackError(
    413,
    'payload_too_large',
    `the callback carries ${events.length} events; at most ${MAX_EVENTS_PER_CALLBACK} per callback (send them in several)`,
  );
}
