/**
 * Runs `work` over items with at most `limit` in flight, in order of the items. Items are
 * pulled from the iterator only when a slot is free, so what a caller builds per item (a
 * message, an item) exists for at most `limit` items at once: memory stays bounded by the
 * callback's body, whatever its number of events.
 */
export async function forEachBounded<T>(items: Iterable<T>, limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const iterator = items[Symbol.iterator]();
  const worker = async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) await work(next.value);
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
}
