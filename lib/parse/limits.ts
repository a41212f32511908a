/** Deeper than any CI payload (about 8 levels); shallow enough that walking it can never exhaust the stack. */
export const MAX_DEPTH = 64;

/**
 * Names that would reach Object.prototype through assignment or `in` checks
 * (`__proto__`, `constructor`, `toString`, …). No CI element is named like that.
 */
export function isForbiddenKey(key: string): boolean {
  return PROTOTYPE_FIRST_CHARS.has(key.charCodeAt(0)) && PROTOTYPE_NAMES.has(key);
}

// Object.prototype has no prototype of its own, so `key in Object.prototype` is exactly this
// set. Checked once per key parsed: a look at the first character settles CI's capitalized
// names without hashing them, and a Set lookup costs a fraction of `in` on that object.
const PROTOTYPE_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));
const PROTOTYPE_FIRST_CHARS: ReadonlySet<number> = new Set([...PROTOTYPE_NAMES].map((name) => name.charCodeAt(0)));
