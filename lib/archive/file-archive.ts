import { join } from 'node:path';
import { writeFileAtomically } from '../local-files';
import { archiveKey, type ArchivedRequest, type RawArchive } from './archive';

/** The embedded default: one JSON file per request under a local directory, written atomically. */
export class FileArchive implements RawArchive {
  readonly name = 'file';

  constructor(private readonly dir: string) {}

  async put(record: ArchivedRequest): Promise<string> {
    const path = join(this.dir, archiveKey(record));
    await writeFileAtomically(path, JSON.stringify(record));
    return path;
  }
}
