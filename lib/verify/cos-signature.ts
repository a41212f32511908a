import { createHash, createHmac } from 'node:crypto';

/**
 * The COS request signature (q-sign-algorithm=sha1) that CI's API requires, as Tencent
 * documents it under "Request Signature" (请求签名). Pure: the same request, key and key
 * time always give the same Authorization value.
 */

export interface SignableRequest {
  /** Any case: signed in lower case. */
  method: string;
  /** The decoded path, e.g. `/jobs/j123` or `/exampleobject(腾讯云)`. */
  pathname: string;
  query?: Record<string, string>;
  /** Every header given here is signed. */
  headers?: Record<string, string>;
}

export interface CosCredentials {
  secretId: string;
  secretKey: string;
}

/** Seconds since the epoch; the signature is valid from `start` to `end`. */
export interface KeyTime {
  start: number;
  end: number;
}

export interface SignatureParts {
  keyTime: string;
  signKey: string;
  urlParamList: string;
  httpParameters: string;
  headerList: string;
  httpHeaders: string;
  httpString: string;
  stringToSign: string;
  signature: string;
}

/** The value of the `Authorization` header. */
export function cosAuthorization(request: SignableRequest, credentials: CosCredentials, keyTime: KeyTime): string {
  const parts = signatureParts(request, credentials.secretKey, keyTime);
  return [
    'q-sign-algorithm=sha1',
    `q-ak=${credentials.secretId}`,
    `q-sign-time=${parts.keyTime}`,
    `q-key-time=${parts.keyTime}`,
    `q-header-list=${parts.headerList}`,
    `q-url-param-list=${parts.urlParamList}`,
    `q-signature=${parts.signature}`,
  ].join('&');
}

/** Every intermediate value the documentation names, so each can be checked on its own. */
export function signatureParts(request: SignableRequest, secretKey: string, time: KeyTime): SignatureParts {
  const keyTime = `${time.start};${time.end}`;
  const signKey = hmacSha1(secretKey, keyTime);
  const params = canonicalPairs(request.query ?? {});
  const headers = canonicalPairs(request.headers ?? {});
  const httpString = [request.method.toLowerCase(), request.pathname, params.pairs, headers.pairs, ''].join('\n');
  const stringToSign = ['sha1', keyTime, sha1(httpString), ''].join('\n');
  return {
    keyTime,
    signKey,
    urlParamList: params.keys,
    httpParameters: params.pairs,
    headerList: headers.keys,
    httpHeaders: headers.pairs,
    httpString,
    stringToSign,
    signature: hmacSha1(signKey, stringToSign),
  };
}

/** Keys lower-cased and encoded, values encoded, sorted by key: `a=1&b=2` and `a;b`. */
function canonicalPairs(entries: Record<string, string>): { keys: string; pairs: string } {
  const sorted = Object.entries(entries)
    .map(([key, value]) => [cosUrlEncode(key).toLowerCase(), cosUrlEncode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    keys: sorted.map(([key]) => key).join(';'),
    pairs: sorted.map(([key, value]) => `${key}=${value}`).join('&'),
  };
}

/**
 * UTF-8 percent-encoding as the signature documentation requires: everything but letters,
 * digits and `-_.~`. encodeURIComponent leaves `!'()*` as they are, so those are added.
 */
export function cosUrlEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha1(message: string): string {
  return createHash('sha1').update(message, 'utf8').digest('hex');
}

function hmacSha1(key: string, message: string): string {
  return createHmac('sha1', key).update(message, 'utf8').digest('hex');
}
