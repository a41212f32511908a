import type { ReceiverConfig } from '../config';
import type { RawArchive } from './archive';
import { FileArchive } from './file-archive';

/** The local directory archive; S3 when ARCHIVE_BUCKET is set (see the adapters). */
export function createArchive(config: ReceiverConfig): RawArchive {
  return new FileArchive(config.archiveDir);
}
