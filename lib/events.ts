/**
 * The normalized event contract: what this template emits, and what consumers read.
 * Every event is a CloudEvent 1.0 in its JSON format.
 */

export const JOB_FINISHED = 'com.tencentcloud.ci.job.finished';
export const WORKFLOW_FINISHED = 'com.tencentcloud.ci.workflow.finished';
export const MODERATION_RESULT = 'com.tencentcloud.ci.moderation.result';

/** The Operation subtree in canonical form: scalars as strings, one element a value, several an array. */
export type CanonicalValue = string | CanonicalObject | CanonicalValue[];
export interface CanonicalObject {
  [key: string]: CanonicalValue;
}

/**
 * A time in ISO 8601 UTC with milliseconds, as `Date.prototype.toISOString()` prints it.
 * @pattern ^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$
 */
export type Timestamp = string;

export interface JobInput {
  bucketId: string | null;
  object: string | null;
  region: string | null;
}

export interface JobWorkflow {
  runId: string | null;
  workflowId: string | null;
  workflowName: string | null;
  name: string | null;
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
