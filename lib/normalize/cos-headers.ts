import type { CanonicalValue } from '../events';
import { asList, asObject, text } from '../parse/canonical';
import { isForbiddenKey } from '../parse/limits';

/**
 * CosHeaders arrive as a list of {Key, Value} pairs; consumers want a map.
 * A header key that would clash with Object.prototype is left out of the map
 * (it is user data from an upload, not a reason to refuse the callback).
 */
export function cosHeaderMap(value: CanonicalValue | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of asList(value)) {
    const pair = asObject(entry);
    const key = text(pair?.Key);
    if (key === null || isForbiddenKey(key)) continue;
    headers[key] = text(pair?.Value) ?? '';
  }
  return headers;
}
