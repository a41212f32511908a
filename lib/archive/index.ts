import { AWS_CLIENT_OPTIONS } from '../aws-client-options';
import type { ReceiverConfig } from '../config';
import { misconfigured } from '../errors';
import type { RawArchive } from './archive';
import { FileArchive } from './file-archive';
import { LogArchive } from './log-archive';

/**
 * Required on demand, like the sinks' SDKs: without a bucket the S3 client is never loaded,
 * and a build for a stage without a bucket does not contain it (see lib/sinks/index.ts).
 */
const createS3Archive =
  process.env.RECEIVER_BUNDLE_S3 === 'false'
    ? undefined
    : (bucket: string): RawArchive => {
        const { S3Client } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
        const { S3Archive } = require('./s3-archive') as typeof import('./s3-archive');
        return new S3Archive(new S3Client(AWS_CLIENT_OPTIONS), bucket);
      };

/**
 * S3 when ARCHIVE_BUCKET is set; else the local directory (CALLBACK_ARCHIVE_DIR, default
 * .data/raw). Deployed with neither, Lambda has no lasting disk: the function log keeps them.
 */
export function createArchive(config: ReceiverConfig): RawArchive {
  if (config.archiveBucket) {
    if (!createS3Archive) {
      throw misconfigured('ARCHIVE_BUCKET is set but this build has no S3 archive: deploy with the archiveBucket param');
    }
    return createS3Archive(config.archiveBucket);
  }
  return config.archiveDir === null ? new LogArchive() : new FileArchive(config.archiveDir);
}
