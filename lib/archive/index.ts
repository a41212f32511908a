import type { ReceiverConfig } from '../config';
import { misconfigured } from '../errors';
import type { RawArchive } from './archive';
import { FileArchive } from './file-archive';
import { LogArchive } from './log-archive';
import { s3ClientSource, type S3ClientSource } from '../s3-client';

/**
 * S3 when ARCHIVE_BUCKET is set; else the local directory (CALLBACK_ARCHIVE_DIR, default
 * .data/raw). Deployed with neither, Lambda has no lasting disk: the function log keeps them.
 */
export function createArchive(config: ReceiverConfig, s3 = s3ClientSource?.()): RawArchive {
  if (config.archiveBucket) {
    if (!s3 || !s3Archive) throw misconfigured('ARCHIVE_BUCKET is set but this build has no S3 archive: deploy with the archiveBucket param');
    return s3Archive(s3, config.archiveBucket);
  }
  return config.archiveDir === null ? new LogArchive() : new FileArchive(config.archiveDir);
}

/**
 * Required on demand: without a bucket the S3 archive's module is never loaded, and a build for
 * a stage without one (RECEIVER_BUNDLE_S3=false) does not contain it.
 */
const s3Archive =
  process.env.RECEIVER_BUNDLE_S3 === 'false'
    ? undefined
    : (s3: S3ClientSource, bucket: string): RawArchive => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { S3Archive } = require('./s3-archive') as typeof import('./s3-archive');
        return new S3Archive(s3(), bucket);
      };
