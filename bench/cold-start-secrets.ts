// What reading the secrets from a store costs a cold start: the packaged handler of a stage
// without the `secrets` param against the same stage with `secrets=ssm:/…` (the token then comes
// from SSM Parameter Store, here a loopback store speaking its protocol), each a fresh node
// process handling one callback, runs interleaved; for a stage that loads no AWS SDK otherwise
// (sinks=log), one that does (sinks=sqs, against fauxqs) and the default deploy (S3 archive,
// sqs on a FIFO queue, dynamodb; against fauxqs and dynalite). Standalone:
//   node scripts/run.mjs bench/cold-start-secrets.ts [runs] [log|sqs|default ...]
// `npm run bench` calls measureSecretsColdStart() for its cold-start part.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sampleBody, urlEvent } from '../tests/support/fixtures';
import { packageInCopy, type PackageRun } from '../tests/support/serverless-cli';
import { SECRET_VARIABLES } from '../lib/secrets/source';
import { defaultDeployBaselineScript } from './cold-start-sdk';
import { startDynalite, startFauxqs } from '../tests/support/servers';
import { CALLBACK_TABLE } from '../tests/support/callback-table';
import { startSecretStore } from '../tests/support/servers/secret-store';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface SecretsColdStart {
  /** The stage: `log` loads no AWS SDK at all; `sqs` already loads the SDK's core; `default` is what `serverless deploy` builds. */
  sinks: string;
  runs: number;
  /** Median wall time of a fresh process handling one callback, in ms. */
  plainMs: number;
  withSsmMs: number;
  /** Median of the per-pair differences: what the option adds to a cold start. */
  addedMs: number;
  /**
   * The default deploy only: a minified bundle of the SDK clients alone making the same calls
   * (GetParameters, then PutObject, SendMessageBatch and PutItem at once), and the median of the
   * per-run ratios of the stage with secrets to it: the default deploy's budget, for this option.
   */
  floor?: { ms: number; ratio: number };
  nodeBaselineMs: number;
  bundleBytes: { plain: number; withSsm: number };
}

const TOKEN = 'bench-token-0123456789abcdef';
// The queue URL only has to look like one for `serverless package`; the runs use fauxqs's.
// The default deploy's queue, table and bucket are the stack's own (references in the template):
// the runs point them at the emulators' (see resourcesOf).
const SCENARIOS: Record<string, string[]> = {
  log: ['--param', 'sinks=log', '--param', 'archiveBucket=none'],
  sqs: ['--param', 'sinks=sqs', '--param', 'queueUrl=https://sqs.us-east-1.amazonaws.com/000000000000/bench', '--region', 'us-east-1', '--param', 'archiveBucket=none'],
  default: ['--region', 'us-east-1'],
};

