import { misconfigured } from '../errors';
import { positiveInt } from '../env';

/** CALLBACK_VERIFY=ci: what the receiver needs to ask CI whether a callback is real. */
export interface CiVerifyConfig {
  /** Base URL of the bucket's CI API, from configuration only (never from a callback). */
  endpoint: string;
  /**
   * The bucket whose CI is asked (CI_BUCKET): a verified workflow event names it, since
   * DescribeWorkflowExecution does not. Null when only CI_ENDPOINT is given.
   */
  bucket: string | null;
  secretId: string;
  secretKey: string;
  /** Budget for verifying one callback, all its lookups included. */
  timeoutMs: number;
  /** Lookups in flight at once for a callback with several jobs. */
  concurrency: number;
}

const DEFAULT_TIMEOUT_MS = 3000;
const DEFAULT_CONCURRENCY = 5;
const BUCKET = /^[a-z0-9][a-z0-9-]*-\d+$/;
const REGION = /^[a-z]+(-[a-z]+)+(-\d+)?$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Reads the verification settings; null when the mode is off. With the mode on, anything
 * missing or malformed fails every request closed (500 misconfigured) rather than
 * forwarding callbacks nobody checked.
 */
export function loadVerifyConfig(env: NodeJS.ProcessEnv): CiVerifyConfig | null {
  const mode = (env.CALLBACK_VERIFY ?? '').trim();
  if (mode === '' || mode === 'off') return null;
  if (mode !== 'ci') throw misconfigured(`CALLBACK_VERIFY must be "ci" or "off", got "${mode}"`);
  const secretId = env.TENCENTCLOUD_SECRET_ID?.trim() ?? '';
  const secretKey = env.TENCENTCLOUD_SECRET_KEY?.trim() ?? '';
  if (!secretId || !secretKey) {
    throw misconfigured('CALLBACK_VERIFY=ci needs TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY');
  }
  const bucket = env.CI_BUCKET?.trim() ?? '';
  return {
    endpoint: ciEndpoint(env),
    bucket: BUCKET.test(bucket) ? bucket : null,
    secretId,
    secretKey,
    timeoutMs: positiveInt(env.CI_VERIFY_TIMEOUT_MS, 'CI_VERIFY_TIMEOUT_MS') ?? DEFAULT_TIMEOUT_MS,
    concurrency: positiveInt(env.CI_VERIFY_CONCURRENCY, 'CI_VERIFY_CONCURRENCY') ?? DEFAULT_CONCURRENCY,
  };
}

function ciEndpoint(env: NodeJS.ProcessEnv): string {
  const override = env.CI_ENDPOINT?.trim();
  if (override) {
    let url: URL;
    try {
      url = new URL(override);
    } catch {
      throw misconfigured(`CI_ENDPOINT is not a URL: "${override}"`);
    }
    // Signed requests in clear text only to this machine (tests, a local fake).
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
      throw misconfigured('CI_ENDPOINT must be https:// (http:// only for a loopback address)');
    }
    if (url.pathname !== '/' || url.search || url.hash) throw misconfigured('CI_ENDPOINT must be a base URL without a path');
    return url.origin;
  }
  const bucket = env.CI_BUCKET?.trim() ?? '';
  const region = env.CI_REGION?.trim() ?? '';
  if (!BUCKET.test(bucket) || !REGION.test(region)) {
    throw misconfigured(
      'CALLBACK_VERIFY=ci needs CI_BUCKET (BucketName-APPID, e.g. examplebucket-1250000000) and CI_REGION (e.g. ap-chongqing), or CI_ENDPOINT',
    );
  }
  return `https://${bucket}.ci.${region}.myqcloud.com`;
}
