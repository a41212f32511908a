import { cosAuthorization, type CosCredentials } from './cos-signature';

// A little slack for clock skew with CI; short enough that a leaked header is useless soon.
const SIGNATURE_SKEW_S = 60;
const SIGNATURE_TTL_S = 300;

/**
 * The headers that make one request to CI's API signed: `host`, the headers given (e.g.
 * `content-type` of a PUT) and every query parameter of the URL are signed, and the
 * `authorization` header carries the signature. Shared by every caller of CI's API so the
 * signing rules live in one place.
 */
export function signedHeaders(
  method: string,
  url: URL,
  credentials: CosCredentials,
  headers: Record<string, string> = {},
  nowMs = Date.now(),
): Record<string, string> {
  const start = Math.floor(nowMs / 1000) - SIGNATURE_SKEW_S;
  const signed = { ...headers, host: url.host };
  const query = Object.fromEntries(url.searchParams);
  const authorization = cosAuthorization(
    { method, pathname: decodeURIComponent(url.pathname), query, headers: signed },
    credentials,
    { start, end: start + SIGNATURE_SKEW_S + SIGNATURE_TTL_S },
  );
  return { ...signed, authorization };
}
