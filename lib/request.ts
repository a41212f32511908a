import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { CallbackError, malformed } from './errors';
import { decodeUtf8, stripBom } from './parse/body';

/** What the pipeline needs of a Function URL request; the body exactly as Lambda handed it over. */
export interface CallbackRequest {
  method: string;
  body: string;
  isBase64Encoded: boolean;
  headers: Record<string, string>;
  query: Record<string, string>;
  /** The URL path (`/<token>` when the token is the path); never archived. Absent in a replayed request. */
  path?: string;
  sourceIp: string;
  requestId: string;
  receivedAt: Date;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Reads a Function URL (payload 2.0) event; refuses any method but POST. */
export function readRequest(event: APIGatewayProxyEventV2, receivedAt = new Date()): CallbackRequest {
  const method = event.requestContext?.http?.method ?? 'POST';
  if (method !== 'POST') throw new CallbackError(405, 'method_not_allowed', `method ${method} is not allowed; CI sends POST`);
  return {
    method,
    body: event.body ?? '',
    isBase64Encoded: Boolean(event.isBase64Encoded),
    headers: lowerCaseKeys(event.headers),
    query: { ...event.queryStringParameters } as Record<string, string>,
    path: event.rawPath ?? event.requestContext?.http?.path ?? '/',
    sourceIp: event.requestContext?.http?.sourceIp ?? '',
    requestId: event.requestContext?.requestId ?? '',
    receivedAt,
  };
}

// What only a Function URL event has; a CI callback body has none of these at its top level.
const EVENT_KEYS = ['version', 'rawPath', 'requestContext', 'headers', 'body', 'isBase64Encoded'];

/**
 * Locally (`serverless invoke local -p my-callback.xml`), input that is not a Function URL event is
 * the callback body a user has in hand: raw XML arrives as a string, a JSON body as its object.
 * It becomes the POST that CI would have sent. An empty object stays an event (with no body).
 */
export function localEvent(input: unknown): APIGatewayProxyEventV2 {
  const isEvent = typeof input === 'object' && input !== null && (Object.keys(input).length === 0 || EVENT_KEYS.some((key) => key in input));
  if (isEvent || input === undefined || input === null) return (input ?? {}) as APIGatewayProxyEventV2;
  const body = typeof input === 'string' ? input : JSON.stringify(input);
  const contentType = typeof input === 'string' ? 'application/xml' : 'application/json';
  return {
    version: '2.0',
    rawPath: '/',
    headers: { 'content-type': contentType },
    requestContext: { http: { method: 'POST', path: '/', sourceIp: '127.0.0.1' }, requestId: 'local' },
    body,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

/**
 * The body as text, base64 decoded where flagged; refuses a body over the limit and one that
 * is not UTF-8 rather than guessing. A text body is used as it is, without a round trip to bytes.
 */
export function bodyText(request: CallbackRequest, maxBodyBytes: number): string {
  if (request.isBase64Encoded) return decodeUtf8(decodeBase64(request.body, maxBodyBytes));
  const raw = request.body;
  // Checked on the string first so that a huge body is refused without a copy.
  if (raw.length > maxBodyBytes) throw tooLarge(maxBodyBytes);
  // A UTF-16 unit is at most 3 UTF-8 bytes: only a long string needs its bytes counted.
  if (raw.length * 3 > maxBodyBytes && Buffer.byteLength(raw, 'utf8') > maxBodyBytes) throw tooLarge(maxBodyBytes);
  // Buffer.from would turn a lone surrogate into U+FFFD: refuse rather than guess.
  if (!(raw as WellFormedCheck).isWellFormed()) throw malformed('body is not valid UTF-8');
  return stripBom(raw);
}

/** ES2024 (Node 20 has it; the project's TypeScript lib is ES2022). Far faster than a /u regex scan. */
type WellFormedCheck = string & { isWellFormed(): boolean };

/** Line breaks are tolerated, so the size is judged on the text without them, before decoding it. */
function decodeBase64(raw: string, maxBodyBytes: number): Buffer {
  const compact = raw.replace(/\s+/g, '');
  if (Math.floor((compact.length * 3) / 4) - 2 > maxBodyBytes) throw tooLarge(maxBodyBytes);
  if (compact.length % 4 === 1 || !BASE64.test(compact)) throw malformed('isBase64Encoded is set but the body is not base64');
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length > maxBodyBytes) throw tooLarge(maxBodyBytes);
  return bytes;
}

function tooLarge(maxBodyBytes: number): CallbackError {
  return new CallbackError(413, 'payload_too_large', `body is larger than ${maxBodyBytes} bytes`);
}

function lowerCaseKeys(headers: APIGatewayProxyEventV2['headers'] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) out[key.toLowerCase()] = value;
  }
  return out;
}
