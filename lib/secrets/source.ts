import { misconfigured } from '../errors';

/**
 * The variables a secret store may hold instead of the environment (deploy/secrets.js grants
 * the read of exactly these).
 */
export const SECRET_VARIABLES = ['CALLBACK_TOKEN', 'TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'DATABASE_URL'] as const;
export type SecretVariable = (typeof SECRET_VARIABLES)[number];

/** Where CALLBACK_SECRETS says the secrets are. */
export type SecretSource =
  /** SSM Parameter Store: one SecureString parameter per variable, `<path>/<VARIABLE>`. */
  | { store: 'ssm'; path: string }
  /** Secrets Manager: one secret whose value is a JSON object keyed by variable name. */
  | { store: 'secretsmanager'; secretId: string };

const SSM_PATH = /^\/[A-Za-z0-9_.\-/]*[A-Za-z0-9_.-]$/;

export function parseSecretSource(value: string): SecretSource {
  const [store, ...rest] = value.trim().split(':');
  const name = rest.join(':');
  if (store === 'ssm' && SSM_PATH.test(name)) return { store, path: name };
  if (store === 'secretsmanager' && name) return { store, secretId: name };
  throw misconfigured(`CALLBACK_SECRETS must be ssm:/<path> or secretsmanager:<name or ARN>, got "${value}"`);
}

export function describeSource(source: SecretSource): string {
  return source.store === 'ssm' ? `SSM parameters under ${source.path}` : `Secrets Manager secret ${source.secretId}`;
}
