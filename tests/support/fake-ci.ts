import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkCosAuthorization } from './cos-auth-check';
import { parseBody } from '../../lib/parse/body';
import { sampleBody, goodSamples } from './fixtures';

/**
 * A local stand-in for CI's API (node:http on 127.0.0.1, a free port) that answers
 * DescribeMediaJob and its sibling job APIs, DescribeWorkflowExecution and the moderation
 * query APIs (GET /<kind>/auditing/<jobId>) with Tencent's documented response shapes, after
 * checking each request's COS signature on its own.
 */

export interface FakeJob {
  JobId: string;
  Tag: string;
  State: string;
  /** Where CI serves this job; by default the documented path for its tag. */
  family?: string;
}

export interface FakeRun {
  RunId: string;
  State: string;
  WorkflowId?: string;
  Name?: string;
}

/** A moderation job CI knows: the JobsDetail a Detail callback of `EventName` would carry. */
export interface FakeModerationJob {
  EventName: string;
  JobId: string;
  State: string;
  /** The verdict (`Suggestion` for documents and webpages). */
  Result: string;
  Type?: string;
}

export type FakeFailure = { status: number; code?: string } | 'hang' | null;

export interface FakeCi {
  endpoint: string;
  credentials: { secretId: string; secretKey: string };
  /** Every request, in arrival order: path and whether its signature was accepted. */
  requests: Array<{ method: string; path: string; signed: boolean }>;
  /** A job CI knows, with a generic detail around the given id, tag and state. */
  addJob(job: FakeJob): void;
  addRun(run: FakeRun): void;
  addModerationJob(job: FakeModerationJob): void;
  /**
   * Every job, workflow run and moderation job a callback body describes, served as CI's API
   * serves them: a job's JobsDetail element as the callback has it (DescribeMediaJob returns
   * the same element), a run with the fields DescribeWorkflowExecution documents, a Detail
   * moderation callback's JobsDetail under its kind's query path (the query returns the same element).
   */
  addFromCallback(body: string): void;
  /** Makes every following request fail this way (a status with an Error body, or no answer at all). */
  fail(failure: FakeFailure): void;
  /** Receiver settings that point CALLBACK_VERIFY=ci at this fake. */
  env(overrides?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

export const FAKE_CREDENTIALS = { secretId: 'AKIDfakeci0000000000000000000000000', secretKey: 'fake-ci-secret-key-0000000000000' };

// The fake's own copy of where CI serves each family (independent of lib/verify/job-paths.ts).
const FAMILY_OF_TAG: Record<string, string> = {
  WordsGeneralize: '/ai_jobs',
  Translation: '/ai_jobs',
  SpeechRecognition: '/asr_jobs',
  DocProcess: '/doc_jobs',
  FileHashCode: '/file_jobs',
  FileUncompress: '/file_jobs',
  FileCompress: '/file_jobs',
  PicProcess: '/pic_jobs',
};
const JOB_PATHS = new Set(['/jobs', '/ai_jobs', '/asr_jobs', '/doc_jobs', '/file_jobs', '/pic_jobs']);
// The fake's own copy of where CI serves each kind's moderation query (independent of lib/verify/moderation-paths.ts).
export const MODERATION_PATH_OF_EVENT: Record<string, string> = {
  ReviewImage: '/image/auditing',
  ReviewVideo: '/video/auditing',
  ReviewAudio: '/audio/auditing',
  ReviewText: '/text/auditing',
  ReviewDocument: '/document/auditing',
  ReviewHtml: '/webpage/auditing',
};
const MODERATION_PATHS = new Set(Object.values(MODERATION_PATH_OF_EVENT));

export async function startFakeCi(options: { jobs?: FakeJob[]; runs?: FakeRun[] } = {}): Promise<FakeCi> {
  // What CI serves for each id: the family path and the JobsDetail's inner XML, or a run's.
  const jobs = new Map<string, { family: string; xml: string }>();
  const runs = new Map<string, string>();
  // Moderation jobs by query path and id: the samples reuse ids across kinds.
  const moderation = new Map<string, string>();
  const requests: FakeCi['requests'] = [];
  let failure: FakeFailure = null;
  const addJob = (job: FakeJob) => jobs.set(job.JobId, { family: job.family ?? familyOf(job.Tag), xml: jobXml(job) });
  const addRun = (run: FakeRun) => runs.set(run.RunId, runXml(run));
  const addModerationJob = (job: FakeModerationJob) => {
    const verdict = ['ReviewDocument', 'ReviewHtml'].includes(job.EventName) ? 'Suggestion' : 'Result';
    const { EventName, Result, ...fields } = job;
    moderation.set(`${moderationPath(EventName)}/${job.JobId}`, toXml({ ...fields, [verdict]: Result, CreationTime: '2021-08-10T21:01:10+08:00' }));
  };
  const addFromCallback = (body: string) => {
    const callback = parseBody(body) as Record<string, unknown>;
    const moderationQuery = MODERATION_PATH_OF_EVENT[String(callback.EventName)];
    if (moderationQuery !== undefined) {
      for (const detail of listOf(callback.JobsDetail)) moderation.set(`${moderationQuery}/${detail.JobId}`, toXml(detail));
      return;
    }
    for (const detail of listOf(callback.JobsDetail)) {
      jobs.set(String(detail.JobId), { family: familyOf(String(detail.Tag ?? '')), xml: toXml(detail) });
    }
    for (const execution of listOf(callback.WorkflowExecution)) runs.set(String(execution.RunId), toXml(asDescribed(execution)));
  };
  options.jobs?.forEach(addJob);
  options.runs?.forEach(addRun);

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (failure === 'hang') {
      requests.push({ method: req.method ?? '', path, signed: false });
      return; // never answers: the client's deadline must end the wait
    }
    const auth = checkCosAuthorization(req, FAKE_CREDENTIALS);
    requests.push({ method: req.method ?? '', path, signed: auth.ok });
    if (!auth.ok) return send(res, 403, errorBody(auth.code, auth.message));
    if (failure) return send(res, failure.status, errorBody(failure.code ?? 'InternalError', 'injected failure'));
    if (req.method !== 'GET') return send(res, 405, errorBody('MethodNotAllowed', 'only GET is faked'));
    answer(res, path);
  });

