/**
 * Options for every AWS SDK client of the receiver. Endpoints, region and credentials come
 * from the SDK's own environment (AWS_REGION, AWS_ENDPOINT_URL_SQS, …). Short timeouts and one
 * retry: a service that hangs fails the callback with 503 (the sender retries, the body is
 * archived) well within the function's 10 s timeout.
 */
export const AWS_CLIENT_OPTIONS = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 },
};
