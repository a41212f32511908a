import { CallbackError } from '../errors';
import { WORKFLOW_FINISHED, type CanonicalObject, type WorkflowFinishedEvent, type WorkflowTask } from '../events';
import { text } from '../parse/canonical';
import { ElementReader } from './element-reader';
import { envelope } from './envelope';
import { runOutputs, taskOutputs } from './outputs';
import { toIsoUtc } from './time';

/** One WorkflowExecution to one event; what no field holds stays in `extra`. */
export function normalizeWorkflow(execution: CanonicalObject): WorkflowFinishedEvent {
  const fields = new ElementReader(execution);
  const runId = fields.text('RunId');
  if (runId === null) throw new CallbackError(400, 'missing_id', 'WorkflowExecution has no RunId');
  const state = fields.text('State');
  const createTime = fields.time('CreateTime');
  const bucketId = fields.text('BucketId');
  const tasks = fields.objects('Tasks').map((task) => toTask(task, bucketId));
  return envelope({
    type: WORKFLOW_FINISHED,
    subject: runId,
    outcome: [state],
    region: null,
    bucket: bucketId,
    time: createTime,
    data: {
      runId,
      workflowId: fields.text('WorkflowId'),
      workflowName: fields.text('WorkflowName'),
      state,
      createTime,
      bucketId,
      object: fields.text('Object'),
      cosHeaders: fields.cosHeaders(),
      tasks,
      outputs: runOutputs(tasks),
      // Last: every field above has read its child by now.
      extra: fields.rest(),
    },
  });
}

/** A task keeps its whole element in `detail`: the fields here are the ones every task type has. */
function toTask(task: CanonicalObject, runBucket: string | null): WorkflowTask {
  return {
    type: text(task.Type),
    jobId: text(task.JobId),
    state: text(task.State),
    name: text(task.Name),
    templateId: text(task.TemplateId),
    templateName: text(task.TemplateName),
    // The docs spell it both CreateTime and Createtime.
    createTime: toIsoUtc(text(task.CreateTime) ?? text(task.Createtime)),
    endTime: toIsoUtc(text(task.EndTime)),
    outputs: taskOutputs(task, runBucket),
    detail: task,
  };
}
