import type { IncomingMessage } from 'node:http';
import type { CanonicalObject, ModerationKind } from '../events';
import { asList, asObject, canonicalize, text } from '../parse/canonical';
import { parseXml } from '../parse/xml';
import type { CiVerifyConfig } from './config';
import { JOB_FAMILIES, jobPathsFor } from './job-paths';
import { MODERATION_APIS, moderationApisFor } from './moderation-paths';
import { signedHeaders } from './signed-request';

/**
 * CI's own record of a job or workflow run, in the canonical form the normalizers read: the
 * JobsDetail element of DescribeMediaJob (and its sibling job APIs), the WorkflowExecution
 * element of DescribeWorkflowExecution, or the JobsDetail element of a moderation query (with
 * the EventName of the API that answered). A lookup resolves with null when CI does not know the id.
 */
export interface CiClient {
  describeJob(jobId: string, tag: string | null, signal: AbortSignal): Promise<CanonicalObject | null>;
  describeWorkflowExecution(runId: string, signal: AbortSignal): Promise<CanonicalObject | null>;
  describeModerationJob(jobId: string, kind: ModerationKind | null, signal: AbortSignal): Promise<ModerationRecord | null>;
}

export interface ModerationRecord {
  record: CanonicalObject;
  eventName: string;
}

export type CiFailure = 'unreachable' | 'timeout' | 'throttled' | 'server_error' | 'credentials_refused' | 'unexpected_answer';

/** CI could not answer the question: nothing can be concluded about the callback. */
export class CiUnavailableError extends Error {
  constructor(
    readonly reason: CiFailure,
    message: string,
    readonly detail: { path: string; status?: number; ciCode?: string; ciMessage?: string; action?: string },
  ) {
    super(message);
    this.name = 'CiUnavailableError';
  }
}

// Error codes that mean "who you are / what you may do", whatever HTTP status carries them.
const CREDENTIAL_CODES = new Set([
  'AccessDenied',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'InvalidSecretId',
  'RequestTimeTooSkewed',
  'ExpiredToken',
  'InvalidToken',
  'MissingAuthHeader',
]);
/** CI's ids are short alphanumeric strings; anything else is not one, and never reaches a URL. */
export const CI_ID = /^[A-Za-z0-9_-]{1,128}$/;
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

interface CiResponse {
  status: number;
  tree: CanonicalObject | undefined;
}

/** Asks CI's own API over HTTPS, signing every request with the configured key. */
export class HttpCiClient implements CiClient {
  constructor(private readonly config: Pick<CiVerifyConfig, 'endpoint' | 'secretId' | 'secretKey'>) {}

  async describeJob(jobId: string, tag: string | null, signal: AbortSignal): Promise<CanonicalObject | null> {
    if (!CI_ID.test(jobId)) return null;
    // Job families live under different paths; a job is unknown only when no family knows it.
    return (await this.firstJobRecord(jobPathsFor(tag), jobId, signal))?.record ?? null;
  }

  async describeWorkflowExecution(runId: string, signal: AbortSignal): Promise<CanonicalObject | null> {
    if (!CI_ID.test(runId)) return null;
    const path = `/workflowexecution/${encodeURIComponent(runId)}`;
    const response = await this.get(path, signal);
    return (response && recordOf(response, 'WorkflowExecution', 'RunId', runId, path)) ?? null;
  }

  async describeModerationJob(jobId: string, kind: ModerationKind | null, signal: AbortSignal): Promise<ModerationRecord | null> {
    if (!CI_ID.test(jobId)) return null;
    // Each kind has its own query API; a job is unknown only when none of them knows it.
    const apis = moderationApisFor(kind);
    const found = await this.firstJobRecord(apis.map((api) => api.path), jobId, signal);
    return found ? { record: found.record, eventName: apis[found.at].eventName } : null;
  }

  /** The JobsDetail of the first of `paths` under which CI knows the job (`<path>/<jobId>`), asked in turn, and which one. */
  private async firstJobRecord(paths: readonly string[], jobId: string, signal: AbortSignal): Promise<{ record: CanonicalObject; at: number } | null> {
    for (const [at, base] of paths.entries()) {
      const path = `${base}/${encodeURIComponent(jobId)}`;
      const response = await this.get(path, signal);
      const record = response && recordOf(response, 'JobsDetail', 'JobId', jobId, path);
      if (record) return { record, at };
    }
    return null;
  }

