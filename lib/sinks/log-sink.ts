import type { CallbackEvent } from '../events';
import type { EventSink } from './sink';

/** Writes each event as one JSON line on stdout, where CloudWatch Logs picks it up. */
export class LogSink implements EventSink {
  readonly name = 'log';

  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(line)) {}

  async send(events: readonly CallbackEvent[]): Promise<void> {
    for (const event of events) this.write(JSON.stringify({ event }) + '\n');
  }
}
