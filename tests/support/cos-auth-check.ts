import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The server side of the COS request signature, written from Tencent's "Request Signature"
 * documentation for the fake CI and deliberately independent of lib/verify: if both sides
 * misread the documentation the same way, the documented-vector test still catches it.
 */

export type AuthCheck = { ok: true } | { ok: false; code: 'AccessDenied' | 'InvalidAccessKeyId' | 'SignatureDoesNotMatch'; message: string };

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/** UrlEncode of the documentation: UTF-8 bytes, every byte but letters, digits and -_.~ as %XX. */
function docUrlEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(char) ? char : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function formatList(pairs: Array<[string, string]>): { list: string; joined: string } {
  const encoded = pairs.map(([k, v]) => [docUrlEncode(k.toLowerCase()).toLowerCase(), docUrlEncode(v)]);
  encoded.sort((a, b) => (a[0] === b[0] ? 0 : a[0] < b[0] ? -1 : 1));
  return { list: encoded.map((p) => p[0]).join(';'), joined: encoded.map((p) => p.join('=')).join('&') };
}

export function checkCosAuthorization(
  request: IncomingMessage,
  credentials: { secretId: string; secretKey: string },
  nowSeconds = Math.floor(Date.now() / 1000),
): AuthCheck {
  const header = request.headers.authorization ?? '';
  const fields = new Map<string, string>();
  for (const part of header.split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  if (fields.get('q-sign-algorithm') !== 'sha1') return { ok: false, code: 'AccessDenied', message: 'missing or unsupported signature' };
  if (fields.get('q-ak') !== credentials.secretId) return { ok: false, code: 'InvalidAccessKeyId', message: 'unknown SecretId' };
  const keyTime = fields.get('q-key-time') ?? '';
  const [start, end] = keyTime.split(';').map(Number);
  if (fields.get('q-sign-time') !== keyTime || !(start <= nowSeconds && nowSeconds <= end)) {
    return { ok: false, code: 'AccessDenied', message: 'Request has expired' };
  }
  const url = new URL(request.url ?? '/', 'http://fake');
  const headerNames = (fields.get('q-header-list') ?? '').split(';').filter(Boolean);
  if (!headerNames.includes('host')) return { ok: false, code: 'AccessDenied', message: 'the host header must be signed' };
  const signedHeaders: Array<[string, string]> = [];
  for (const name of headerNames) {
    const value = request.headers[name];
    if (typeof value !== 'string') return { ok: false, code: 'SignatureDoesNotMatch', message: `signed header ${name} is missing` };
    signedHeaders.push([name, value]);
  }
  const paramNames = (fields.get('q-url-param-list') ?? '').split(';').filter(Boolean);
  // The list holds lower-cased names; the request's own may be mixed case (pageNumber).
  const byLowerName = new Map([...url.searchParams].map(([name, value]) => [name.toLowerCase(), value]));
  const params: Array<[string, string]> = paramNames.map((name) => [name, byLowerName.get(decodeURIComponent(name)) ?? '']);
  const httpString =
    `${(request.method ?? '').toLowerCase()}\n${decodeURIComponent(url.pathname)}\n` +
    `${formatList(params).joined}\n${formatList(signedHeaders).joined}\n`;
  const signKey = createHmac('sha1', credentials.secretKey).update(keyTime).digest('hex');
  const stringToSign = `sha1\n${keyTime}\n${createHash('sha1').update(httpString).digest('hex')}\n`;
  const expected = Buffer.from(createHmac('sha1', signKey).update(stringToSign).digest('hex'));
  const presented = Buffer.from(fields.get('q-signature') ?? '');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    return { ok: false, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided.' };
  }
  return { ok: true };
}