  /** One signed GET; null when CI says the id does not exist at this path. */
  private async get(path: string, signal: AbortSignal): Promise<CiResponse | null> {
    const url = new URL(path, this.config.endpoint);
    const headers = signedHeaders('GET', url, this.config);
    const { status, body } = await httpGet(url, { ...headers, accept: 'application/xml' }, signal, path);
    const tree = parseResponse(body);
    const { ciCode, ciMessage } = errorOf(tree);
    const detail = { path, status, ciCode, ciMessage };
    if (status === 200) {
      if (tree === undefined) throw new CiUnavailableError('unexpected_answer', 'CI answered HTTP 200 without an XML body', detail);
      return { status, tree };
    }
    if (ciCode !== undefined && CREDENTIAL_CODES.has(ciCode)) throw refused(detail);
    if (status === 401 || status === 403) throw refused(detail);
    if (status === 404 && ciCode !== 'NoSuchBucket') return null;
    if (status === 400) return null; // An id this family's API cannot parse is not one of its jobs.
    if (status === 429 || status === 503) throw new CiUnavailableError('throttled', `CI is throttling lookups (HTTP ${status})`, detail);
    if (status >= 500) throw new CiUnavailableError('server_error', `CI failed with HTTP ${status}`, detail);
    throw new CiUnavailableError('unexpected_answer', `CI answered HTTP ${status}${ciCode ? ` ${ciCode}` : ''}`, detail);
  }
}

function refused(detail: CiUnavailableError['detail']): CiUnavailableError {
  const { path } = detail;
  const action = path.startsWith('/workflowexecution/')
    ? 'ci:DescribeMediaWorkflowExecutions'
    : [...JOB_FAMILIES, ...MODERATION_APIS].find((api) => path.startsWith(`${api.path}/`))?.action;
  return new CiUnavailableError('credentials_refused', `CI refused the credentials${detail.ciCode ? ` (${detail.ciCode})` : ''}`, {
    ...detail,
    action,
  });
}

/** CI's `<Error>` code and message, when its answer is one (an unreadable one counts as none). */
function errorOf(tree: CanonicalObject | undefined): { ciCode?: string; ciMessage?: string } {
  try {
    const error = asObject(tree?.Error);
    return { ciCode: text(error?.Code) ?? undefined, ciMessage: text(error?.Message) ?? undefined };
  } catch {
    return {};
  }
}

/** The element of CI's answer whose id field is `id`; an answer CI's own shape does not allow is a failure to ask. */
function recordOf(response: CiResponse, element: string, idField: string, id: string, path: string): CanonicalObject | undefined {
  try {
    const root = asObject(response.tree?.Response) ?? {};
    return asList(root[element])
      .map(asObject)
      .find((record) => text(record?.[idField]) === id);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new CiUnavailableError('unexpected_answer', `CI answered with a record that cannot be read: ${reason}`, { path, status: response.status });
  }
}

/** The XML answer in canonical form; undefined for an empty or non-XML body (a proxy's HTML page). */
function parseResponse(body: string): CanonicalObject | undefined {
  if (body.trim() === '') return undefined;
  try {
    return asObject(canonicalize(parseXml(body)));
  } catch {
    return undefined;
  }
}

/** node:http(s) loaded on first use: a receiver with verification off never pays for it. */
function httpGet(
  url: URL,
  headers: Record<string, string>,
  signal: AbortSignal,
  path: string,
): Promise<{ status: number; body: string }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const transport = (url.protocol === 'https:' ? require('node:https') : require('node:http')) as typeof import('node:http');
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(timedOut(path));
    const request = transport.request(url, { method: 'GET', headers, signal }, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          response.destroy();
          reject(new CiUnavailableError('unexpected_answer', 'CI answered with an oversized body', { path, status: response.statusCode }));
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', (err) => reject(signal.aborted ? timedOut(path) : unreachable(path, err)));
    });
    request.on('error', (err) => reject(signal.aborted ? timedOut(path) : unreachable(path, err)));
    request.end();
  });
}

function timedOut(path: string): CiUnavailableError {
  return new CiUnavailableError('timeout', 'CI did not answer in time', { path });
}

function unreachable(path: string, err: Error): CiUnavailableError {
  const code = (err as NodeJS.ErrnoException).code;
  return new CiUnavailableError('unreachable', `CI is unreachable${code ? ` (${code})` : ''}`, { path });
}
