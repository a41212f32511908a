import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Builder, parseStringPromise } from 'xml2js';
import { checkCosAuthorization } from './cos-auth-check';
import { FAKE_CREDENTIALS } from './fake-ci';

/**
 * CI's queue and workflow APIs on 127.0.0.1, written from Tencent's documentation apart from
 * scripts/connect: the list APIs of every queue type and of workflows, paged with pageNumber
 * and pageSize (default 10) as documented, and their PUT updates. Every request's COS
 * signature is checked by tests/support/cos-auth-check.ts before anything else.
 */

export type Fields = Record<string, string>;

export interface FakeQueue {
  QueueId: string;
  Name: string;
  State: string;
  /** Media queues: Transcoding or SpeedTranscoding. */
  Category?: string;
  NotifyConfig?: Fields;
}

export interface FakeWorkflow {
  WorkflowId: string;
  Name: string;
  State: string;
  /** The workflow's Topology as CI returns it (xml2js object form). */
  Topology: Record<string, unknown>;
}

export interface AdminRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  signed: boolean;
  /** The parsed `<Request>` of a PUT. */
  body?: Record<string, unknown>;
}

export interface FakeCiAdmin {
  endpoint: string;
  requests: AdminRequest[];
  /** The queues of each list path (`/queue`, `/picqueue`, …), as updated. */
  queues: Map<string, FakeQueue[]>;
  workflows: FakeWorkflow[];
  /** PUTs that changed something. */
  writes(): AdminRequest[];
  /** Makes CI refuse updates of this queue or workflow with this error. */
  refuse(id: string, failure: { status: number; code: string }): void;
  env(overrides?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

const QUEUE_PATHS = ['/queue', '/picqueue', '/ai_queue', '/asrqueue', '/docqueue', '/file_queue'];
const DEFAULT_PAGE_SIZE = 10;
const builder = new Builder({ rootName: 'Response', headless: true, renderOpts: { pretty: false } });

export async function startFakeCiAdmin(setup: { queues?: Record<string, FakeQueue[]>; workflows?: FakeWorkflow[] }): Promise<FakeCiAdmin> {
  const queues = new Map(QUEUE_PATHS.map((path) => [path, structuredClone(setup.queues?.[path] ?? [])]));
  const workflows = structuredClone(setup.workflows ?? []);
  const refusals = new Map<string, { status: number; code: string }>();
  const requests: AdminRequest[] = [];

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => send(res, 500, errorBody('InternalError', err.message)));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const auth = checkCosAuthorization(req, FAKE_CREDENTIALS);
    const request: AdminRequest = { method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), signed: auth.ok };
    requests.push(request);
    if (!auth.ok) return send(res, 403, errorBody(auth.code, auth.message));
    const [, base, id] = /^(\/[a-z_]+)(?:\/([^/]+))?$/.exec(url.pathname) ?? [];
    const known = base === '/workflow' || queues.has(base);
    if (!known) return send(res, 404, errorBody('NoSuchKey', 'no such API'));
    if (req.method === 'GET' && id === undefined) return list(res, base, request.query);
    if (req.method === 'PUT' && id !== undefined) {
      const parsed = await parseStringPromise(Buffer.concat(chunks).toString('utf8'), { explicitArray: false });
      request.body = parsed?.Request;
      return update(res, base, decodeURIComponent(id), request.body ?? {});
    }
    return send(res, 405, errorBody('MethodNotAllowed', `${req.method} ${url.pathname}`));
  }

  function list(res: ServerResponse, base: string, query: Record<string, string>): void {
    let items: unknown[];
    if (base === '/workflow') items = workflows;
    else {
      // DescribeMediaQueues lists Transcoding queues unless asked for another category or CateAll.
      const category = query.category ?? 'Transcoding';
      items = (queues.get(base) ?? []).filter((q) => base !== '/queue' || category === 'CateAll' || q.Category === category);
    }
    const pageNumber = Number(query.pageNumber ?? 1);
    const pageSize = Number(query.pageSize ?? DEFAULT_PAGE_SIZE);
    const page = items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
    const listName = base === '/workflow' ? 'MediaWorkflowList' : 'QueueList';
    send(res, 200, builder.buildObject({ RequestId: 'fake', TotalCount: items.length, PageNumber: pageNumber, PageSize: pageSize, [listName]: page }));
  }

  function update(res: ServerResponse, base: string, id: string, body: Record<string, unknown>): void {
    const refusal = refusals.get(id);
    if (refusal) return send(res, refusal.status, errorBody(refusal.code, `update of ${id} refused`));
    if (base === '/workflow') {
      const workflow = workflows.find((w) => w.WorkflowId === id);
      const sent = body.MediaWorkflow as FakeWorkflow | undefined;
      if (!workflow) return send(res, 404, errorBody('NoSuchWorkflow', id));
      if (!sent?.Name || !sent.State || !sent.Topology) return send(res, 400, errorBody('InvalidParameter', 'MediaWorkflow needs Name, State and Topology'));
      Object.assign(workflow, { Name: sent.Name, State: sent.State, Topology: sent.Topology });
      return send(res, 200, builder.buildObject({ RequestId: 'fake', MediaWorkflow: workflow }));
    }
    const queue = queues.get(base)?.find((q) => q.QueueId === id);
    if (!queue) return send(res, 404, errorBody('NoSuchQueue', id));
    if (typeof body.Name !== 'string' || typeof body.State !== 'string' || typeof body.NotifyConfig !== 'object') {
      return send(res, 400, errorBody('InvalidParameter', 'Request needs Name, State and NotifyConfig'));
    }
    Object.assign(queue, { Name: body.Name, State: body.State, NotifyConfig: body.NotifyConfig });
    send(res, 200, builder.buildObject({ RequestId: 'fake', Queue: queue }));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    requests,
    queues,
    workflows,
    writes: () => requests.filter((r) => r.method === 'PUT' && r.signed && !refusals.has(r.path.slice(r.path.lastIndexOf('/') + 1))),
    refuse: (id, failure) => refusals.set(id, failure),
    env: (overrides = {}) => ({
      CI_ENDPOINT: endpoint,
      TENCENTCLOUD_SECRET_ID: FAKE_CREDENTIALS.secretId,
      TENCENTCLOUD_SECRET_KEY: FAKE_CREDENTIALS.secretKey,
      ...overrides,
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function errorBody(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fake</RequestId></Error>`;
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/xml', 'x-ci-request-id': 'fake' });
  res.end(body);
}
