import type { CallbackEvent } from '../events';

/** A callback listing the same job twice yields one event: every adapter writes it once (the first). */
export function uniqueById(events: readonly CallbackEvent[]): CallbackEvent[] {
  const seen = new Set<string>();
  const unique: CallbackEvent[] = [];
  for (const event of events) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    unique.push(event);
  }
  return unique;
}
