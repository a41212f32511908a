/** Deeper than any CI payload (about 8 levels); shallow enough that walking it can never exhaust the stack. */
export const MAX_DEPTH = 64;

/**
 * Names that would reach Object.prototype through assignment or `in` checks
 * (`__proto__`, `constructor`, `toString`, …). No CI element is named like that.
 */
export function isForbiddenKey(key: string): boolean {
  return key in Object.prototype;
}
