import { readFileSync, readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { detectFormat, type BodyFormat } from '../lib/parse/body';

/** A callback to POST: a sample from events/ or a file, with the response it should get. */
export interface Callback {
  name: string;
  method: string;
  contentType: string;
  body: Buffer;
  format: BodyFormat;
  /** Which function it belongs to, by content: workflow callbacks carry WorkflowExecution and no JobsDetail. */
  route: '/taskCallback' | '/workflowCallback';
  /** Request headers the receiver reads besides Content-Type: a moderation callback's X-Ci-Content-Version. */
  headers: Record<string, string>;
  expected: Expected;
}

/** A status, or any 4xx; with the error code when one is expected. */
export interface Expected {
  status: number | '4xx';
  code?: string;
}

/** The table of expected responses (events/expected-responses.tsv) applies to samples named `bad-*`. */
export const EXPECTATIONS_FILE = 'expected-responses.tsv';

export function sampleNames(eventsDir: string): string[] {
  return readdirSync(eventsDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/**
 * Good samples expect 200; `bad-*` samples expect what events/expected-responses.tsv says,
 * or any 4xx when it does not list them. A listed sample that does not exist is an error:
 * the table must not outlive its samples.
 */
export function readExpectations(eventsDir: string): Map<string, Expected> {
  const table = new Map<string, Expected>();
  const names = new Set(sampleNames(eventsDir));
  const lines = readFileSync(join(eventsDir, EXPECTATIONS_FILE), 'utf8').split('\n');
  for (const line of lines) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [name, status, code] = line.split('\t').map((s) => s.trim());
    if (!names.has(name)) throw new Error(`${EXPECTATIONS_FILE} lists "${name}", which is not a sample in events/`);
    if (!/^\d{3}$/.test(status)) throw new Error(`${EXPECTATIONS_FILE}: "${line}" has no status`);
    table.set(name, { status: Number(status), ...(code ? { code } : {}) });
  }
  return table;
}

export function expectedFor(name: string, table: Map<string, Expected>): Expected {
  return table.get(name) ?? (name.startsWith('bad-') ? { status: '4xx' } : { status: 200 });
}

export function meetsExpectation(expected: Expected, status: number, code: string | undefined): boolean {
  const statusOk = expected.status === '4xx' ? status >= 400 && status < 500 : status === expected.status;
  return statusOk && (expected.code === undefined || expected.code === code);
}

export function describeExpected(expected: Expected): string {
  return [expected.status, expected.code].filter(Boolean).join(' ');
}

/** A sample by name, as the HTTP request its Function URL event was made from. */
export function loadSample(eventsDir: string, name: string, table: Map<string, Expected>): Callback {
  const event = JSON.parse(readFileSync(join(eventsDir, `${name}.json`), 'utf8')) as APIGatewayProxyEventV2;
  return fromEvent(name, event, expectedFor(name, table));
}

/**
 * Any file: a Function URL event (JSON with requestContext) is sent as its request; anything
 * else is a callback body, sent as it is. Expected: any 4xx when named `bad-*`, else 200.
 */
export function loadFile(path: string, table: Map<string, Expected>): Callback {
  const name = basename(path, extname(path));
  const bytes = readFileSync(path);
  const event = asFunctionUrlEvent(bytes);
  if (event) return fromEvent(name, event, expectedFor(name, table));
  const text = bytes.toString('utf8');
  const format = detectFormat(text, extname(path) === '.json' ? 'application/json' : undefined);
  const contentType = format === 'json' ? 'application/json' : 'application/xml';
  return { name, method: 'POST', contentType, body: bytes, format, route: routeOf(text), headers: {}, expected: expectedFor(name, table) };
}

function fromEvent(name: string, event: APIGatewayProxyEventV2, expected: Expected): Callback {
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v ?? '']));
  const contentType = headers['content-type'] ?? 'application/xml';
  const text = body.toString('utf8');
  return {
    name,
    method: event.requestContext?.http?.method ?? 'POST',
    contentType,
    body,
    format: detectFormat(text, contentType),
    route: routeOf(text),
    headers: headers[CONTENT_VERSION] ? { [CONTENT_VERSION]: headers[CONTENT_VERSION] } : {},
    expected,
  };
}

const CONTENT_VERSION = 'x-ci-content-version';

function asFunctionUrlEvent(bytes: Buffer): APIGatewayProxyEventV2 | undefined {
  try {
    const parsed = JSON.parse(bytes.toString('utf8'));
    return parsed && typeof parsed === 'object' && 'requestContext' in parsed && 'isBase64Encoded' in parsed ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function routeOf(body: string): Callback['route'] {
  return body.includes('WorkflowExecution') && !body.includes('JobsDetail') ? '/workflowCallback' : '/taskCallback';
}

const FORMAT_SEGMENT = /-(xml|json)(?=-|$)/;

/**
 * A sample name for what was asked: an exact name, or, with a format, the sample of the same
 * callback in that format (`task-watermark-xml --format json` → `task-watermark-json`; the
 * part after the format, such as `-base64`, is kept where such a sample exists). A name
 * without a format (`task-watermark`) picks XML, CI's default.
 */
export function resolveSampleName(eventsDir: string, asked: string, format?: BodyFormat): string {
  const names = sampleNames(eventsDir);
  if (format === undefined && names.includes(asked)) return asked;
  const want = format ?? 'xml';
  const [callback, variant] = splitName(asked);
  const sameCallback = names.filter((n) => splitName(n)[0] === callback && formatOf(eventsDir, n) === want);
  const choice = sameCallback.find((n) => splitName(n)[1] === variant) ?? sameCallback[0];
  if (choice) return choice;
  const similar = names.filter((n) => n.startsWith(callback));
  throw new Error(
    `no ${want.toUpperCase()} sample of "${asked}" in events/` + (similar.length ? `; related samples: ${similar.join(', ')}` : ''),
  );
}

/** `task-words-json-response-wrapper` → [`task-words`, `-response-wrapper`]. */
function splitName(name: string): [string, string] {
  const match = FORMAT_SEGMENT.exec(name);
  return match ? [name.slice(0, match.index), name.slice(match.index + match[0].length)] : [name, ''];
}

function formatOf(eventsDir: string, name: string): BodyFormat {
  return loadSample(eventsDir, name, new Map()).format;
}
