import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { archiveKey, type ArchivedRequest, type RawArchive } from './archive';

/** The embedded default: one JSON file per request under a local directory. */
export class FileArchive implements RawArchive {
  readonly name = 'file';

  constructor(private readonly dir: string) {}

  async put(record: ArchivedRequest): Promise<string> {
    const key = archiveKey(record);
    const path = join(this.dir, key);
    await mkdir(dirname(path), { recursive: true });
    // 'wx': a second write of the same key is a bug to surface, not a body to overwrite.
    await writeFile(path, JSON.stringify(record), { flag: 'wx' });
    return path;
  }
}
