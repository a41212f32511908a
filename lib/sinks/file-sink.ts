import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CallbackEvent } from '../events';
import type { EventSink } from './sink';

/** The embedded default: appends one CloudEvent JSON per line (JSON Lines). */
export class FileSink implements EventSink {
  readonly name = 'file';
  private ready: Promise<unknown> | undefined;

  constructor(private readonly path: string) {}

  async send(events: readonly CallbackEvent[]): Promise<void> {
    if (events.length === 0) return;
    this.ready ??= mkdir(dirname(this.path), { recursive: true });
    await this.ready;
    // One append per callback keeps its events together in the file.
    await appendFile(this.path, events.map((e) => JSON.stringify(e) + '\n').join(''));
  }
}
