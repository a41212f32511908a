import type { CallbackRequest } from '../request';

/** One received request, exactly as it arrived: enough to re-drive it later (`npm run replay`). */
export interface ArchivedRequest {
  receivedAt: string;
  requestId: string;
  functionName: string;
  method: string;
  sourceIp: string;
  headers: Record<string, string>;
  /** The query string without the token: a secret does not belong in an archive. The URL path is
   * not kept at all: it may be the token (`…on.aws/<token>`). */
  query: Record<string, string>;
  isBase64Encoded: boolean;
  body: string;
}

/**
 * Port: where raw requests are kept for `npm run replay`, written alongside forwarding as
 * CALLBACK_ARCHIVE asks (./keep-request.ts). Returns the record's key.
 */
export interface RawArchive {
  readonly name: string;
  put(record: ArchivedRequest): Promise<string>;
}

export function toArchivedRequest(request: CallbackRequest, functionName: string): ArchivedRequest {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.query)) if (key !== 'token') query[key] = value;
  return {
    receivedAt: request.receivedAt.toISOString(),
    requestId: request.requestId,
    functionName,
    method: request.method,
    sourceIp: request.sourceIp,
    headers: request.headers,
    query,
    isBase64Encoded: request.isBase64Encoded,
    body: request.body,
  };
}

/** The request a record was made from, for `npm run replay` (the token was never archived). */
export function fromArchivedRequest(record: ArchivedRequest): CallbackRequest {
  return {
    method: record.method ?? 'POST',
    body: record.body,
    isBase64Encoded: record.isBase64Encoded,
    headers: record.headers,
    query: record.query ?? {},
    sourceIp: record.sourceIp ?? '',
    requestId: record.requestId ?? '',
    receivedAt: new Date(record.receivedAt),
  };
}

/** What a reader of an archive accepts as a record: the fields replay needs, with their types. */
export function isArchivedRequest(value: unknown): value is ArchivedRequest {
  const r = value as Partial<ArchivedRequest> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.body === 'string' &&
    typeof r.isBase64Encoded === 'boolean' &&
    typeof r.receivedAt === 'string' &&
    typeof r.headers === 'object' &&
    r.headers !== null
  );
}

/**
 * `2026/11/26/T000720.123Z-<requestId>-<random>.json`: sortable by receipt time; the random
 * part keeps two deliveries with the same request id (a replayed test event) apart.
 */
export function archiveKey(record: ArchivedRequest): string {
  const [date, time] = record.receivedAt.split('T');
  const id = record.requestId.replace(/[^A-Za-z0-9-]/g, '_').slice(0, 64);
  return `${date.replace(/-/g, '/')}/T${time.replace(/:/g, '')}-${id}-${Math.random().toString(16).slice(2, 10).padEnd(8, '0')}.json`;
}
