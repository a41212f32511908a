import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Runs `write`; if the file's directory is missing (first use, a new day's archive folder,
 * or `.data/` deleted while running), creates it and runs `write` once more. Cheaper than a
 * mkdir before every write, and it survives a directory removed between two requests.
 */
export async function writeInDir<T>(path: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await mkdir(dirname(path), { recursive: true });
    return write();
  }
}
