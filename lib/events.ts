/**
 * The normalized event contract: what this template emits, and what consumers read.
 * Every event is a CloudEvent 1.0 in its JSON format.
 *
 * How it grows (CHANGELOG.md): a minor version adds fields. They are optional here and in the
 * JSON Schema ("Since 1.x"), because events written by an earlier minor version, still in a queue
 * or an archive, lack them; this release always emits them. Renaming or removing a field, or
 * changing its meaning, is a new major version with a new `dataschema`.
 */

export const JOB_FINISHED = 'com.tencentcloud.ci.job.finished';
export const WORKFLOW_FINISHED = 'com.tencentcloud.ci.workflow.finished';
export const MODERATION_RESULT = 'com.tencentcloud.ci.moderation.result';

/**
 * The contract's identifier, carried by every event as `dataschema` and by the published JSON
 * Schema as `$id`. It names the major version only: adding fields (a minor version, see
 * CHANGELOG.md) keeps it; renaming or removing one makes a new major version and a new URI.
 */
export const CALLBACK_EVENT_SCHEMA = 'urn:ci-callback-receiver:schema:callback-event.v1.json';

/** The contract's version (semver): its history and what each version added are in CHANGELOG.md. */
export const CONTRACT_VERSION = '1.1.0';

/** The Operation subtree in canonical form: scalars as strings, one element a value, several an array. */
export type CanonicalValue = string | CanonicalObject | CanonicalValue[];
export interface CanonicalObject {
  [key: string]: CanonicalValue;
}

/**
 * A time in ISO 8601 UTC with milliseconds, as `Date.prototype.toISOString()` prints it.
 * A timestamp field is null when CI's value cannot be read or lies outside the years 1–9999 in
 * UTC; its original text then stays in the element's `extra` (a workflow task's in its `detail`).
 * @pattern ^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$
 */
export type Timestamp = string;

export interface JobInput {
  bucketId: string | null;
  object: string | null;
  region: string | null;
  /** The other children of `Input` (a Translation job's `Type`, `Lang`, …), see `JobFinishedData.extra`. Since 1.1.0. */
  extra?: CanonicalObject;
}

export interface JobWorkflow {
  runId: string | null;
  workflowId: string | null;
  workflowName: string | null;
  name: string | null;
  /** The other children of `Workflow`, see `JobFinishedData.extra`. Since 1.1.0. */
  extra?: CanonicalObject;
}

/** One object CI wrote; null where the callback does not say. */
export interface OutputObject {
  bucket: string | null;
  region: string | null;
  /** The COS object key, without a leading `/`. */
  key: string | null;
  /** Only where CI states it (workflow tasks' `ObjectUrl`). */
  url: string | null;
  md5: string | null;
}

export interface JobFinishedData {
  jobId: string;
  tag: string | null;
  state: string | null;
  code: string | null;
  message: string | null;
  queueId: string | null;
  creationTime: Timestamp | null;
  startTime: Timestamp | null;
  endTime: Timestamp | null;
  input: JobInput | null;
  workflow: JobWorkflow | null;
  cosHeaders: Record<string, string>;
  userData: string | null;
  operation: CanonicalObject;
  /** The objects the job wrote, in document order (empty when the callback names none). Since 1.1.0. */
  outputs?: OutputObject[];
  /**
   * The children of `JobsDetail` no field above holds, in canonical form (`SubTag`, `Progress`, …),
   * and those whose value could not be read: a timestamp outside the years 1–9999 (its field is
   * null, its original text is here), a doubled element, CosHeaders entries the map cannot hold.
   * Since 1.1.0.
   */
  extra?: CanonicalObject;
}

export interface WorkflowTask {
  type: string | null;
  jobId: string | null;
  state: string | null;
  name: string | null;
  templateId: string | null;
  templateName: string | null;
  createTime: Timestamp | null;
  endTime: Timestamp | null;
  /** The objects the task wrote (`ResultInfo/ObjectInfo`). Since 1.1.0. */
  outputs?: OutputObject[];
  /** The whole `Tasks` element in canonical form, as CI sent it. Since 1.1.0. */
  detail?: CanonicalObject;
}

