import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { CallbackEvent } from './events';
import type { CallbackError } from './errors';
import type { LeftOutEvent } from './sinks/sink';

const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * 200: every event is stored, but those in `leftOut` (`[{id, sink, reason}]`, present only
 * when a sink could never take one of them: see lib/sinks/sink.ts); the archive keeps them.
 * `test`: a moderation console test request, which CI's console must see answered 200 to save the URL.
 */
export function accepted(
  events: readonly CallbackEvent[],
  { test = false, leftOut = [] }: { test?: boolean; leftOut?: readonly LeftOutEvent[] } = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 200,
    headers: JSON_HEADERS,
    body: JSON.stringify({
      accepted: events.length,
      ids: events.map((e) => e.id),
      ...(test ? { test: true } : {}),
      ...(leftOut.length > 0 ? { leftOut } : {}),
    }),
  };
}

export function rejected(error: Pick<CallbackError, 'status' | 'code' | 'message'>): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: error.status,
    headers: error.status === 405 ? { ...JSON_HEADERS, allow: 'POST' } : JSON_HEADERS,
    body: JSON.stringify({ error: { code: error.code, message: error.message } }),
  };
}
