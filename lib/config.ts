import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { ArchivePolicy } from './archive/keep-request';
import { misconfigured } from './errors';
import { positiveInt } from './env';
import { loadVerifyConfig, type CiVerifyConfig } from './verify/config';

export interface ReceiverConfig {
  /** True inside AWS Lambda; false under `serverless invoke local`, tests and scripts. */
  deployed: boolean;
  sinks: string[];
  maxBodyBytes: number;
  /** Accepted URL tokens; several at once so a token can be rotated without losing callbacks. */
  tokens: string[];
  /** `CALLBACK_AUTH=none`: the user explicitly runs a deployed receiver without a token. */
  authDisabled: boolean;
  allowedCidrs: string[];
  file: string;
  /** Null deployed without CALLBACK_ARCHIVE_DIR: Lambda has no lasting disk, the function log keeps bodies. */
  archiveDir: string | null;
  archiveBucket: string | null;
  /** CALLBACK_ARCHIVE: `unforwarded` (the default with a bucket) or `always` (lib/archive/keep-request.ts). */
  archivePolicy: ArchivePolicy;
  /** CALLBACK_VERIFY=ci: confirm each job and run with CI's API before forwarding; null when off. */
  verify: CiVerifyConfig | null;
  /** Adapter settings; each is required only when its sink is listed in CALLBACK_SINKS. */
  sqsQueueUrl: string | null;
  dynamodbTable: string | null;
  databaseUrl: string | null;
}

const DEFAULT_MAX_BYTES = 1024 * 1024;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ReceiverConfig {
  const deployed = Boolean(env.AWS_LAMBDA_FUNCTION_NAME) && env.IS_LOCAL !== 'true';
  const root = projectRoot();
  return {
    deployed,
    // Outside Lambda the embedded default runs with no setup; deployed, sinks are chosen explicitly.
    sinks: list(env.CALLBACK_SINKS) ?? (deployed ? [] : ['file']),
    maxBodyBytes: positiveInt(env.CALLBACK_MAX_BYTES, 'CALLBACK_MAX_BYTES') ?? DEFAULT_MAX_BYTES,
    tokens: tokenList(env.CALLBACK_TOKEN),
    authDisabled: env.CALLBACK_AUTH === 'none',
    allowedCidrs: list(env.CALLBACK_ALLOWED_CIDRS) ?? [],
    file: inProject(root, env.CALLBACK_FILE || '.data/events.jsonl'),
    archiveDir: env.CALLBACK_ARCHIVE_DIR || !deployed ? inProject(root, env.CALLBACK_ARCHIVE_DIR || '.data/raw') : null,
    archiveBucket: env.ARCHIVE_BUCKET || null,
    archivePolicy: archivePolicy(env.CALLBACK_ARCHIVE, Boolean(env.ARCHIVE_BUCKET)),
    verify: loadVerifyConfig(env),
    sqsQueueUrl: env.SQS_QUEUE_URL || null,
    dynamodbTable: env.DYNAMODB_TABLE || null,
    databaseUrl: env.DATABASE_URL || null,
  };
}

// A token travels as the callback URL's path or its `?token=`: only characters no URL encodes.
const TOKEN = /^[A-Za-z0-9._~-]+$/;

/**
 * Accepted tokens; an empty value means none. Anything else must be tokens, comma separated:
 * a value such as " , " or "a,,b" is a mistake, and a mistake here fails closed (500
 * misconfigured, locally too) rather than silently dropping the authentication.
 */
function tokenList(value: string | undefined): string[] {
  if (value === undefined || value === '') return [];
  const tokens = value.split(',').map((s) => s.trim());
  if (tokens.some((token) => token === '')) throw misconfigured('CALLBACK_TOKEN has an empty entry: give tokens separated by commas, or leave it empty for none');
  const unsafe = tokens.findIndex((token) => !TOKEN.test(token));
  if (unsafe >= 0) throw misconfigured(`CALLBACK_TOKEN entry ${unsafe} has characters a URL would encode: use letters, digits and - _ . ~ only`);
  return tokens;
}

/**
 * With a bucket, S3 gets only what was not forwarded (the function log keeps every request): an
 * S3 PUT a callback costs more than the Lambda call itself. A directory or the log costs nothing
 * per request, so they keep everything.
 */
function archivePolicy(value: string | undefined, bucket: boolean): ArchivePolicy {
  if (!value) return bucket ? 'unforwarded' : 'always';
  if (value === 'always' || value === 'unforwarded') return value;
  throw misconfigured(`CALLBACK_ARCHIVE must be always or unforwarded, not "${value}"`);
}

function list(value: string | undefined): string[] | undefined {
  const items = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return items.length > 0 ? items : undefined;
}

/**
 * Relative paths are read from the project root, not the working directory:
 * `serverless invoke local` runs the bundle inside `.esbuild/.build`.
 */
function inProject(root: string, path: string): string {
  return isAbsolute(path) ? path : join(root, path);
}

/** The directory holding serverless.yml, found upwards from the working directory. */
export function projectRoot(): string {
  let dir = process.cwd();
  for (;;) {
    if (existsSync(join(dir, 'serverless.yml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

