import type { CanonicalObject, CanonicalValue } from '../events';
import { malformed } from '../errors';
import { isForbiddenKey, MAX_DEPTH } from './limits';

/**
 * Brings a parsed XML or JSON tree to one canonical form, so that both encodings of the
 * same callback normalize identically: scalars become strings, empty values (`<Message/>`,
 * `""`, `null`, `{}`, `[]`) disappear, a one-element array becomes its element.
 * Returns undefined for a value that is empty after canonicalization.
 */
export function canonicalize(value: unknown, depth = 0): CanonicalValue | undefined {
  if (depth > MAX_DEPTH) throw malformed(`nesting is deeper than ${MAX_DEPTH} levels`);
  if (value === null || value === undefined) return undefined;
  switch (typeof value) {
    case 'string': {
      const text = value.trim();
      if (text.includes('\u0000')) throw malformed('a NUL character is not allowed in a value');
      return text === '' ? undefined : text;
    }
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return Array.isArray(value) ? canonicalArray(value, depth) : canonicalObject(value as object, depth);
    default:
      return undefined;
  }
}

function canonicalArray(items: unknown[], depth: number): CanonicalValue | undefined {
  const out: CanonicalValue[] = [];
  for (const item of items) {
    const canonical = canonicalize(item, depth + 1);
    if (canonical !== undefined) out.push(canonical);
  }
  if (out.length === 0) return undefined;
  return out.length === 1 ? out[0] : out;
}

function canonicalObject(source: object, depth: number): CanonicalObject | undefined {
  const out: CanonicalObject = {};
  let empty = true;
  for (const key of Object.keys(source)) {
    // NUL: no CI field has one, XML forbids it, and PostgreSQL cannot store it.
    if (isForbiddenKey(key) || key.includes('\u0000')) throw malformed(`key "${key}" is not allowed`);
    const canonical = canonicalize((source as Record<string, unknown>)[key], depth + 1);
    if (canonical !== undefined) {
      if (Array.isArray(canonical)) FIELD_OF_LIST.set(canonical, key);
      out[key] = canonical;
      empty = false;
    }
  }
  return empty ? undefined : out;
}

/** The value as a list: absent is [], one value is [value]. */
export function asList(value: CanonicalValue | undefined): CanonicalValue[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * The value as one element, or undefined when it is not one. A field given several times
 * (`<Operation>` twice, or a JSON array where one object belongs) is read as its one value
 * when all copies are equal, and refused otherwise: dropping it would lose data silently.
 */
export function asObject(value: CanonicalValue | undefined): CanonicalObject | undefined {
  const one = Array.isArray(value) ? single(value) : value;
  return one !== undefined && typeof one === 'object' && !Array.isArray(one) ? one : undefined;
}

/**
 * A scalar field, or null when absent or not a scalar. A field given several times is read
 * as its one value when all copies are equal, and refused (400) when they differ: two
 * different `<State>`s are a damaged or forged callback, not a null state.
 */
export function text(value: CanonicalValue | undefined): string | null {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return null;
  const one = single(value);
  return typeof one === 'string' ? one : null;
}

/**
 * The array a field of the parsed tree holds, mapped to the field's name: how a field read
 * as one value names itself when its copies differ. Weak: it lives as long as the tree.
 */
const FIELD_OF_LIST = new WeakMap<CanonicalValue[], string>();

function single(values: CanonicalValue[]): CanonicalValue {
  const first = JSON.stringify(values[0]);
  for (let i = 1; i < values.length; i++) {
    if (JSON.stringify(values[i]) !== first) {
      const field = FIELD_OF_LIST.get(values);
      throw malformed(`${field === undefined ? 'a field' : `field "${field}"`} holds one value but is given ${values.length} different ones`);
    }
  }
  return values[0];
}
