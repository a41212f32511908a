import {
  isModerationResult,
  isWorkflowFinished,
  type CallbackEvent,
  type CanonicalObject,
  type JobFinishedEvent,
  type ModerationResultEvent,
  type WorkflowFinishedEvent,
} from '../events';
import { normalizeJob } from '../normalize/job';
import { detailResult } from '../normalize/moderation/result';
import { normalizeWorkflow } from '../normalize/workflow';

/**
 * The events CI's own records give. They go through the same normalizers as a callback, so a
 * genuine callback and CI's record of its job are one event with one id, and a forged
 * callback can change nothing of what is forwarded.
 */

/** DescribeMediaJob's JobsDetail is the element a job callback carries (same fields, same shape). */
export function jobEventFromCi(job: CanonicalObject): JobFinishedEvent {
  return normalizeJob(job);
}

/**
 * DescribeWorkflowExecution names the workflow `Name` (`WorkflowName` in older documentation)
 * and returns neither BucketId nor CosHeaders. The bucket is the one whose CI API answered
 * (CI_BUCKET; null when only CI_ENDPOINT is known); CosHeaders stay empty: only the callback
 * states them, and nothing only the callback states is forwarded.
 */
export function runEventFromCi(run: CanonicalObject, bucket: string | null): WorkflowFinishedEvent {
  const record: CanonicalObject = { ...run };
  // Renamed, not copied: the name is one value of the run, not a field the callback lacks.
  if (record.WorkflowName === undefined && run.Name !== undefined) {
    record.WorkflowName = run.Name;
    delete record.Name;
  }
  if (record.BucketId === undefined && bucket !== null) record.BucketId = bucket;
  return normalizeWorkflow(record);
}

/**
 * A moderation query's JobsDetail is the element a Detail callback carries, read as the Detail
 * callback of the API that answered (its EventName). Whatever shape the callback had (Simple or
 * Detail), CI's record is forwarded as a Detail result. The query documents no BucketId: the
 * bucket whose CI API answered (CI_BUCKET) names it when the record does not.
 */
export function moderationEventFromCi(record: CanonicalObject, eventName: string, bucket: string | null): ModerationResultEvent {
  const job: CanonicalObject = { ...record };
  if (job.BucketId === undefined && bucket !== null) job.BucketId = bucket;
  return detailResult(eventName, job);
}

/** Data fields DescribeWorkflowExecution never returns: that a callback has them is no difference worth a warning. */
const NOT_IN_RUN_RECORD = new Set(['cosHeaders']);

/** The data fields a callback states differently from CI's record, by name. */
export function differingFields(claimed: CallbackEvent, verified: CallbackEvent): string[] {
  // A Simple moderation callback states other fields than CI's Detail record: nothing to compare one by one.
  if (isModerationResult(claimed) && claimed.data.format === 'simple') return [];
  const ours = claimed.data as unknown as Record<string, unknown>;
  const theirs = verified.data as unknown as Record<string, unknown>;
  const names = new Set([...Object.keys(ours), ...Object.keys(theirs)]);
  return [...names].filter(
    (name) => !(isWorkflowFinished(verified) && NOT_IN_RUN_RECORD.has(name)) && JSON.stringify(ours[name]) !== JSON.stringify(theirs[name]),
  );
}
