import { CallbackError } from '../errors';
import { JOB_FINISHED, type CanonicalObject, type JobFinishedEvent, type JobInput, type JobWorkflow } from '../events';
import { asObject, text } from '../parse/canonical';
import { ElementReader } from './element-reader';
import { envelope } from './envelope';
import { jobOutputs } from './outputs';

/**
 * One JobsDetail element to one event. Only direct children of JobsDetail define the
 * event: job-type subtrees under Operation carry their own State, Code and Message.
 * Nothing is dropped: what no field holds stays in `extra` (see JobFinishedData.extra).
 */
export function normalizeJob(job: CanonicalObject): JobFinishedEvent {
  const fields = new ElementReader(job);
  const jobId = fields.text('JobId');
  if (jobId === null) throw new CallbackError(400, 'missing_id', 'JobsDetail has no JobId');
  const operation = fields.object('Operation') ?? {};
  // Some job types carry Input under Operation, which `operation` keeps whole.
  const inputElement = fields.object('Input') ?? asObject(operation.Input);
  const state = fields.text('State');
  const code = fields.text('Code');
  const creationTime = fields.time('CreationTime');
  const endTime = fields.time('EndTime');
  const input = inputElement ? readInput(inputElement) : null;
  const workflow = fields.object('Workflow');
  return envelope({
    type: JOB_FINISHED,
    subject: jobId,
    outcome: [state, code],
    region: input?.data?.region ?? text(asObject(operation.Output)?.Region),
    bucket: input?.data?.bucketId ?? text(asObject(operation.Output)?.Bucket),
    time: endTime ?? creationTime,
    data: {
      jobId,
      tag: fields.text('Tag') ?? text(operation.Tag),
      state,
      code,
      message: fields.text('Message'),
      queueId: fields.text('QueueId'),
      creationTime,
      startTime: fields.time('StartTime'),
      endTime,
      input: input?.data ?? null,
      workflow: workflow ? toJobWorkflow(workflow) : null,
      cosHeaders: input?.cosHeaders ?? {},
      userData: text(operation.UserData) ?? fields.text('UserData'),
      operation,
      outputs: jobOutputs(operation),
      // Last: every field above has read its child by now.
      extra: fields.rest(),
    },
  });
}

/** `data` is null for an Input that holds nothing but CosHeaders (as before `extra` existed). */
function readInput(element: CanonicalObject): { data: JobInput | null; cosHeaders: Record<string, string> } {
  const fields = new ElementReader(element);
  const named = { bucketId: fields.text('BucketId'), object: fields.text('Object'), region: fields.text('Region') };
  const cosHeaders = fields.cosHeaders();
  const extra = fields.rest();
  const empty = Object.values(named).every((v) => v === null) && Object.keys(extra).length === 0;
  return { data: empty ? null : { ...named, extra }, cosHeaders };
}

function toJobWorkflow(element: CanonicalObject): JobWorkflow {
  const fields = new ElementReader(element);
  return {
    runId: fields.text('RunId'),
    workflowId: fields.text('WorkflowId'),
    workflowName: fields.text('WorkflowName'),
    name: fields.text('Name'),
    extra: fields.rest(),
  };
}