/** Each scenario of `sinks`, without and with `secrets=ssm:/bench`. */
export async function measureSecretsColdStart(runs = 20, sinks = Object.keys(SCENARIOS)): Promise<SecretsColdStart[]> {
  // Node 20 here, Lambda runs 22: the SDK's notice about future Node versions is noise.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const store = await startSecretStore();
  store.parameters.set('/bench/CALLBACK_TOKEN', TOKEN);
  const [fauxqs, dynalite] = await Promise.all([startFauxqs(), sinks.includes('default') ? startDynalite() : undefined]);
  const work = mkdtempSync(join(tmpdir(), 'cold-secrets-'));
  const packages: PackageRun[] = [];
  const floors: string[] = [];
  try {
    const base: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_LAMBDA_FUNCTION_NAME: 'bench-taskCallback',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_ENDPOINT_URL_SSM: store.url,
      AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${fauxqs.port}`,
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${fauxqs.port}`,
      ...(dynalite ? { AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${dynalite.port}` } : {}),
      POWERTOOLS_METRICS_DISABLED: 'true',
      LOG_LEVEL: 'ERROR',
    };
    const resources = await createResources(base, Boolean(dynalite));
    const eventFile = join(work, 'event.json');
    writeFileSync(eventFile, JSON.stringify(urlEvent(sampleBody('task-watermark-xml'), { query: `token=${TOKEN}` })));

    const results: SecretsColdStart[] = [];
    for (const scenario of sinks) {
      const params = ['--stage', 'bench', ...SCENARIOS[scenario]];
      const [plainRun, ssmRun] = await Promise.all([
        packageInCopy([...params, '--param', `callbackToken=${TOKEN}`]),
        packageInCopy([...params, '--param', 'secrets=ssm:/bench']),
      ]);
      packages.push(plainRun, ssmRun);
      const runnerOf = (name: string, run: PackageRun) => {
        const handler = handlerOf(run, work, `${scenario}-${name}`);
        const file = join(work, `run-${scenario}-${name}.js`);
        writeFileSync(
          file,
          `require(${JSON.stringify(handler.file)}).handler(JSON.parse(require('fs').readFileSync(${JSON.stringify(eventFile)}, 'utf8')), { awsRequestId: 'cold' })` +
            `.then((res) => { if (res.statusCode !== 200) { process.stderr.write(res.body); process.exit(3); } });\n`,
        );
        // The default deploy archives every request here, so that it makes the floor's three calls.
        const archive = scenario === 'default' ? { CALLBACK_ARCHIVE: 'always' } : {};
        const env = { ...base, ...handler.env, ...resourcesOf(handler.env, scenario, resources), ...archive };
        return { file, env, bytes: handler.bytes };
      };
      const plain = runnerOf('plain', plainRun);
      const withSsm = runnerOf('ssm', ssmRun);
      const floor =
        scenario === 'default'
          ? defaultDeployBaselineScript(
              { bucket: resources.bucket, queueUrl: resources.fifoQueueUrl, table: resources.table },
              { parameterNames: SECRET_VARIABLES.map((variable) => `/bench/${variable}`) },
            )
          : undefined;
      if (floor) floors.push(dirname(floor));

      for (let i = 0; i < 3; i++) {
        await wallMs([plain.file], plain.env);
        await wallMs([withSsm.file], withSsm.env);
      }
      const plainMs: number[] = [];
      const ssmMs: number[] = [];
      const nodeMs: number[] = [];
      const differences: number[] = [];
      const floorMs: number[] = [];
      const floorRatios: number[] = [];
      const callsBefore = store.calls.length;
      for (let i = 0; i < runs; i++) {
        // Alternate which side goes first, so a slow moment of the machine hits both alike.
        const p = i % 2 ? undefined : await wallMs([plain.file], plain.env);
        const s = await wallMs([withSsm.file], withSsm.env);
        const q = p ?? (await wallMs([plain.file], plain.env));
        plainMs.push(q);
        ssmMs.push(s);
        differences.push(s - q);
        nodeMs.push(await wallMs(['-e', '0'], base));
        if (!floor) continue;
        const f = await wallMs([floor], base);
        floorMs.push(f);
        floorRatios.push(s / f);
      }
      const floorCalls = floor ? runs : 0;
      if (store.calls.length - callsBefore !== runs + floorCalls) throw new Error(`expected one GetParameters per run with secrets, saw ${store.calls.length - callsBefore}`);
      results.push({
        sinks: scenario,
        runs,
        plainMs: round(median(plainMs)),
        withSsmMs: round(median(ssmMs)),
        addedMs: round(median(differences)),
        nodeBaselineMs: round(median(nodeMs)),
        bundleBytes: { plain: plain.bytes, withSsm: withSsm.bytes },
        ...(floor ? { floor: { ms: round(median(floorMs)), ratio: Math.round(median(floorRatios) * 1000) / 1000 } } : {}),
      });
    }
    return results;
  } finally {
    await store.stop();
    await Promise.all([fauxqs.stop(), dynalite?.stop()]);
    for (const dir of [...packages.map((run) => run.dir), ...floors]) rmSync(dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

interface Resources {
  queueUrl: string;
  fifoQueueUrl: string;
  bucket: string;
  table: string;
}

/** The queues (standard for `sqs`, FIFO as the default deploy creates), the bucket and, with dynalite, the table. */
async function createResources(env: NodeJS.ProcessEnv, withTable: boolean): Promise<Resources> {
  const config = { region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
  const sqs = new SQSClient({ ...config, endpoint: env.AWS_ENDPOINT_URL_SQS });
  const resources = { queueUrl: '', fifoQueueUrl: '', bucket: 'bench-cold-secrets', table: 'bench-cold-secrets' };
  resources.queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'bench' }))).QueueUrl!;
  if (!withTable) return resources;
  resources.fifoQueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'bench.fifo', Attributes: { FifoQueue: 'true' } }))).QueueUrl!;
  await new S3Client({ ...config, endpoint: env.AWS_ENDPOINT_URL_S3, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: resources.bucket }));
  await new DynamoDBClient({ ...config, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB }).send(new CreateTableCommand({ ...CALLBACK_TABLE, TableName: resources.table }));
  return resources;
}

/** The emulators' queue, table and bucket in place of those the template names (or references). */
function resourcesOf(env: Record<string, string>, scenario: string, resources: Resources): Record<string, string> {
  const fifo = scenario === 'default';
  return {
    ...(env.SQS_QUEUE_URL ? { SQS_QUEUE_URL: fifo ? resources.fifoQueueUrl : resources.queueUrl } : {}),
    ...(env.DYNAMODB_TABLE ? { DYNAMODB_TABLE: resources.table } : {}),
    ...(env.ARCHIVE_BUCKET ? { ARCHIVE_BUCKET: resources.bucket } : {}),
  };
}

/** The taskCallback handler from the package's zip, with the environment the template gives it. */
function handlerOf(run: PackageRun, work: string, name: string): { file: string; bytes: number; env: Record<string, string> } {
  if (!run.template) throw new Error(`serverless package failed:\n${run.output}`);
  const unpacked = join(work, name);
  mkdirSync(unpacked, { recursive: true });
  execFileSync('python3', ['-m', 'zipfile', '-e', join(run.out, 'taskCallback.zip'), unpacked]);
  const file = join(unpacked, 'handlers', 'task-callback.js');
  const variables = run.template.Resources.TaskCallbackLambdaFunction.Properties.Environment.Variables as Record<string, unknown>;
  const env = Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, String(value)]));
  return { file, bytes: statSync(file).size, env };
}

/** A fresh node process, spawned without blocking: the loopback store answers in this process. */
function wallMs(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`${args.join(' ')} exited ${code}: ${stderr.slice(0, 400)}`));
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

if (process.argv[1] === __filename) {
  measureSecretsColdStart(Number(process.argv[2] ?? 20), process.argv.slice(3).length ? process.argv.slice(3) : undefined).then(
    (result) => process.stdout.write(JSON.stringify(result, null, 2) + '\n'),
    (err) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
