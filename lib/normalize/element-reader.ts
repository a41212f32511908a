import type { CanonicalObject, Timestamp } from '../events';
import { asObject, text } from '../parse/canonical';
import { readCosHeaders } from './cos-headers';
import { toIsoUtc } from './time';

/**
 * Reads the children of one CI element into named fields and keeps the rest, so that
 * nothing a callback says is lost: `rest()` is every child whose value no named field holds,
 * in canonical form. A child counts as read only when its value was used: a doubled element
 * (a list where one text is expected) or a timestamp that cannot be normalized stays in the rest
 * as it came.
 */
export class ElementReader {
  private readonly read = new Set<string>();
  private readonly kept: CanonicalObject = {};

  constructor(private readonly element: CanonicalObject) {}

  text(name: string): string | null {
    return this.use(name, text(this.element[name]));
  }

  object(name: string): CanonicalObject | undefined {
    return this.use(name, asObject(this.element[name]) ?? null) ?? undefined;
  }

  /** An ISO 8601 UTC timestamp, or null; the original text stays in the rest when it cannot be read. */
  time(name: string): Timestamp | null {
    return this.use(name, toIsoUtc(text(this.element[name])));
  }

  /** The CosHeaders map; entries the map cannot hold stay in the rest, under CosHeaders. */
  cosHeaders(name = 'CosHeaders'): Record<string, string> {
    if (this.element[name] === undefined) return {};
    const { map, unmapped } = readCosHeaders(this.element[name]);
    this.read.add(name);
    if (unmapped.length > 0) this.kept[name] = unmapped.length === 1 ? unmapped[0] : unmapped;
    return map;
  }

  /** The elements of a repeated child; values that are not elements stay in the rest. */
  objects(name: string): CanonicalObject[] {
    const value = this.element[name];
    if (value === undefined) return [];
    const items = Array.isArray(value) ? value : [value];
    const objects = items.map(asObject).filter((o): o is CanonicalObject => o !== undefined);
    const others = items.filter((item) => asObject(item) === undefined);
    this.read.add(name);
    if (others.length > 0) this.kept[name] = others.length === 1 ? others[0] : others;
    return objects;
  }

  /** The children no named field holds. */
  rest(): CanonicalObject {
    const rest: CanonicalObject = {};
    for (const [name, value] of Object.entries(this.element)) {
      if (!this.read.has(name)) rest[name] = value;
      else if (this.kept[name] !== undefined) rest[name] = this.kept[name];
    }
    return rest;
  }

  private use<T>(name: string, value: T | null): T | null {
    if (value !== null) this.read.add(name);
    return value;
  }
}
