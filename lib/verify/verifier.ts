import type { CallbackEvent } from '../events';

/**
 * Port: proves that parsed events describe real jobs and runs before they are forwarded.
 * Resolves with the events to forward, as the source of truth states them and marked as
 * confirmed (the callback only names what to look up), or throws a CallbackError: 403
 * unverified_callback (a claim the source of truth contradicts) or 503
 * verification_unavailable (the source of truth could not be asked).
 */
export interface CallbackVerifier {
  readonly name: string;
  confirm(events: readonly CallbackEvent[]): Promise<CallbackEvent[]>;
}
