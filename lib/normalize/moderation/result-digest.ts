import type { CanonicalValue } from '../../events';
import { sha256Hex } from '../../sha256';

/**
 * A digest of one moderation result's content, independent of key order and whitespace.
 * CI retries a failed callback every 30 minutes for 24 hours with the same result, which must
 * keep its event id; a live stream reports several different results for one job while
 * Auditing, which must not share one. Neither the JobId nor the State tells them apart.
 */
export function resultDigest(result: CanonicalValue): string {
  return sha256Hex(stableJson(result));
}

function stableJson(value: CanonicalValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson(value[key])}`).join(',')}}`;
}
