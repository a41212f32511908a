import { startNodeServer } from './process';

export { PostgresServer } from './postgres';
export { freePort } from './process';

/** fauxqs (SQS and S3) in its own process on 127.0.0.1; pass a port to restart on the same one. */
export const startFauxqs = (port = 0) => startNodeServer('fauxqs-server.mjs', port);

/** dynalite (DynamoDB) in its own process on 127.0.0.1. */
export const startDynalite = (port = 0) => startNodeServer('dynalite-server.js', port);

/** Dummy credentials and a region for the real SDK clients; also for a script a test spawns. */
export const LOCAL_AWS_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_EC2_METADATA_DISABLED: 'true',
  // Node 20 here, Lambda runs 22: the SDK's notice about future Node versions is noise in tests.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/**
 * Points the real AWS SDK clients at local emulators through the SDK's standard variables,
 * with dummy credentials: the same clients the receiver builds when deployed.
 */
export function useLocalAws(ports: { sqs?: number; s3?: number; dynamodb?: number }): void {
  for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL']) delete process.env[name];
  Object.assign(process.env, LOCAL_AWS_ENV);
  if (ports.sqs) process.env.AWS_ENDPOINT_URL_SQS = `http://127.0.0.1:${ports.sqs}`;
  if (ports.s3) process.env.AWS_ENDPOINT_URL_S3 = `http://127.0.0.1:${ports.s3}`;
  if (ports.dynamodb) process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${ports.dynamodb}`;
}
