import { refuseTooManyEvents } from './normalize/event-limit';
import type { CallbackEvent } from './events';
import { normalizeCallback, type NormalizedCallback } from './normalize/callback';
import { parseBody } from './parse/body';
import { bodyText, type CallbackRequest } from './request';
import type { EventSink, LeftOutEvent } from './sinks/sink';
import { CallbackError } from './errors';
import { logger } from './observability/logger';
import type { ReceiverDeps } from './receiver-deps';

/**
 * Body → parsed tree → events. Pure: the same request always gives the same events. Besides the
 * body, only two headers count: Content-Type breaks a format tie, X-Ci-Content-Version a shape tie.
 */
export function eventsFromRequest(request: CallbackRequest, maxBodyBytes: number): NormalizedCallback {
  const text = bodyText(request, maxBodyBytes);
  const parsed = normalizeCallback(parseBody(text, request.headers['content-type']), {
    contentVersion: request.headers['x-ci-content-version'],
  });
  refuseTooManyEvents(parsed.events);
  return parsed;
}

/**
 * Everything that happens to parsed events before the response: the one step that the
 * handler and `npm run replay` share, so a replayed body is treated exactly like a live one.
 * With CALLBACK_VERIFY=ci, CI confirms the events first (403/503 otherwise, nothing forwarded).
 * Resolves with the events as forwarded; the events a sink left out (it can never take
 * them) are added to `leftOut`.
 */
export async function deliver(
  events: readonly CallbackEvent[],
  deps: Pick<ReceiverDeps, 'sinks' | 'verifier'>,
  leftOut: LeftOutEvent[] = [],
): Promise<readonly CallbackEvent[]> {
  const confirmed = deps.verifier && events.length > 0 ? await deps.verifier.confirm(events) : events;
  leftOut.push(...(await forward(confirmed, deps.sinks)));
  return confirmed;
}

/**
 * Sends the events to every sink at once. One failing sink fails the request (503) after
 * the others finished: sinks are idempotent, so the sender's retry duplicates nothing.
 */
async function forward(events: readonly CallbackEvent[], sinks: readonly EventSink[]): Promise<LeftOutEvent[]> {
  if (events.length === 0) return [];
  const results = await Promise.allSettled(sinks.map((sink) => sink.send(events)));
  const failed = sinks.filter((_, i) => results[i].status === 'rejected');
  if (failed.length > 0) {
    const reasons = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    throw Object.assign(
      new CallbackError(503, 'forward_failed', `forwarding failed at sink ${failed.map((s) => s.name).join(', ')}; retry later`),
      { causes: reasons, failedSinks: failed.map((s) => s.name) },
    );
  }
  const leftOut = results.flatMap((r) => (r.status === 'fulfilled' && r.value ? r.value.leftOut : []));
  if (leftOut.length > 0) logger.warn('events left out of a sink that can never take them; the archived body keeps them', { leftOut });
  return leftOut;
}