export interface WorkflowFinishedData {
  runId: string;
  workflowId: string | null;
  workflowName: string | null;
  state: string | null;
  createTime: Timestamp | null;
  bucketId: string | null;
  object: string | null;
  cosHeaders: Record<string, string>;
  tasks: WorkflowTask[];
  /** Every task's outputs, in task order, without duplicates. Since 1.1.0. */
  outputs?: OutputObject[];
  /** The children of `WorkflowExecution` no field above holds, as `JobFinishedData.extra`. Since 1.1.0. */
  extra?: CanonicalObject;
}

/** What was moderated: CI's EventName (ReviewImage, …), `live` for a live stream (`Type` live_video). */
export type ModerationKind = 'image' | 'video' | 'audio' | 'text' | 'document' | 'html' | 'live';

/** CI's `Result` (or a document's `Suggestion`): 0 pass, 1 block (sensitive), 2 review (suspected). */
export type ModerationVerdict = 'pass' | 'block' | 'review';

export interface ModerationResultData {
  /** The JobId (Detail) or trace_id (Simple; the JobId for jobs created through the API). */
  jobId: string;
  /** Null when a Simple callback names no event. */
  kind: ModerationKind | null;
  /** The callback's shape, as the console's "callback content" setting chose it. */
  format: 'simple' | 'detail';
  /** Detail only (Success, Failed, Auditing, …): null in Simple callbacks. */
  state: string | null;
  verdict: ModerationVerdict | null;
  label: string | null;
  score: number | null;
  bucketId: string | null;
  region: string | null;
  object: string | null;
  url: string | null;
  forbidState: number | null;
  dataId: string | null;
  code: string | null;
  message: string | null;
  cosHeaders: Record<string, string>;
  creationTime: Timestamp | null;
  /** The whole JobsDetail (Detail) or `data` (Simple), in canonical form. */
  detail: CanonicalObject;
}

export interface CloudEvent<TType extends string, TData> {
  specversion: '1.0';
  /**
   * Deterministic: the same callback delivered twice, as XML or JSON, has the same id.
   * @pattern ^[0-9a-f]{32}$
   */
  id: string;
  source: string;
  type: TType;
  /** The JobId or the RunId; a Simple moderation callback's trace_id. */
  subject: string;
  /** Absent when the callback carries no usable time. */
  time?: Timestamp;
  datacontenttype: 'application/json';
  /** The contract (major version) `data` follows: `CALLBACK_EVENT_SCHEMA`. Since 1.1.0: absent in events written before. */
  dataschema?: typeof CALLBACK_EVENT_SCHEMA;
  /** Extension attribute: true when CI's own API confirmed the callback (CALLBACK_VERIFY=ci). */
  civerified?: boolean;
  data: TData;
}

// Interfaces rather than aliases: the generated JSON Schema names its definitions after them.
export interface JobFinishedEvent extends CloudEvent<typeof JOB_FINISHED, JobFinishedData> {}
export interface WorkflowFinishedEvent extends CloudEvent<typeof WORKFLOW_FINISHED, WorkflowFinishedData> {}
export interface ModerationResultEvent extends CloudEvent<typeof MODERATION_RESULT, ModerationResultData> {}
export type CallbackEvent = JobFinishedEvent | WorkflowFinishedEvent | ModerationResultEvent;

export function isJobFinished(event: { type?: unknown }): event is JobFinishedEvent {
  return event.type === JOB_FINISHED;
}

export function isWorkflowFinished(event: { type?: unknown }): event is WorkflowFinishedEvent {
  return event.type === WORKFLOW_FINISHED;
}

export function isModerationResult(event: { type?: unknown }): event is ModerationResultEvent {
  return event.type === MODERATION_RESULT;
}
