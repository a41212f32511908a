import type { ReceiverConfig } from '../config';
import { FileSink } from './file-sink';
import { LogSink } from './log-sink';
import type { EventSink } from './sink';

type SinkFactory = (config: ReceiverConfig) => EventSink;

const FACTORIES: Record<string, SinkFactory> = {
  file: (config) => new FileSink(config.file),
  log: () => new LogSink(),
};

export const KNOWN_SINKS = Object.keys(FACTORIES);

/** Builds the adapters named in CALLBACK_SINKS, in order; an unknown name is a configuration error. */
export function createSinks(config: ReceiverConfig): EventSink[] {
  return config.sinks.map((name) => {
    const factory = FACTORIES[name];
    if (!factory) throw new Error(`CALLBACK_SINKS names an unknown sink "${name}"; known: ${KNOWN_SINKS.join(', ')}`);
    return factory(config);
  });
}
