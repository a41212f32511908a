/**
 * Options for every AWS SDK client of the receiver. Endpoints, region and credentials come
 * from the SDK's own environment (AWS_REGION, AWS_ENDPOINT_URL_SQS, …). The timeouts make a
 * hung service fail the request (503, the sender retries) before the Lambda timeout does.
 */
export const AWS_CLIENT_OPTIONS = {
  requestHandler: { connectionTimeout: 2000, requestTimeout: 4000 },
};
