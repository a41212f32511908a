import { isWorkflowFinished, type CallbackEvent, type CanonicalObject, type JobFinishedEvent, type WorkflowFinishedEvent } from '../events';
import { normalizeJob } from '../normalize/job';
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

/** Data fields DescribeWorkflowExecution never returns: that a callback has them is no difference worth a warning. */
const NOT_IN_RUN_RECORD = new Set(['cosHeaders']);

/** The data fields a callback states differently from CI's record, by name. */
export function differingFields(claimed: CallbackEvent, verified: CallbackEvent): string[] {
  const ours = claimed.data as unknown as Record<string, unknown>;
  const theirs = verified.data as unknown as Record<string, unknown>;
  const names = new Set([...Object.keys(ours), ...Object.keys(theirs)]);
  return [...names].filter(
    (name) => !(isWorkflowFinished(verified) && NOT_IN_RUN_RECORD.has(name)) && JSON.stringify(ours[name]) !== JSON.stringify(theirs[name]),
  );
}
