// node:fs with promisify rather than node:fs/promises: node:fs is loaded when Node starts,
// node:fs/promises is not, and every module loaded is paid for on each cold start.
import { mkdir, rename, unlink, writeFile } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

const write = promisify(writeFile);
const move = promisify(rename);
const remove = promisify(unlink);
const makeDir = promisify(mkdir);

/**
 * Writes a file whole or not at all: the text goes to a temporary name (`<path>.<pid>.tmp`,
 * which no archive reader lists), renamed to `path` once complete. A full disk or a process
 * killed mid-write leaves at most the temporary file (removed on a failed write), never a
 * truncated `path`. Callers choose unique paths (the archive key has a random part).
 */
export function writeFileAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  return inDirectory(path, async () => {
    try {
      await write(temporary, text, { flag: 'wx' });
      await move(temporary, path);
    } catch (err) {
      await remove(temporary).catch(() => undefined);
      throw err;
    }
  });
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
