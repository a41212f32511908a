import type { ReceiverConfig } from '../config';
import { CallbackError, misconfigured } from '../errors';
import type { CallbackRequest } from '../request';
import { sha256Hex } from '../sha256';
import { isAllowedSource, parseCidr, type Cidr } from './source-ip';

/**
 * Tencent does not sign callbacks and cannot send custom headers, so the caller proves
 * itself with a secret in the callback URL, as its path (`…on.aws/<token>`, short enough for CI's
 * 100-character URL limit) or as `?token=`, optionally from an allowed source
 * address. Deployed without a token, the receiver fails closed unless the user opted out
 * with CALLBACK_AUTH=none. Runs before the body is archived or read.
 */
export function authenticate(request: CallbackRequest, config: ReceiverConfig): { tokenIndex?: number } {
  if (config.tokens.length === 0 && config.deployed && !config.authDisabled) {
    throw misconfigured('no CALLBACK_TOKEN is configured; set one (or CALLBACK_AUTH=none to accept unauthenticated callbacks)');
  }
  if (config.allowedCidrs.length > 0 && !isAllowedSource(request.sourceIp, allowlist(config.allowedCidrs))) {
    throw new CallbackError(403, 'forbidden_source', 'the source address is not in CALLBACK_ALLOWED_CIDRS');
  }
  if (config.tokens.length === 0) return {};
  const presented = request.query.token ?? pathToken(request.path);
  if (presented === undefined) throw new CallbackError(401, 'unauthorized', 'the callback URL has no token (…on.aws/<token> or ?token=)');
  const tokenIndex = matchingToken(presented, config.tokens);
  if (tokenIndex < 0) throw new CallbackError(401, 'unauthorized', 'the token in the callback URL is not accepted');
  // Which configured token matched (never its value): tells when a rotated-out token is no longer used.
  return { tokenIndex };
}

/** `/<token>` (a trailing slash tolerated) → the token; `/` → none. */
function pathToken(path: string | undefined): string | undefined {
  const token = (path ?? '').replace(/^\/+|\/+$/g, '');
  return token === '' ? undefined : token;
}

function allowlist(cidrs: readonly string[]): Cidr[] {
  return cidrs.map((text) => {
    try {
      return parseCidr(text);
    } catch (err) {
      throw misconfigured(`CALLBACK_ALLOWED_CIDRS: ${(err as Error).message}`);
    }
  });
}

/**
 * The position of the presented token among the configured ones, or -1. Compares against
 * every token, without stopping at a match, through SHA-256 digests: equal lengths, so
 * neither the comparison nor a length check leaks timing.
 */
export function matchingToken(presented: string, tokens: readonly string[], digestOf = sha256Hex): number {
  const digest = digestOf(presented);
  return tokens.reduce((found, token, index) => {
    const equal = sameDigest(digest, digestOf(token));
    return equal && found < 0 ? index : found;
  }, -1);
}

/** Two hex digests of equal length, compared without an early exit. */
function sameDigest(a: string, b: string): boolean {
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
