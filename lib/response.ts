import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { CallbackEvent } from './events';
import type { CallbackError } from './errors';

const JSON_HEADERS = { 'content-type': 'application/json' };

/** `test`: a moderation console test request, which CI's console must see answered 200 to save the URL. */
export function accepted(events: readonly CallbackEvent[], test = false): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 200,
    headers: JSON_HEADERS,
    body: JSON.stringify({ accepted: events.length, ids: events.map((e) => e.id), ...(test ? { test: true } : {}) }),
  };
}

export function rejected(error: Pick<CallbackError, 'status' | 'code' | 'message'>): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: error.status,
    headers: error.status === 405 ? { ...JSON_HEADERS, allow: 'POST' } : JSON_HEADERS,
    body: JSON.stringify({ error: { code: error.code, message: error.message } }),
  };
}
