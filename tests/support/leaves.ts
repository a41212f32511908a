import { toIsoUtc } from '../../lib/normalize/time';

/**
 * The "nothing lost" property, for any callback family: every non-empty leaf value of a parsed
 * callback body is found in the events made from it. Values are compared as canonical form
 * prints them (trimmed text; numbers and booleans as text); a timestamp may be found in its
 * normalized form; the event's own texts include object keys, since a list of {Key, Value}
 * pairs becomes a map. Occurrences count: a value the body says twice must be in the events twice.
 */
export function missingLeaves(body: unknown, events: unknown[], options: { typeFields?: string[] } = {}): string[] {
  // Dotted paths from the body's root to the fields the event's `type` stands for (`EventName`, a
  // moderation Simple body's `data.event`): their values are not expected elsewhere in the event.
  const typeFields = new Set(options.typeFields ?? ['EventName']);
  const available = new Map<string, number>();
  for (const text of events.flatMap((e) => texts(e))) available.set(text, (available.get(text) ?? 0) + 1);
  const missing: string[] = [];
  for (const leaf of leavesOf(body, typeFields)) {
    const found = [leaf, toIsoUtc(leaf)].find((form) => form !== null && (available.get(form) ?? 0) > 0);
    if (found === undefined || found === null) missing.push(leaf);
    else available.set(found, (available.get(found) ?? 0) - 1);
  }
  return missing;
}

/** Every non-empty leaf of a parsed body, as trimmed text, except at the dotted paths `skip`. */
function leavesOf(tree: unknown, skip: Set<string> = new Set()): string[] {
  const leaves: string[] = [];
  const visit = (value: unknown, path: string): void => {
    if (value === null || value === undefined || skip.has(path)) return;
    if (Array.isArray(value)) return value.forEach((item) => visit(item, path));
    if (typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) visit(child, path === '' ? key : `${path}.${key}`);
      return;
    }
    const text = String(value).trim();
    if (text !== '') leaves.push(text);
  };
  visit(tree, '');
  return leaves;
}

/** Every text an event holds: string values and object keys. */
function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(texts);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, child]) => [key, ...texts(child)]);
  return [];
}
