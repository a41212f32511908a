// `npm run trigger -- <sample|all|path/to/file.xml|json> [--url URL] [--format xml|json] [--token T]`
// POSTs sample callbacks from events/ (or any file) to a receiver and prints each response.
// Default URL: the dev server, http://127.0.0.1:$PORT (3000), at /taskCallback/<token> or
// /workflowCallback/<token> by the callback's family, with the first CALLBACK_TOKEN as <token>.
// --url with --token: the token becomes the URL's path, as in `https://…on.aws/<token>`.
// Exits 1 when any response is not the expected one (events/expected-responses.tsv).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../lib/config';
import { loadConfigWithSecrets } from '../lib/receiver-deps';
import type { BodyFormat } from '../lib/parse/body';
import {
  describeExpected,
  loadFile,
  loadSample,
  meetsExpectation,
  readExpectations,
  resolveSampleName,
  sampleNames,
  type Callback,
} from './samples';

const USAGE = 'usage: npm run trigger -- <sample|all|path/to/file.xml|json> [--url URL] [--format xml|json] [--token T]';

interface Target {
  /** A fixed URL (--url), or the dev server's origin, to which the callback's route is added. */
  url: URL;
  fixed: boolean;
  /** Sent as the last path segment; never printed. */
  token?: string;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { url: { type: 'string' }, format: { type: 'string' }, token: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || positionals.length !== 1) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const format = parseFormat(values.format);
  const eventsDir = join(projectRoot(), 'events');
  const callbacks = selectCallbacks(positionals[0], format, eventsDir);
  const target = await targetOf(values.url, values.token);
  const routes = target.fixed ? '' : ' at /taskCallback or /workflowCallback, by callback family';
  console.log(`POST to ${printable(target.url, target.token)}${routes}`);

  let differing = 0;
  for (const callback of callbacks) {
    const url = new URL(target.url);
    if (!target.fixed) url.pathname = callback.route;
    if (target.token) url.pathname = `${url.pathname.replace(/\/$/, '')}/${target.token}`;
    const outcome = await send(url, callback, target.token);
    const ok = meetsExpectation(callback.expected, outcome.status, outcome.code);
    if (!ok) differing += 1;
    const expectation = ok ? '' : `   <- expected ${describeExpected(callback.expected)}`;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${callback.name.padEnd(40)} ${outcome.status} ${outcome.body}${expectation}`);
  }
  if (callbacks.length > 1) {
    console.log(`${callbacks.length} callbacks sent: ${callbacks.length - differing} as expected, ${differing} not`);
  }
  return differing === 0 ? 0 : 1;
}

function parseFormat(value: string | undefined): BodyFormat | undefined {
  if (value === undefined || value === 'xml' || value === 'json') return value;
  throw new UsageError(`--format must be xml or json, got "${value}"`);
}

/** `all`: every sample (in the one format asked, if any); a path: that file; else a sample name. */
function selectCallbacks(asked: string, format: BodyFormat | undefined, eventsDir: string): Callback[] {
  const table = readExpectations(eventsDir);
  if (asked === 'all') {
    return sampleNames(eventsDir)
      .map((name) => loadSample(eventsDir, name, table))
      .filter((callback) => format === undefined || callback.format === format);
  }
  if (asked.includes('/') || /\.(xml|json)$/i.test(asked)) {
    if (format !== undefined) throw new UsageError('--format picks among the samples; a file is sent as it is');
    return [loadFile(asked, table)];
  }
  return [loadSample(eventsDir, resolveSampleName(eventsDir, asked, format), table)];
}

async function targetOf(url: string | undefined, token: string | undefined): Promise<Target> {
  if (url !== undefined) return { url: new URL(url), fixed: true, token: token || undefined };
  // The dev server reads CALLBACK_TOKEN (or CALLBACK_SECRETS) from the same environment: use it unless told otherwise.
  const origin = new URL(`http://127.0.0.1:${process.env.PORT || 3000}`);
  return { url: origin, fixed: false, token: (token ?? (await loadConfigWithSecrets()).tokens[0]) || undefined };
}

async function send(url: URL, callback: Callback, token?: string): Promise<{ status: number; code?: string; body: string }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: callback.method,
      headers: { ...callback.headers, 'content-type': callback.contentType, 'user-agent': 'ci-callback-trigger' },
      body: callback.method === 'GET' || callback.method === 'HEAD' ? undefined : callback.body,
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (err as Error).message;
    const hint = url.hostname === '127.0.0.1' ? ' (is `npm run dev` running, on this PORT?)' : '';
    throw new UnreachableError(`cannot reach ${printable(url, token)}: ${reason}${hint}`);
  }
  const body = (await response.text()).trim();
  return { status: response.status, code: errorCode(body), body };
}

function errorCode(body: string): string | undefined {
  try {
    return JSON.parse(body)?.error?.code;
  } catch {
    return undefined;
  }
}

/** The URL without its secret: `/***` for a path token, `?token=***`. */
function printable(url: URL, token?: string): string {
  const shown = new URL(url);
  if (token) shown.pathname = shown.pathname.split('/').map((segment) => (segment === token ? '***' : segment)).join('/');
  if (shown.searchParams.has('token')) shown.searchParams.set('token', '***');
  return shown.toString();
}

class UsageError extends Error {}
class UnreachableError extends Error {}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err instanceof UsageError ? `${err.message}\n${USAGE}` : err.message);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
