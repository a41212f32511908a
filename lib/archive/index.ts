import { AWS_CLIENT_OPTIONS } from '../aws-client-options';
import type { ReceiverConfig } from '../config';
import type { RawArchive } from './archive';
import { FileArchive } from './file-archive';
import { LogArchive } from './log-archive';

/**
 * S3 when ARCHIVE_BUCKET is set; else the local directory (CALLBACK_ARCHIVE_DIR, default
 * .data/raw). Deployed with neither, Lambda has no lasting disk: the function log keeps them.
 */
export function createArchive(config: ReceiverConfig): RawArchive {
  if (config.archiveBucket) {
    // Required here, like the sinks' SDKs: without a bucket the S3 client is never loaded.
    const { S3Client } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
    const { S3Archive } = require('./s3-archive') as typeof import('./s3-archive');
    return new S3Archive(new S3Client(AWS_CLIENT_OPTIONS), config.archiveBucket);
  }
  if (config.deployed && !config.env.CALLBACK_ARCHIVE_DIR) return new LogArchive();
  return new FileArchive(config.archiveDir);
}
