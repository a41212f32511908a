import { CallbackError } from '../errors';
import { JOB_FINISHED, type CanonicalObject, type JobFinishedEvent, type JobInput, type JobWorkflow } from '../events';
import { asObject, text } from '../parse/canonical';
import { cosHeaderMap } from './cos-headers';
import { envelope } from './envelope';
import { toIsoUtc } from './time';

/**
 * One JobsDetail element to one event. Only direct children of JobsDetail define the
 * event: job-type subtrees under Operation carry their own State, Code and Message.
 */
export function normalizeJob(job: CanonicalObject): JobFinishedEvent {
  const jobId = text(job.JobId);
  if (jobId === null) throw new CallbackError(400, 'missing_id', 'JobsDetail has no JobId');
  const operation = asObject(job.Operation) ?? {};
  const input = asObject(job.Input) ?? asObject(operation.Input);
  const output = asObject(operation.Output);
  const state = text(job.State);
  const code = text(job.Code);
  const creationTime = toIsoUtc(text(job.CreationTime));
  const endTime = toIsoUtc(text(job.EndTime));
  const jobInput = toJobInput(input);
  return envelope({
    type: JOB_FINISHED,
    subject: jobId,
    outcome: [state, code],
    region: jobInput?.region ?? text(output?.Region),
    bucket: jobInput?.bucketId ?? text(output?.Bucket),
    time: endTime ?? creationTime,
    data: {
      jobId,
      tag: text(job.Tag) ?? text(operation.Tag),
      state,
      code,
      message: text(job.Message),
      queueId: text(job.QueueId),
      creationTime,
      startTime: toIsoUtc(text(job.StartTime)),
      endTime,
      input: jobInput,
      workflow: toJobWorkflow(asObject(job.Workflow)),
      cosHeaders: cosHeaderMap(input?.CosHeaders),
      userData: text(operation.UserData) ?? text(job.UserData),
      operation,
    },
  });
}

function toJobInput(input: CanonicalObject | undefined): JobInput | null {
  const fields = { bucketId: text(input?.BucketId), object: text(input?.Object), region: text(input?.Region) };
  return Object.values(fields).some((v) => v !== null) ? fields : null;
}

function toJobWorkflow(workflow: CanonicalObject | undefined): JobWorkflow | null {
  if (!workflow) return null;
  return {
    runId: text(workflow.RunId),
    workflowId: text(workflow.WorkflowId),
    workflowName: text(workflow.WorkflowName),
    name: text(workflow.Name),
  };
}
