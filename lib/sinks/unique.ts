import type { CallbackEvent } from '../events';

/** A callback listing the same job twice yields one event: every adapter writes it once. */
export function uniqueById(events: readonly CallbackEvent[]): CallbackEvent[] {
  const seen = new Set<string>();
  return events.filter((event) => !seen.has(event.id) && Boolean(seen.add(event.id)));
}
