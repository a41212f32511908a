import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CallbackEvent } from '../events';
import { logger } from '../observability/logger';
import type { EventSink } from './sink';
import { uniqueById } from './unique';

/**
 * The embedded default: one CloudEvent JSON per line (JSON Lines), each id once.
 *
 * Idempotent: the ids already in the file are skipped. The sink reads what the file holds
 * before each write (only the part appended since it last looked, so another writer such as
 * `npm run replay` is seen too).
 *
 * Always valid JSON Lines: a callback's new events are one write at the end of the file;
 * a write that fails part way (a full disk) is truncated back to where it started, and a
 * torn last line found in the file (a process killed mid-write) is cut off before appending.
 * Writes are synchronous and serialized within the process, so no two appends interleave.
 */
export class FileSink implements EventSink {
  readonly name = 'file';
  private readonly written = new Set<string>();
  /** How much of the file has been read into `written`: a whole number of lines. */
  private readBytes = 0;
  private inode: number | undefined;

  constructor(private readonly path: string) {}

  async send(events: readonly CallbackEvent[]): Promise<void> {
    if (events.length === 0) return;
    const fd = openAppending(this.path);
    try {
      const size = this.catchUp(fd);
      const fresh = uniqueById(events).filter((e) => !this.written.has(e.id));
      if (fresh.length === 0) return;
      const lines = Buffer.from(fresh.map((e) => JSON.stringify(e) + '\n').join(''));
      appendAll(fd, size, lines);
      for (const event of fresh) this.written.add(event.id);
      this.readBytes = size + lines.length;
    } finally {
      closeSync(fd);
    }
  }

  /** Reads the lines appended since the last look; cuts off a torn last line. Returns the file's size. */
  private catchUp(fd: number): number {
    const info = fstatSync(fd);
    let size = info.size;
    // A file that was replaced (rotated, deleted) or shrank (truncated by hand) is read again from the start.
    if (info.ino !== this.inode || size < this.readBytes) {
      this.written.clear();
      this.readBytes = 0;
      this.inode = info.ino;
    }
    if (size === this.readBytes) return size;
    const tail = Buffer.alloc(size - this.readBytes);
    readSync(fd, tail, 0, tail.length, this.readBytes);
    const complete = tail.lastIndexOf(0x0a) + 1;
    for (const line of tail.subarray(0, complete).toString('utf8').split('\n')) {
      const id = idOf(line);
      if (id) this.written.add(id);
    }
    if (complete < tail.length) {
      logger.warn('the events file ended in a torn line; cut off before appending', { file: this.path, bytes: tail.length - complete });
      size = this.readBytes + complete;
      ftruncateSync(fd, size);
    }
    this.readBytes = size;
    return size;
  }
}

function openAppending(path: string): number {
  try {
    return openSync(path, 'a+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(dirname(path), { recursive: true });
    return openSync(path, 'a+');
  }
}

/** Writes all of `data` at the end of the file, or nothing: a failed write is truncated back to `size`. */
function appendAll(fd: number, size: number, data: Buffer): void {
  try {
    for (let done = 0; done < data.length; ) done += writeSync(fd, data, done);
  } catch (err) {
    ftruncateSync(fd, size);
    throw err;
  }
}

function idOf(line: string): string | undefined {
  if (!line) return undefined;
  try {
    const id = (JSON.parse(line) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
