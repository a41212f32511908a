import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkCosAuthorization } from './cos-auth-check';
import { sampleBody, goodSamples } from './fixtures';
import { eventsOf } from './parse';

/**
 * A local stand-in for CI's API (node:http on 127.0.0.1, a free port) that answers
 * DescribeMediaJob and its sibling job APIs and DescribeWorkflowExecution with Tencent's
 * documented response shapes, after checking each request's COS signature on its own.
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

export type FakeFailure = { status: number; code?: string } | 'hang' | null;

export interface FakeCi {
  endpoint: string;
  credentials: { secretId: string; secretKey: string };
  /** Every request, in arrival order: path and whether its signature was accepted. */
  requests: Array<{ method: string; path: string; signed: boolean }>;
  addJob(job: FakeJob): void;
  addRun(run: FakeRun): void;
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

export async function startFakeCi(options: { jobs?: FakeJob[]; runs?: FakeRun[] } = {}): Promise<FakeCi> {
  const jobs = new Map<string, FakeJob>();
  const runs = new Map<string, FakeRun>();
  const requests: FakeCi['requests'] = [];
  let failure: FakeFailure = null;
  const addJob = (job: FakeJob) => jobs.set(job.JobId, { ...job, family: job.family ?? FAMILY_OF_TAG[job.Tag] ?? '/jobs' });
  const addRun = (run: FakeRun) => runs.set(run.RunId, run);
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
      return send(res, 200, `<Response><RequestId>fake-${id}</RequestId><WorkflowExecution>${runXml(run)}</WorkflowExecution></Response>`);
    }
    if (!JOB_PATHS.has(family)) return send(res, 404, errorBody('NoSuchKey', 'no such API'));
    const job = jobs.get(id);
    if (!job || job.family !== family) return send(res, 200, `<Response><NonExistJobIds>${id}</NonExistJobIds></Response>`);
    return send(res, 200, `<Response><JobsDetail>${jobXml(job)}</JobsDetail></Response>`);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    credentials: FAKE_CREDENTIALS,
    requests,
    addJob,
    addRun,
    fail: (f) => {
      failure = f;
    },
    env: (overrides = {}) => ({
      CALLBACK_VERIFY: 'ci',
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

/**
 * For the benchmark and end-to-end runs: a fake CI that knows every job and workflow run of
 * the good samples in events/, so each sample passes verification. Returns its endpoint
 * and the receiver settings that use it.
 */
export async function startFakeCiWithSamples(): Promise<FakeCi> {
  const fake = await startFakeCi();
  for (const name of goodSamples()) {
    for (const event of eventsOf(sampleBody(name))) {
      const data = event.data as { jobId?: string; runId?: string; tag?: string | null; state: string | null };
      if (data.jobId) fake.addJob({ JobId: data.jobId, Tag: data.tag ?? '', State: data.state ?? '' });
      if (data.runId) fake.addRun({ RunId: data.runId, State: data.state ?? '' });
    }
  }
  return fake;
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
