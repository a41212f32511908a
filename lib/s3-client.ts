import type { S3Client } from '@aws-sdk/client-s3';
import { AWS_CLIENT_OPTIONS } from './aws-client-options';

/** Gives the container's S3 client, building it on first use. */
export type S3ClientSource = () => S3Client;

/**
 * One S3 client per container: the raw archive and the claim checks write to the same bucket,
 * so one client (one connection pool, built once at cold start) serves both. Required on
 * demand, like the sinks' SDKs; a build for a stage without a bucket (RECEIVER_BUNDLE_S3=false)
 * does not contain the S3 client at all.
 */
export const s3ClientSource: (() => S3ClientSource) | undefined =
  process.env.RECEIVER_BUNDLE_S3 === 'false'
    ? undefined
    : () => {
        let client: S3Client | undefined;
        return () => {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          client ??= new (require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3')).S3Client(AWS_CLIENT_OPTIONS);
          return client;
        };
      };
