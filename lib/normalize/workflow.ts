import { CallbackError } from '../errors';
import { WORKFLOW_FINISHED, type CanonicalObject, type WorkflowFinishedEvent, type WorkflowTask } from '../events';
import { asList, asObject, text } from '../parse/canonical';
import { cosHeaderMap } from './cos-headers';
import { envelope } from './envelope';
import { toIsoUtc } from './time';

/** One WorkflowExecution to one event. */
export function normalizeWorkflow(execution: CanonicalObject): WorkflowFinishedEvent {
  const runId = text(execution.RunId);
  if (runId === null) throw new CallbackError(400, 'missing_id', 'WorkflowExecution has no RunId');
  const state = text(execution.State);
  const createTime = toIsoUtc(text(execution.CreateTime));
  const bucketId = text(execution.BucketId);
  return envelope({
    type: WORKFLOW_FINISHED,
    subject: runId,
    outcome: [state],
    region: null,
    bucket: bucketId,
    time: createTime,
    data: {
      runId,
      workflowId: text(execution.WorkflowId),
      workflowName: text(execution.WorkflowName),
      state,
      createTime,
      bucketId,
      object: text(execution.Object),
      cosHeaders: cosHeaderMap(execution.CosHeaders),
      tasks: asList(execution.Tasks).map(asObject).filter((t) => t !== undefined).map(toTask),
    },
  });
}

function toTask(task: CanonicalObject): WorkflowTask {
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
  };
}
