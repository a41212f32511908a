import type { CanonicalValue } from '../events';
import { asList, asObject, text } from '../parse/canonical';
import { isForbiddenKey } from '../parse/limits';

/**
 * CosHeaders arrive as a list of {Key, Value} pairs; consumers want a map.
 * A header key that would clash with Object.prototype is left out of the map
 * (it is user data from an upload, not a reason to refuse the callback).
 */
export function cosHeaderMap(value: CanonicalValue | undefined): Record<string, string> {
  return readCosHeaders(value).map;
}

/**
 * The map, and the entries it cannot hold, so that an event can keep them elsewhere: an entry
 * without a Key, with a key the map refuses (`__proto__`), or an earlier value of a repeated key
 * (the map keeps the last one, as before).
 */
export function readCosHeaders(value: CanonicalValue | undefined): { map: Record<string, string>; unmapped: CanonicalValue[] } {
  const map: Record<string, string> = {};
  const entries = asList(value);
  const lastIndexOf = new Map<string, number>();
  entries.forEach((entry, index) => {
    const key = mappableKey(entry);
    if (key !== null) lastIndexOf.set(key, index);
  });
  const unmapped: CanonicalValue[] = [];
  entries.forEach((entry, index) => {
    const key = mappableKey(entry);
    if (key !== null && lastIndexOf.get(key) === index) map[key] = text(asObject(entry)?.Value) ?? '';
    else unmapped.push(entry);
  });
  return { map, unmapped };
}

/** The key of an entry the map can hold whole: a text Key the map accepts, a text Value or none, nothing else. */
function mappableKey(entry: CanonicalValue): string | null {
  const pair = asObject(entry);
  const key = text(pair?.Key);
  if (!pair || key === null || isForbiddenKey(key)) return null;
  const { Key: _key, Value: value, ...others } = pair;
  return (value === undefined || typeof value === 'string') && Object.keys(others).length === 0 ? key : null;
}
