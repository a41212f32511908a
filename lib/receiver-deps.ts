import { createArchive } from './archive';
import type { RawArchive } from './archive/archive';
import { loadConfig, type ReceiverConfig } from './config';
import { createSinks } from './sinks';
import type { EventSink } from './sinks/sink';
import type { CallbackVerifier } from './verify/verifier';

/** What a receiver talks to; built once per container (and once per `npm run replay`). */
export interface ReceiverDeps {
  config: ReceiverConfig;
  archive: RawArchive;
  sinks: EventSink[];
  /** Built only with CALLBACK_VERIFY=ci; null forwards callbacks unchecked. */
  verifier: CallbackVerifier | null;
}

export function createDeps(config = loadConfig()): ReceiverDeps {
  return { config, archive: createArchive(config), sinks: createSinks(config), verifier: createVerifier(config) };
}

function createVerifier(config: ReceiverConfig): CallbackVerifier | null {
  if (!config.verify) return null;
  // Loaded on demand: with verification off, its modules cost nothing at cold start.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createCiVerifier } = require('./verify') as typeof import('./verify');
  return createCiVerifier(config.verify);
}
