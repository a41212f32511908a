import { HttpCiClient } from './ci-client';
import { CiVerifier } from './ci-verifier';
import type { CiVerifyConfig } from './config';
import type { CallbackVerifier } from './verifier';

/** The verifier for CALLBACK_VERIFY=ci; loaded only when the mode is on. */
export function createCiVerifier(config: CiVerifyConfig): CallbackVerifier {
  return new CiVerifier(new HttpCiClient(config), config);
}
