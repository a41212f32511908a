import { CallbackError, malformed } from '../errors';
import type { CallbackEvent, CanonicalObject } from '../events';
import { asObject, canonicalize, text } from '../parse/canonical';
import { objectsOf } from './elements';
import { normalizeJob } from './job';
import { formatHint, isModerationEventName, normalizeModeration, type ModerationFormat } from './moderation';
import { normalizeWorkflow } from './workflow';

export type CallbackFamily = 'job' | 'workflow' | 'moderation';

export interface NormalizedCallback {
  family: CallbackFamily;
  events: CallbackEvent[];
  /** A moderation console test request: answered 200, nothing forwarded. */
  test: boolean;
}

/** What the request says about its body besides the body: CI's `X-Ci-Content-Version` (Simple|Detail). */
export interface CallbackHints {
  contentVersion?: string;
}

const FAMILY_BY_EVENT_NAME: Record<string, 'job' | 'workflow'> = {
  TaskFinish: 'job',
  WorkflowFinish: 'workflow',
};

/**
 * Turns a parsed callback (Response wrapper already removed) into its events.
 * The family comes from EventName when present, else from the structure: older
 * callbacks, workflow notifications and Simple moderation callbacks carry no EventName.
 */
export function normalizeCallback(tree: unknown, hints: CallbackHints = {}): NormalizedCallback {
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) {
    throw malformed('body is not a callback: expected an object with JobsDetail, WorkflowExecution or moderation data');
  }
  const callback = asObject(canonicalize(tree)) ?? {};
  const shape = classify(callback, tree, formatHint(hints.contentVersion));
  if (shape === 'job') return { family: shape, events: objectsOf(callback.JobsDetail, 'JobsDetail').map(normalizeJob), test: false };
  if (shape === 'workflow') {
    return { family: shape, events: objectsOf(callback.WorkflowExecution, 'WorkflowExecution').map(normalizeWorkflow), test: false };
  }
  return { family: 'moderation', ...normalizeModeration(callback, shape) };
}

/**
 * `present` is the tree before canonicalization: an all-empty WorkflowExecution still names the family.
 * The moderation header only settles what the body leaves open (a JobsDetail without EventName).
 */
function classify(callback: CanonicalObject, present: object, hint: ModerationFormat | undefined): 'job' | 'workflow' | ModerationFormat {
  // No CI callback carries both; taking either would silently drop the other.
  if (Object.hasOwn(present, 'JobsDetail') && Object.hasOwn(present, 'WorkflowExecution')) {
    throw malformed('body has both JobsDetail and WorkflowExecution: a CI callback carries one or the other');
  }
  const eventName = text(callback.EventName);
  if (eventName !== null) {
    if (Object.hasOwn(FAMILY_BY_EVENT_NAME, eventName)) return FAMILY_BY_EVENT_NAME[eventName];
    if (isModerationEventName(eventName)) return 'detail';
    throw new CallbackError(400, 'unsupported_event', `EventName "${eventName}" is not a CI job, workflow or moderation callback`);
  }
  if (Object.hasOwn(present, 'JobsDetail')) return hint === 'detail' ? 'detail' : 'job';
  if (Object.hasOwn(present, 'WorkflowExecution')) return 'workflow';
  if (isSimpleModeration(present)) return 'simple';
  throw malformed('body is not a callback: it has no JobsDetail, WorkflowExecution or moderation data');
}

/** `{code, message, data: {…}}`: a Simple moderation callback, whatever its header says. */
function isSimpleModeration(present: object): boolean {
  const data = (present as { data?: unknown }).data;
  return Object.hasOwn(present, 'data') && data !== null && typeof data === 'object' && !Array.isArray(data);
}
