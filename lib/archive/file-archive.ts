import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeInDir } from '../write-in-dir';
import { archiveKey, type ArchivedRequest, type RawArchive } from './archive';

/** The embedded default: one JSON file per request under a local directory. */
export class FileArchive implements RawArchive {
  readonly name = 'file';

  constructor(private readonly dir: string) {}

  async put(record: ArchivedRequest): Promise<string> {
    const path = join(this.dir, archiveKey(record));
    const text = JSON.stringify(record);
    // 'wx': a second write of the same key is a bug to surface, not a body to overwrite.
    await writeInDir(path, () => writeFile(path, text, { flag: 'wx' }));
    return path;
  }
}
