import { appendFile } from 'node:fs/promises';
import type { CallbackEvent } from '../events';
import { writeInDir } from '../write-in-dir';
import type { EventSink } from './sink';

/** The embedded default: appends one CloudEvent JSON per line (JSON Lines). */
export class FileSink implements EventSink {
  readonly name = 'file';

  constructor(private readonly path: string) {}

  async send(events: readonly CallbackEvent[]): Promise<void> {
    if (events.length === 0) return;
    // One append per callback keeps its events together in the file.
    const lines = events.map((e) => JSON.stringify(e) + '\n').join('');
    await writeInDir(this.path, () => appendFile(this.path, lines));
  }
}
