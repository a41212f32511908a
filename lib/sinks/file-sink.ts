import type { CallbackEvent } from '../events';
import { appendText } from '../local-files';
import type { EventSink } from './sink';

/** The embedded default: appends one CloudEvent JSON per line (JSON Lines). */
export class FileSink implements EventSink {
  readonly name = 'file';

  constructor(private readonly path: string) {}

  async send(events: readonly CallbackEvent[]): Promise<void> {
    if (events.length === 0) return;
    // One append per callback keeps its events together in the file.
    await appendText(this.path, events.map((e) => JSON.stringify(e) + '\n').join(''));
  }
}