  function answer(res: ServerResponse, path: string): void {
    const slash = path.lastIndexOf('/');
    const family = path.slice(0, slash);
    const id = decodeURIComponent(path.slice(slash + 1));
    if (family === '/workflowexecution') {
      const run = runs.get(id);
      if (!run) return send(res, 404, errorBody('NoSuchWorkflowExecution', `workflow execution ${id} does not exist`));
      return send(res, 200, `<Response><RequestId>fake-${id}</RequestId><WorkflowExecution>${run}</WorkflowExecution></Response>`);
    }
    if (MODERATION_PATHS.has(family)) {
      const job = moderation.get(`${family}/${id}`);
      // An id this kind's API does not know: an answer without a JobsDetail of that id.
      if (!job) return send(res, 200, `<Response><RequestId>fake-${id}</RequestId></Response>`);
      return send(res, 200, `<Response><JobsDetail>${job}</JobsDetail><RequestId>fake-${id}</RequestId></Response>`);
    }
    if (!JOB_PATHS.has(family)) return send(res, 404, errorBody('NoSuchKey', 'no such API'));
    const job = jobs.get(id);
    if (!job || job.family !== family) return send(res, 200, `<Response><NonExistJobIds>${id}</NonExistJobIds></Response>`);
    return send(res, 200, `<Response><JobsDetail>${job.xml}</JobsDetail></Response>`);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    credentials: FAKE_CREDENTIALS,
    requests,
    addJob,
    addRun,
    addModerationJob,
    addFromCallback,
    fail: (f) => {
      failure = f;
    },
    env: (overrides = {}) => ({
      CALLBACK_VERIFY: 'ci',
      CI_ENDPOINT: endpoint,
      TENCENTCLOUD_SECRET_ID: FAKE_CREDENTIALS.secretId,
      TENCENTCLOUD_SECRET_KEY: FAKE_CREDENTIALS.secretKey,
      CI_BUCKET: FAKE_BUCKET,
      ...overrides,
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * For the benchmark and end-to-end runs: a fake CI that knows every job and workflow run of
 * the good samples in events/, so each sample passes verification. Returns its endpoint
 * and the receiver settings that use it.
 */
export async function startFakeCiWithSamples(): Promise<FakeCi> {
  const fake = await startFakeCi();
  // CI keeps one record of a job. task-tts-xml repeats the job of task-tts-from-workflow-*
  // without its workflow and CosHeaders: the fullest body of a job is added last, so it wins.
  const bodies = goodSamples().map(sampleBody).sort((a, b) => a.length - b.length);
  for (const body of bodies) fake.addFromCallback(body);
  return fake;
}

/**
 * A fresh fake CI with the samples for each test of the calling describe block, closed after it
 * (with the test's spies restored). Returns the current test's fake.
 */
export function useFakeCiWithSamples(): () => FakeCi {
  let ci: FakeCi;
  beforeEach(async () => {
    ci = await startFakeCiWithSamples();
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await ci.close();
  });
  return () => ci;
}

// The settings a verifying receiver is given with this fake: the bucket is the one the
// documented workflow sample ran in (DescribeWorkflowExecution does not name it).
const FAKE_BUCKET = 'examplebucket-1250000000';

const familyOf = (tag: string) => FAMILY_OF_TAG[tag] ?? '/jobs';

function moderationPath(eventName: string): string {
  const path = MODERATION_PATH_OF_EVENT[eventName];
  if (path === undefined) throw new Error(`fake CI: no moderation query for EventName ${eventName}`);
  return path;
}

type Tree = Record<string, unknown>;

function listOf(value: unknown): Tree[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is Tree => typeof v === 'object' && v !== null);
}

/**
 * A callback's WorkflowExecution as DescribeWorkflowExecution documents a run: WorkflowId,
 * Name, RunId, CreateTime, Object, State, Tasks. It has no BucketId or CosHeaders, and the
 * Topology CI adds is not in a callback, so it is left out.
 */
function asDescribed(execution: Tree): Tree {
  const described: Tree = {};
  const fields: Array<[string, unknown]> = [
    ['WorkflowId', execution.WorkflowId],
    ['Name', execution.WorkflowName ?? execution.Name],
    ['RunId', execution.RunId],
    ['CreateTime', execution.CreateTime],
    ['Object', execution.Object],
    ['State', execution.State],
    ['Tasks', execution.Tasks],
  ];
  for (const [name, value] of fields) if (value !== undefined) described[name] = value;
  return described;
}

/** A parsed tree back to XML elements: a list repeats its element, a scalar is escaped text. */
function toXml(tree: Tree): string {
  return Object.entries(tree)
    .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((item) => element(name, item)))
    .join('');
}

function element(name: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return `<${name}/>`;
  if (typeof value === 'object') return `<${name}>${toXml(value as Tree)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function jobXml(job: FakeJob): string {
  return (
    `<Code>Success</Code><Message/><JobId>${job.JobId}</JobId><State>${job.State}</State>` +
    `<CreationTime>2022-06-30T18:42:20+0800</CreationTime><StartTime>2022-06-30T18:42:21+0800</StartTime>` +
    `<EndTime>2022-06-30T18:42:54+0800</EndTime><QueueId>p2242ab62c7c94486915508540933a2c6</QueueId>` +
    `<Tag>${job.Tag}</Tag><Operation><UserData>fake</UserData></Operation>`
  );
}

function runXml(run: FakeRun): string {
  return (
    `<WorkflowId>${run.WorkflowId ?? 'web6ac56c1ef54dbfa44d7f4103203be9'}</WorkflowId><Name>${run.Name ?? 'workflow-1'}</Name>` +
    `<RunId>${run.RunId}</RunId><CreateTime>2022-08-09T14:54:17+08:00</CreateTime><Object>wk-test/game.mp4</Object>` +
    `<State>${run.State}</State>`
  );
}

function errorBody(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fake</RequestId></Error>`;
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/xml', 'x-ci-request-id': 'fake' });
  res.end(body);
}
