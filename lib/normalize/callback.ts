import { CallbackError, malformed } from '../errors';
import type { CallbackEvent, CanonicalObject } from '../events';
import { asList, asObject, canonicalize, text } from '../parse/canonical';
import { normalizeJob } from './job';
import { normalizeWorkflow } from './workflow';

export type CallbackFamily = 'job' | 'workflow';

const FAMILY_BY_EVENT_NAME: Record<string, CallbackFamily> = {
  TaskFinish: 'job',
  WorkflowFinish: 'workflow',
};

/**
 * Turns a parsed callback (Response wrapper already removed) into its events.
 * The family comes from EventName when present, else from the structure: older
 * callbacks and workflow notifications carry no EventName.
 */
export function normalizeCallback(tree: unknown): { family: CallbackFamily; events: CallbackEvent[] } {
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) {
    throw malformed('body is not a callback: expected an object with JobsDetail or WorkflowExecution');
  }
  const callback = asObject(canonicalize(tree)) ?? {};
  const family = classify(callback, tree);
  if (family === 'job') {
    const jobs = objectsOf(callback.JobsDetail, 'JobsDetail');
    return { family, events: jobs.map(normalizeJob) };
  }
  const runs = objectsOf(callback.WorkflowExecution, 'WorkflowExecution');
  return { family, events: runs.map(normalizeWorkflow) };
}

/** `present` is the tree before canonicalization: an all-empty WorkflowExecution still names the family. */
function classify(callback: CanonicalObject, present: object): CallbackFamily {
  const eventName = text(callback.EventName);
  if (eventName !== null) {
    const family = FAMILY_BY_EVENT_NAME[eventName];
    if (family === undefined) {
      throw new CallbackError(400, 'unsupported_event', `EventName "${eventName}" is not a CI job or workflow callback`);
    }
    return family;
  }
  const job = Object.hasOwn(present, 'JobsDetail');
  const workflow = Object.hasOwn(present, 'WorkflowExecution');
  // Either family alone would silently drop the other's events.
  if (job && workflow) throw malformed('body has both JobsDetail and WorkflowExecution and no EventName to tell which it is');
  if (job) return 'job';
  if (workflow) return 'workflow';
  throw malformed('body is not a callback: it has no JobsDetail or WorkflowExecution');
}

function objectsOf(value: CanonicalObject[string] | undefined, name: string): CanonicalObject[] {
  const items = asList(value);
  const objects = items.map(asObject);
  if (items.length === 0) {
    throw new CallbackError(400, 'missing_id', `${name} is missing or empty`);
  }
  if (objects.some((o) => o === undefined)) throw malformed(`${name} must be an element with children`);
  return objects as CanonicalObject[];
}
