import { misconfigured } from './errors';

/**
 * A numeric setting; undefined when unset. A malformed value fails every request closed
 * (500 misconfigured), whichever module reads it.
 */
export function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw misconfigured(`${name} must be a positive integer, got "${value}"`);
  return n;
}
