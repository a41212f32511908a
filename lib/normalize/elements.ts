import { CallbackError, malformed } from '../errors';
import type { CanonicalObject, CanonicalValue } from '../events';
import { asList, asObject } from '../parse/canonical';

/** The elements of a repeated container (JobsDetail, WorkflowExecution): at least one, each with children. */
export function objectsOf(value: CanonicalValue | undefined, name: string): CanonicalObject[] {
  const items = asList(value);
  const objects = items.map(asObject);
  if (items.length === 0) {
    throw new CallbackError(400, 'missing_id', `${name} is missing or empty`);
  }
  if (objects.some((o) => o === undefined)) throw malformed(`${name} must be an element with children`);
  return objects as CanonicalObject[];
}
