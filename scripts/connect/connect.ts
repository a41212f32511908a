// Lists every queue and workflow of the bucket, plans each callback, and (with apply) sends
// the updates that change something. One failure does not stop the others.
import { CiAdminError, type CiAdminClient } from './ci-admin-client';
import { describeCallback, planCallback, type DesiredCallback, type ResultFormat } from './plan';
import { QUEUE_TYPES, WORKFLOWS } from './queue-types';
import { asObject, buildRequest, text, type XmlObject, type XmlValue } from './xml';

export interface ConnectOptions {
  /** The callback URL of the queues. */
  url: string;
  /** The callback URL of the workflows (defaults to `url`: either function takes either family). */
  workflowUrl: string;
  format?: ResultFormat;
  apply: boolean;
}

export interface ConnectResult {
  toChange: number;
  changed: number;
  alreadySet: number;
  failed: number;
}

/** One queue or workflow whose callback can be set. */
interface Target {
  title: string;
  notify: XmlValue | undefined;
  desired: DesiredCallback;
  updatePath: string;
  /** The update request that sends everything back as it is but the NotifyConfig. */
  body(next: XmlObject): string;
}

export async function connect(client: CiAdminClient, options: ConnectOptions, print: (line: string) => void): Promise<ConnectResult> {
  const result: ConnectResult = { toChange: 0, changed: 0, alreadySet: 0, failed: 0 };
  const lists: Array<{ what: string; load: () => Promise<Target[]> }> = [
    ...QUEUE_TYPES.map((type) => ({
      what: `${type.label} queues (GET ${type.path})`,
      load: async () =>
        (await client.listAll(type.path, type.listQuery, 'QueueList')).map((queue) => {
          const id = text(queue.QueueId);
          const category = text(queue.Category);
          return {
            title: `${type.label} queue ${id} "${text(queue.Name)}"${category ? ` (${category})` : ''}`,
            notify: queue.NotifyConfig,
            desired: { url: options.url, events: type.events, format: options.format },
            updatePath: `${type.path}/${encodeURIComponent(id)}`,
            body: (next: XmlObject) =>
              buildRequest({ Name: queue.Name ?? '', ...(type.queueIdInBody ? { QueueID: id } : {}), State: queue.State ?? '', NotifyConfig: next }),
          };
        }),
    })),
    { what: `workflows (GET ${WORKFLOWS.path})`, load: async () => (await client.listAll(WORKFLOWS.path, {}, 'MediaWorkflowList')).map((w) => workflowTarget(w, options)) },
  ];

  for (const list of lists) {
    let targets: Target[];
    try {
      targets = await list.load();
    } catch (err) {
      result.failed += 1;
      print(`${list.what}: cannot list: ${failure(err)}`);
      continue;
    }
    for (const target of targets) await handle(client, target, options.apply, print, result);
  }
  return result;
}

async function handle(client: CiAdminClient, target: Target, apply: boolean, print: (line: string) => void, result: ConnectResult): Promise<void> {
  print(`${target.title}: ${describeCallback(target.notify)}`);
  if (target.updatePath === '') {
    print('  no start node: nothing to set');
    return;
  }
  const plan = planCallback(target.notify, target.desired);
  if (plan.changes.length === 0) {
    result.alreadySet += 1;
    print('  already set');
    return;
  }
  result.toChange += 1;
  print(`  ${apply ? 'change' : 'would change'}: ${plan.changes.join('; ')}`);
  if (!apply) return;
  try {
    await client.update(target.updatePath, target.body(plan.next));
    result.changed += 1;
    print('  done');
  } catch (err) {
    result.failed += 1;
    print(`  FAILED: ${failure(err)}`);
  }
}

/** A workflow's callback is its start node's NotifyConfig; the rest of the topology goes back untouched. */
function workflowTarget(workflow: XmlObject, options: ConnectOptions): Target {
  const id = text(workflow.WorkflowId);
  const topology = asObject(workflow.Topology);
  const start = asObject(asObject(topology?.Nodes)?.Start);
  const input = asObject(start?.Input);
  return {
    title: `workflow ${id} "${text(workflow.Name)}"`,
    notify: input?.NotifyConfig,
    desired: { url: options.workflowUrl, events: WORKFLOWS.events, format: options.format },
    updatePath: topology && start ? `${WORKFLOWS.path}/${encodeURIComponent(id)}` : '',
    body: (next) => {
      const nodes = asObject(topology?.Nodes) ?? {};
      const newStart = { ...start, Input: { ...input, NotifyConfig: next } };
      const newTopology = { ...topology, Nodes: { ...nodes, Start: newStart } };
      return buildRequest({ MediaWorkflow: { Name: workflow.Name ?? '', State: workflow.State ?? '', Topology: newTopology } });
    },
  };
}

function failure(err: unknown): string {
  if (err instanceof CiAdminError) return `${err.code}${err.status ? ` (HTTP ${err.status})` : ''}: ${err.message}`;
  return (err as Error).message;
}
