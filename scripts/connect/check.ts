// --check: what CI's console does when a callback URL is saved (it POSTs a test request and
// accepts the URL only on a 200), then one real job callback from events/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../lib/config';
import { loadSample, readExpectations, resolveSampleName } from '../samples';
import { maskToken, type ResultFormat } from './plan';

export interface CheckRequest {
  name: string;
  contentType: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface CheckAnswer {
  name: string;
  ok: boolean;
  line: string;
}

const TIMEOUT_MS = 10_000;

/** The console's test request (Tencent's documented body), then the watermark job callback in the format asked (XML by default). */
export function checkRequests(format: ResultFormat | undefined): CheckRequest[] {
  const consoleTest = readFileSync(join(__dirname, 'console-test-request.json'));
  const eventsDir = join(projectRoot(), 'events');
  const sampleName = resolveSampleName(eventsDir, 'task-watermark', format === 'JSON' ? 'json' : 'xml');
  const sample = loadSample(eventsDir, sampleName, readExpectations(eventsDir));
  return [
    { name: 'console test request', contentType: 'application/json', headers: { 'x-ci-content-version': 'Simple' }, body: consoleTest },
    { name: `job callback ${sample.name}`, contentType: sample.contentType, headers: {}, body: sample.body },
  ];
}

/** POSTs each request to the URL and says what the answer means for CI. */
export async function checkUrl(url: string, requests: CheckRequest[], timeoutMs = TIMEOUT_MS): Promise<CheckAnswer[]> {
  const answers: CheckAnswer[] = [];
  for (const request of requests) answers.push(await post(url, request, timeoutMs));
  return answers;
}

async function post(url: string, request: CheckRequest, timeoutMs: number): Promise<CheckAnswer> {
  const name = request.name;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { ...request.headers, 'content-type': request.contentType, 'user-agent': 'ci-callback-connect-check' },
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    if ((err as Error).name === 'TimeoutError') {
      return { name, ok: false, line: `no answer in ${timeoutMs / 1000} s: the URL is unreachable from here, and CI would not reach it either` };
    }
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { name, ok: false, line: `unreachable (${cause?.code ?? cause?.message ?? (err as Error).message}): check the URL ${maskToken(url)}` };
  }
  const text = (await response.text()).trim();
  const body = text.slice(0, 300);
  if (response.status === 200) return { name, ok: true, line: `200 ${body}` };
  if (response.status !== 401 && response.status !== 403) return { name, ok: false, line: `${response.status} ${body}: CI needs a 200` };
  const code = errorCode(text);
  if (code === 'unverified_callback') {
    // The receiver asks CI about every job (CALLBACK_VERIFY=ci) and CI has no record of the sample's:
    // the URL and the token worked, and a real job of the bucket is confirmed.
    return { name, ok: true, line: `${response.status} ${body}: verified with CI, which does not know this sample job; the URL and token work` };
  }
  if (code === 'forbidden_source') {
    return { name, ok: false, line: `${response.status} ${body}: this machine's address is not in CALLBACK_ALLOWED_CIDRS; check from an allowed one` };
  }
  return { name, ok: false, line: `${response.status} ${body}: the token in the URL is wrong (or missing)` };
}

/** The receiver's error code (`{"error": {"code"}}`); undefined for another body. */
function errorCode(body: string): string | undefined {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } })?.error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}
