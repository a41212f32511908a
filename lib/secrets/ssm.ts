import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { AWS_CLIENT_OPTIONS } from '../aws-client-options';
import { SECRET_VARIABLES, type SecretVariable } from './source';

/**
 * One GetParameters call (with decryption) for `<path>/<VARIABLE>` of every secret variable;
 * a parameter that does not exist is simply not used.
 */
export async function readParameters(path: string): Promise<Partial<Record<SecretVariable, string>>> {
  const provider = new SSMProvider({ clientConfig: AWS_CLIENT_OPTIONS });
  const names = Object.fromEntries(SECRET_VARIABLES.map((variable) => [`${path}/${variable}`, {}]));
  const found = await provider.getParametersByName<string>(names, { decrypt: true, throwOnError: false, maxAge: 0 });
  const values: Partial<Record<SecretVariable, string>> = {};
  for (const variable of SECRET_VARIABLES) {
    const value = found[`${path}/${variable}`];
    if (typeof value === 'string') values[variable] = value;
  }
  return values;
}
