import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { AWS_CLIENT_OPTIONS } from '../aws-client-options';
import { misconfigured } from '../errors';
import { SECRET_VARIABLES, type SecretVariable } from './source';

/** One GetSecretValue call; the secret is a JSON object keyed by variable name. */
export async function readSecret(secretId: string): Promise<Partial<Record<SecretVariable, string>>> {
  const provider = new SecretsProvider({ clientConfig: AWS_CLIENT_OPTIONS });
  const text = await provider.get(secretId, { maxAge: 0 });
  if (typeof text !== 'string') throw misconfigured(`Secrets Manager secret ${secretId} has no SecretString`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw misconfigured(`Secrets Manager secret ${secretId} is not JSON: store {"CALLBACK_TOKEN": "…", …}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw misconfigured(`Secrets Manager secret ${secretId} is not a JSON object keyed by variable name`);
  }
  const entries = Object.entries(value);
  // A misspelt key would leave its variable silently unset.
  const unknown = entries.map(([key]) => key).filter((key) => !(SECRET_VARIABLES as readonly string[]).includes(key));
  if (unknown.length > 0) throw misconfigured(`Secrets Manager secret ${secretId} has unknown keys ${unknown.join(', ')}; known: ${SECRET_VARIABLES.join(', ')}`);
  const notText = entries.filter(([, v]) => typeof v !== 'string').map(([key]) => key);
  if (notText.length > 0) throw misconfigured(`Secrets Manager secret ${secretId}: ${notText.join(', ')} must be strings`);
  return value as Partial<Record<SecretVariable, string>>;
}
