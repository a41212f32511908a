import { createArchive } from './archive';
import type { RawArchive } from './archive/archive';
import { loadConfig, type ReceiverConfig } from './config';
import { misconfigured } from './errors';
import { s3ClientSource } from './s3-client';
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
  // The archive and the claim checks share the container's one S3 client.
  const s3 = s3ClientSource?.();
  return { config, archive: createArchive(config, s3), sinks: createSinks(config, s3), verifier: createVerifier(config) };
}

/**
 * createDeps once the secrets CALLBACK_SECRETS names are read (the handlers' cold start).
 * Without it nothing is loaded: lib/secrets and its SDK clients cost only the stages that use
 * them, and a bundle built without the `secrets` param does not even contain them.
 */
export async function loadDeps(env: NodeJS.ProcessEnv = process.env): Promise<ReceiverDeps> {
  return createDeps(await loadConfigWithSecrets(env));
}

/** The configuration with the secrets CALLBACK_SECRETS names read first (the store is not asked without it). */
export async function loadConfigWithSecrets(env: NodeJS.ProcessEnv = process.env): Promise<ReceiverConfig> {
  return loadConfig(env.CALLBACK_SECRETS?.trim() ? await withSecrets(env) : env);
}

// An if/else on the build-time constant, so that esbuild drops the branch it does not take.
const withSecrets: (env: NodeJS.ProcessEnv) => Promise<NodeJS.ProcessEnv> =
  process.env.RECEIVER_BUNDLE_SECRETS === 'none'
    ? async () => {
        throw misconfigured('CALLBACK_SECRETS is set but this build has no secret store: deploy with --param="secrets=…"');
      }
    : // eslint-disable-next-line @typescript-eslint/no-require-imports
      (env) => (require('./secrets') as typeof import('./secrets')).withSecrets(env);

function createVerifier(config: ReceiverConfig): CallbackVerifier | null {
  if (!config.verify) return null;
  // Loaded on demand: with verification off, its modules cost nothing at cold start.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createCiVerifier } = require('./verify') as typeof import('./verify');
  return createCiVerifier(config.verify);
}
