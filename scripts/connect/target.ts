import { CallbackError } from '../../lib/errors';
import type { CosCredentials } from '../../lib/verify/cos-signature';
import { loadVerifyConfig } from '../../lib/verify/config';

export interface CiTarget {
  endpoint: string;
  credentials: CosCredentials;
}

/** A setting that is missing or wrong: one line naming it. */
export class TargetError extends Error {}

/**
 * The bucket's CI endpoint and key, read exactly as CALLBACK_VERIFY=ci reads them
 * (TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY, CI_BUCKET and CI_REGION or CI_ENDPOINT),
 * each missing variable named on its own.
 */
export function loadCiTarget(env: NodeJS.ProcessEnv): CiTarget {
  const required = ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', ...(env.CI_ENDPOINT?.trim() ? [] : ['CI_BUCKET', 'CI_REGION'])];
  const missing = required.find((name) => !env[name]?.trim());
  if (missing) {
    const endpointHint = missing.startsWith('CI_') ? ' (or CI_ENDPOINT)' : '';
    throw new TargetError(`${missing} is not set${endpointHint}: connect needs the CI key and bucket that CALLBACK_VERIFY=ci uses`);
  }
  try {
    const config = loadVerifyConfig({ ...env, CALLBACK_VERIFY: 'ci' });
    if (!config) throw new TargetError('unreachable: CALLBACK_VERIFY=ci always gives a configuration');
    return { endpoint: config.endpoint, credentials: { secretId: config.secretId, secretKey: config.secretKey } };
  } catch (err) {
    if (err instanceof CallbackError) throw new TargetError(err.message.replace(/^CALLBACK_VERIFY=ci needs/, 'connect needs'));
    throw err;
  }
}
