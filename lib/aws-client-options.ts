/**
 * Options for every AWS SDK client of the receiver. Endpoints, region and credentials come
 * from the SDK's own environment (AWS_REGION, AWS_ENDPOINT_URL_SQS, …).
 *
 * Deadlines that really fire: 1 s to connect, 3 s for the whole answer of one attempt, two
 * attempts. `requestTimeout` is a timer over the whole attempt (a server that drips one byte a
 * second does not reset it), but the locked @smithy/node-http-handler only logs a warning when it
 * passes unless `throwOnRequestTimeout` is set. The handler's own budget (lib/budget.ts) bounds
 * the request as a whole, retries included, within the function's timeout.
 */
export const AWS_CLIENT_OPTIONS = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 1000, requestTimeout: 3000, throwOnRequestTimeout: true },
};
