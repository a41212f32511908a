import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { CallbackHandler } from '../lib/callback-handler';

/** A Function URL refuses a request payload over 6 MB before the function runs; so does the dev server. */
const FUNCTION_URL_MAX_BODY_BYTES = 6 * 1024 * 1024;
/** A body still arriving after this long gets 408: a sender that never finishes holds nothing for ever. */
const BODY_TIMEOUT_MS = 10_000;
/** On close, requests in flight get this long to finish; then their connections are cut. */
const DRAIN_MS = 3_000;

export interface DevServerOptions {
  /** Path → handler, e.g. `/taskCallback`. */
  routes: Record<string, CallbackHandler>;
  port: number;
  host?: string;
  maxBodyBytes?: number;
  bodyTimeoutMs?: number;
  drainMs?: number;
  /** Called once per request answered, for the console line. */
  onResponse?: (response: AnsweredRequest) => void;
}

export interface AnsweredRequest {
  method: string;
  path: string;
  status: number;
  body: string;
}

export interface RunningDevServer {
  server: Server;
  /** `http://127.0.0.1:<port>`, with the port actually bound. */
  origin: string;
  /** Stops accepting connections, lets requests in flight finish for `drainMs` at most, then cuts them. */
  close(): Promise<void>;
}

/** The parts of a Node request a Function URL event is made of. */
export interface RawHttpRequest {
  method: string;
  url: string;
  httpVersion: string;
  /** As Node gives them in `headersDistinct` (or `headers`): lower-case names. */
  headers: NodeJS.Dict<string | string[]>;
  remoteAddress: string | undefined;
  body: Buffer;
}

/**
 * A local HTTP server in front of the real handlers: each request becomes the Function URL
 * (payload 2.0) event Lambda would deliver, and the handler's result becomes the response.
 * `/<route>/<token>` reaches the route's handler as a Function URL's `/<token>` would.
 */
