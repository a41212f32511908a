import { createHash, timingSafeEqual } from 'node:crypto';
import type { ReceiverConfig } from './config';
import { CallbackError } from './errors';
import type { CallbackRequest } from './request';

/**
 * Tencent does not sign callbacks and cannot send custom headers, so the caller proves
 * itself with a secret in the callback URL (`?token=`). Deployed without a token, the
 * receiver fails closed unless the user opted out with CALLBACK_AUTH=none.
 */
export function authenticate(request: CallbackRequest, config: ReceiverConfig): void {
  if (config.tokens.length === 0) {
    if (config.deployed && !config.authDisabled) {
      throw new CallbackError(
        500,
        'misconfigured',
        'no CALLBACK_TOKEN is configured; set one (or CALLBACK_AUTH=none to accept unauthenticated callbacks)',
      );
    }
    return;
  }
  const presented = request.query.token;
  if (presented === undefined || !config.tokens.some((token) => constantTimeEqual(presented, token))) {
    throw new CallbackError(401, 'unauthorized', 'missing or wrong token in the callback URL');
  }
}

// Hashing first gives equal-length inputs, so neither the comparison nor its length check leaks timing.
function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
