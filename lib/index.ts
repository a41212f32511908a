/**
 * The public entry point for consumers of the events: the contract's types, its type
 * guards, and the pure parser. `schema/callback-event.schema.json` is the same contract
 * as JSON Schema, for consumers in other languages.
 */
export {
  CALLBACK_EVENT_SCHEMA,
  CONTRACT_VERSION,
  JOB_FINISHED,
  WORKFLOW_FINISHED,
  MODERATION_RESULT,
  isJobFinished,
  isWorkflowFinished,
  isModerationResult,
  type CallbackEvent,
  type CanonicalObject,
  type CanonicalValue,
  type CloudEvent,
  type JobFinishedData,
  type JobFinishedEvent,
  type JobInput,
  type JobWorkflow,
  type OutputObject,
  type ModerationKind,
  type ModerationResultData,
  type ModerationResultEvent,
  type ModerationVerdict,
  type Timestamp,
  type WorkflowFinishedData,
  type WorkflowFinishedEvent,
  type WorkflowTask,
} from './events';
export { parseCallback } from './parse-callback';
export { CallbackError, type CallbackErrorCode } from './errors';