export function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const host = options.host ?? '127.0.0.1';
  const limits = { maxBodyBytes: options.maxBodyBytes ?? FUNCTION_URL_MAX_BODY_BYTES, bodyTimeoutMs: options.bodyTimeoutMs ?? BODY_TIMEOUT_MS };
  const server = createServer((req, res) => {
    serve(req, res, options, limits).catch((err) => {
      // The handlers answer every error themselves; this is a bug in the dev server.
      console.error('dev server error:', err);
      if (!res.headersSent) respond(res, options, req, jsonResult(500, 'internal_error', 'dev server error; see its console'));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      resolve({
        server,
        origin: `http://${host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            const cut = setTimeout(() => server.closeAllConnections(), options.drainMs ?? DRAIN_MS);
            server.close(() => {
              clearTimeout(cut);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  options: DevServerOptions,
  limits: { maxBodyBytes: number; bodyTimeoutMs: number },
): Promise<void> {
  const found = route(req.url ?? '/', options.routes);
  if (!found) {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const known = Object.keys(options.routes).join(', ');
    respond(res, options, req, jsonResult(404, 'not_found', `no function at ${path}; routes: ${known}`), true);
    return;
  }
  const answer = (result: APIGatewayProxyStructuredResultV2, close = false) => respond(res, options, req, result, close, found.route);
  const body = await readBody(req, limits.maxBodyBytes, limits.bodyTimeoutMs);
  // The sender went away (or close() cut it) before its body was complete: no one to answer.
  if (body === 'aborted') return;
  if (body === 'too_large') {
    answer(jsonResult(413, 'payload_too_large', `request body is larger than ${limits.maxBodyBytes} bytes`), true);
    return;
  }
  if (body === 'timed_out') {
    answer(jsonResult(408, 'request_timeout', `request body not complete after ${limits.bodyTimeoutMs} ms`), true);
    return;
  }
  const event = toFunctionUrlEvent({
    method: req.method ?? 'GET',
    url: found.url,
    httpVersion: req.httpVersion,
    headers: req.headersDistinct,
    remoteAddress: req.socket.remoteAddress,
    body,
  });
  const result = await found.handler(event, { awsRequestId: event.requestContext.requestId });
  answer(result);
}

/**
 * The handler for a request URL, and the URL its Function URL would have seen: `/taskCallback/<token>?q`
 * → taskCallback with `/<token>?q`; a first segment that is no route belongs to the `/` route, whole.
 */
export function route(url: string, routes: Record<string, CallbackHandler>): { route: string; handler: CallbackHandler; url: string } | undefined {
  const [, first = '', rest = ''] = /^(\/[^/?]*)(.*)$/s.exec(url) ?? [];
  if (first !== '/' && routes[first]) return { route: first, handler: routes[first], url: rest.startsWith('/') ? rest : `/${rest}` };
  if (routes['/']) return { route: '/', handler: routes['/'], url };
  return undefined;
}

/**
 * The body; `too_large` once it exceeds the limit, `timed_out` when it is not complete in time,
 * `aborted` when the connection goes before the body is complete.
 * Then nothing more is kept, and the connection is closed after the answer so the sender cannot
 * keep streaming into memory, or hold the request open for ever.
 */
function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<Buffer | 'too_large' | 'timed_out' | 'aborted'> {
  if (Number(req.headers['content-length']) > limit) return Promise.resolve('too_large');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (outcome: 'too_large' | 'timed_out') => {
      clearTimeout(timer);
      req.off('data', onData);
      req.pause();
      chunks.length = 0;
      resolve(outcome);
    };
    const timer = setTimeout(() => stop('timed_out'), timeoutMs);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else stop('too_large');
    };
    req.on('data', onData);
    req.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    req.on('error', () => {
      clearTimeout(timer);
      resolve('aborted');
    });
  });
}

function respond(
  res: ServerResponse,
  options: DevServerOptions,
  req: IncomingMessage,
  result: APIGatewayProxyStructuredResultV2,
  closeConnection = false,
  // The route, not the URL: a token in the path stays off the console.
  path = new URL(req.url ?? '/', 'http://localhost').pathname,
): void {
  const status = result.statusCode ?? 200;
  const body = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : Buffer.from(result.body ?? '', 'utf8');
  res.writeHead(status, { ...result.headers, 'content-length': body.length, ...(closeConnection ? { connection: 'close' } : {}) });
  res.end(body, () => {
    if (closeConnection) req.socket.destroy();
  });
  options.onResponse?.({ method: req.method ?? '', path, status, body: body.toString('utf8') });
}

function jsonResult(status: number, code: string, message: string): APIGatewayProxyStructuredResultV2 {
  return { statusCode: status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code, message } }) };
}

// Lambda hands a text body over as a string and anything else base64 encoded. Bytes that are
// not UTF-8 are base64 encoded whatever their type, so that the handler sees them unchanged.
const TEXT_CONTENT_TYPE = /^\s*(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)\b|[\w.-]+\/[\w.-]+\+(json|xml)\b)/i;

/** Converts a Node request into the Function URL (payload 2.0) event Lambda would deliver. */
export function toFunctionUrlEvent(request: RawHttpRequest, now = new Date(), requestId: string = randomUUID()): APIGatewayProxyEventV2 {
  const queryStart = request.url.indexOf('?');
  const rawPath = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? '' : request.url.slice(queryStart + 1);
  const { headers, cookies } = lambdaHeaders(request.headers);
  const domainName = headers.host ?? '127.0.0.1';
  const domainPrefix = domainName.split(/[.:]/)[0];
  const text = TEXT_CONTENT_TYPE.test(headers['content-type'] ?? '') && isUtf8(request.body);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(rawQueryString ? { queryStringParameters: queryParameters(rawQueryString) } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: domainPrefix,
      domainName,
      domainPrefix,
      http: {
        method: request.method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: (request.remoteAddress ?? '').replace(/^::ffff:/, ''),
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(request.body.length > 0 ? { body: request.body.toString(text ? 'utf8' : 'base64') } : {}),
    isBase64Encoded: request.body.length > 0 && !text,
  };
}

/**
 * Lambda joins repeated headers with commas and moves cookies into their own list.
 * Maps first, then Object.fromEntries: a name such as `__proto__` stays an ordinary key.
 */
function lambdaHeaders(incoming: NodeJS.Dict<string | string[]>): { headers: Record<string, string>; cookies: string[] } {
  const headers = new Map<string, string>();
  let cookies: string[] = [];
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    if (name === 'cookie') cookies = [value].flat().join(';').split(/;\s*/).filter(Boolean);
    else headers.set(name, Array.isArray(value) ? value.join(',') : value);
  }
  return { headers: Object.fromEntries(headers), cookies };
}

/** Decoded parameters; a repeated name gets its values joined with commas, as Lambda does. */
function queryParameters(rawQueryString: string): Record<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    params.set(name, params.has(name) ? `${params.get(name)},${value}` : value);
  }
  return Object.fromEntries(params);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `30/Jun/2022:10:42:55 +0000`, the format of requestContext.time. */
function clfTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}`;
  return `${day}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
