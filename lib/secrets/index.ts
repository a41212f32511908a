import { CallbackError, misconfigured } from '../errors';
import { describeSource, parseSecretSource, SECRET_VARIABLES, type SecretSource, type SecretVariable } from './source';

type SecretValues = Partial<Record<SecretVariable, string>>;

/**
 * The environment with the secrets CALLBACK_SECRETS points to filled in: read once, at cold
 * start (the caller keeps the result for the container's life), so a rotated value reaches
 * new containers only; rotate a token by storing both, comma separated, for a while.
 * A variable set both in the environment and in the store is a configuration error: which
 * one wins would be a guess.
 */
export async function withSecrets(env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const source = parseSecretSource(env.CALLBACK_SECRETS ?? '');
  const values = await read(source);
  const found = SECRET_VARIABLES.filter((variable) => values[variable] !== undefined);
  if (found.length === 0) throw misconfigured(`${describeSource(source)} hold none of ${SECRET_VARIABLES.join(', ')}`);
  const twice = found.filter((variable) => env[variable]?.trim());
  if (twice.length > 0) throw misconfigured(`${twice.join(', ')} set both in the environment and in ${describeSource(source)}: keep one`);
  return { ...env, ...values };
}

/**
 * The SDK client of each store is loaded only when that store is used; a deployed bundle holds
 * only the store its stage names (RECEIVER_BUNDLE_SECRETS, deploy/stack.js).
 */
async function read(source: SecretSource): Promise<SecretValues> {
  try {
    return source.store === 'ssm' ? await readParameters(source.path) : await readSecret(source.secretId);
  } catch (err) {
    if (err instanceof CallbackError) throw err;
    throw storeError(source, err);
  }
}

// Conditionals on the build-time constant, so that esbuild drops the store a stage does not use.
const readParameters: (path: string) => Promise<SecretValues> =
  process.env.RECEIVER_BUNDLE_SECRETS === 'secretsmanager'
    ? () => Promise.reject(notInBuild('ssm'))
    : (path) => (require('./ssm') as typeof import('./ssm')).readParameters(path);
const readSecret: (secretId: string) => Promise<SecretValues> =
  process.env.RECEIVER_BUNDLE_SECRETS === 'ssm'
    ? () => Promise.reject(notInBuild('secretsmanager'))
    : (secretId) => (require('./secrets-manager') as typeof import('./secrets-manager')).readSecret(secretId);

// Errors that retrying will not cure: the name, the grant or the key is wrong.
const CONFIGURATION_ERRORS = new Set(['AccessDeniedException', 'ResourceNotFoundException', 'ParameterNotFound', 'KMSAccessDeniedException', 'DecryptionFailure', 'ValidationException']);

function storeError(source: SecretSource, thrown: unknown): CallbackError {
  // Powertools wraps the SDK's error (GetParameterError, its cause the service's error).
  const err = ((thrown as { cause?: unknown } | undefined)?.cause ?? thrown) as { name?: string; message?: string } | undefined;
  const name = err?.name ?? 'Error';
  const message = err?.message ?? String(err);
  const error = CONFIGURATION_ERRORS.has(name)
    ? misconfigured(`${describeSource(source)} could not be read: ${name}`)
    : new CallbackError(503, 'secrets_unavailable', `${describeSource(source)} could not be read; retry later`);
  return Object.assign(error, { causes: [{ name, message }] });
}

function notInBuild(store: string): CallbackError {
  return misconfigured(`the ${store} secret store is not in this build: deploy with --param="secrets=${store}:…"`);
}
