import { createArchive } from './archive';
import type { RawArchive } from './archive/archive';
import { loadConfig, type ReceiverConfig } from './config';
import { createSinks } from './sinks';
import type { EventSink } from './sinks/sink';

/** What a receiver talks to; built once per container (and once per `npm run replay`). */
export interface ReceiverDeps {
  config: ReceiverConfig;
  archive: RawArchive;
  sinks: EventSink[];
}

export function createDeps(config = loadConfig()): ReceiverDeps {
  return { config, archive: createArchive(config), sinks: createSinks(config) };
}
