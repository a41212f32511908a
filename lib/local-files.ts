// node:fs with promisify rather than node:fs/promises: node:fs is loaded when Node starts,
// node:fs/promises is not, and every module loaded is paid for on each cold start.
import { appendFile, mkdir, writeFile } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

const append = promisify(appendFile);
const write = promisify(writeFile);
const makeDir = promisify(mkdir);

/** Appends to a file, creating it and its directory when missing. */
export function appendText(path: string, text: string): Promise<void> {
  return inDirectory(path, () => append(path, text));
}

/** Writes a file that must not exist yet: a second write of the same path is a bug to surface. */
export function writeNewFile(path: string, text: string): Promise<void> {
  return inDirectory(path, () => write(path, text, { flag: 'wx' }));
}

/**
 * Runs `io`; if the file's directory is missing (first use, a new day's archive folder, or
 * `.data/` deleted while running), creates it and runs `io` once more. Cheaper than a mkdir
 * before every write, and it survives a directory removed between two requests.
 */
async function inDirectory(path: string, io: () => Promise<void>): Promise<void> {
  try {
    await io();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await makeDir(dirname(path), { recursive: true });
    await io();
  }
}
