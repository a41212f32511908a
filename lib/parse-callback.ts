import type { CallbackEvent } from './events';
import { normalizeCallback } from './normalize/callback';
import { decodeUtf8, parseBody } from './parse/body';

/**
 * A callback body, XML or JSON, to its events: the receiver's own parse → normalize path,
 * pure and without I/O, for a consumer that reads archived bodies or runs its own endpoint.
 * `contentVersion` is the request's X-Ci-Content-Version header (moderation callbacks), a hint.
 * Throws CallbackError (`malformed_body`, `missing_id`, `unsupported_event`) for a body that
 * is not a CI job, workflow or moderation callback. A moderation console test request gives
 * no events. It sets no size limit: bound the body before calling.
 */
export function parseCallback(body: string | Uint8Array, contentType?: string, contentVersion?: string): CallbackEvent[] {
  const text = typeof body === 'string' ? body : decodeUtf8(body);
  return normalizeCallback(parseBody(text, contentType), { contentVersion }).events;
}
