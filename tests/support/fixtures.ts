import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** The project's events/: found upwards from here, so it also works bundled into node_modules/.cache by scripts/run.mjs. */
export const EVENTS_DIR = join(projectRoot(__dirname), 'events');

function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'serverless.yml'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no serverless.yml above ${from}`);
  }
}

/** A Function URL event from `events/`, by file name without `.json`. */
export function loadEvent(name: string): APIGatewayProxyEventV2 {
  return JSON.parse(readFileSync(join(EVENTS_DIR, `${name}.json`), 'utf8'));
}

/** The callback body a sample event carries, decoded. */
export function sampleBody(name: string): string {
  const event = loadEvent(name);
  return event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
}

export function sampleNames(prefix = ''): string[] {
  return readdirSync(EVENTS_DIR)
    .filter((f) => f.endsWith('.json') && f.startsWith(prefix))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** The samples a callback receiver must accept (the rest are named `bad-…`). */
export const goodSamples = () => sampleNames().filter((n) => !n.startsWith('bad-'));

/** A Function URL event around any body, shaped like the ones Lambda delivers. */
export function urlEvent(
  body: string | undefined,
  options: { method?: string; contentType?: string; base64?: boolean; query?: string; sourceIp?: string; headers?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/xml', ...options.headers };
  const query = options.query ?? '';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: query,
    headers,
    ...(query ? { queryStringParameters: Object.fromEntries(new URLSearchParams(query)) } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'test',
      domainName: 'test.lambda-url.ap-southeast-1.on.aws',
      domainPrefix: 'test',
      http: { method: options.method ?? 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: options.sourceIp ?? '203.0.113.10', userAgent: 'test' },
      requestId: `test-${Math.random().toString(16).slice(2)}`,
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(body === undefined ? {} : { body: options.base64 ? Buffer.from(body).toString('base64') : body }),
    isBase64Encoded: Boolean(options.base64),
  } as APIGatewayProxyEventV2;
}

/** The job of the documented watermark callback (task-watermark-xml). */
export const WATERMARK_JOB = 'j515a494af86111ecb8546d80f2baf56f';

/** The documented watermark callback carrying one job per id, each a copy of its one job. */
export function watermarkCallbackWithJobs(ids: string[]): string {
  const xml = sampleBody('task-watermark-xml');
  const job = xml.slice(xml.indexOf('<JobsDetail>'), xml.indexOf('</JobsDetail>') + '</JobsDetail>'.length);
  return xml.replace(job, ids.map((id) => job.replace(WATERMARK_JOB, id)).join('\n'));
}
