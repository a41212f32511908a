// npm run bench [-- --quick]: the performance budgets, each measured against a baseline in the
// same run (medians; ratios are the result on a shared, noisy machine). Writes bench/results.json.
import './quiet';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseCallback } from '../lib/parse-callback';
import { CALLBACK_TABLE } from '../tests/support/callback-table';
import { startDynalite, startFauxqs } from '../tests/support/servers';
import { loadBundled } from './bundled';
import { evaluate } from './budgets';
import { measureColdStart, type ColdStart } from './cold-start';
import { defaultDeployBaselineScript, sqsBaselineScript } from './cold-start-sdk';
import { measureSecretsColdStart } from './cold-start-secrets';
import { costPerMillion } from './cost';
import { peakRssMb } from './memory';
import { packageStage } from './package';
import { callbackJustUnder, largeWordsJob, largeWorkflow, seedSamples } from './samples';
import { formatReport } from './report';
import { measureDevServer } from './throughput';

const QUICK = process.argv.includes('--quick');
const ROUNDS = QUICK ? 5 : 15;
const COLD_RUNS = QUICK ? 6 : 25;
const LOAD_SECONDS = QUICK ? 2 : 8;
const ROUND_TRIP_ROUNDS = QUICK ? 5 : 25;
/** The delay model: every request to S3, SQS, DynamoDB or CI takes this much longer, about one in-region AWS call. */
const DELAY_MS = 20;

function step(message: string): void {
  process.stderr.write(`… ${message}\n`);
}

async function main(): Promise<void> {
  // tmpfs: the bench measures our code, not this machine's disk.
  const work = mkdtempSync('/dev/shm/ci-callback-bench-');
  const samples = [...seedSamples(), ...largeWordsJob(2000), ...largeWorkflow(500)];
  const watermark = samples.find((s) => s.name === 'task-watermark-xml')!;
  const workflow = samples.find((s) => s.name === 'workflow-xml')!;

  const { measureInProcess } = loadBundled<typeof import('./in-process')>('bench/in-process.ts');
  const { measureVerifiedPath } = loadBundled<typeof import('./verified-path')>('bench/verified-path.ts');
  const { measureRoundTrip } = loadBundled<typeof import('./round-trip')>('bench/round-trip.ts');
  step('1-2. parse + normalize, and the whole handler, in process');
  const inProcess = await measureInProcess(samples, { rounds: ROUNDS });
  step('verified path (CALLBACK_VERIFY=ci) against the local fake CI');
  const verified = await measureVerifiedPath(watermark, { rounds: ROUNDS });

  step('3. serverless package: file sink, sqs sink, default deploy');
  const packaged = await Promise.all([
    packageStage({ sinks: 'file', archiveBucket: 'none' }),
    packageStage({ sinks: 'sqs', archiveBucket: 'none' }),
    packageStage({}),
  ]);
  const [file, sqs, deployDefault] = packaged.map((p) => p.functions);
  const zipBytes = Object.fromEntries(
    [['file', file], ['sqs', sqs], ['default', deployDefault]].flatMap(([label, fns]) =>
      (fns as typeof file).map((fn) => [`${fn.name} (${label})`, fn.zipBytes]),
    ),
  );

  const fileEnv = { CALLBACK_SINKS: 'file', CALLBACK_FILE: join(work, 'cold', 'events.jsonl'), CALLBACK_ARCHIVE_DIR: join(work, 'cold', 'raw'), POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_METRICS_DISABLED: 'false' };
  const coldStart: Record<string, ColdStart> = {};
  step('3. cold start, file sink');
  coldStart['taskCallback, file sink'] = measureColdStart({ moduleFile: file[0].bundle, exportName: 'handler', event: watermark.event, env: fileEnv, runs: COLD_RUNS });
  coldStart['workflowCallback, file sink'] = measureColdStart({ moduleFile: file[1].bundle, exportName: 'handler', event: workflow.event, env: fileEnv, runs: COLD_RUNS });
  // This machine sets NODE_EXTRA_CA_CERTS, which makes every node start read a CA bundle
  // (~40 ms); Lambda does not. Without it the baseline is smaller and the same ms weigh more.
  const informational: Record<string, ColdStart> = {};
  if (process.env.NODE_EXTRA_CA_CERTS) {
    informational['taskCallback, file sink, NODE_EXTRA_CA_CERTS unset'] = measureColdStart({
      moduleFile: file[0].bundle,
      exportName: 'handler',
      event: watermark.event,
      env: { ...fileEnv, NODE_EXTRA_CA_CERTS: undefined },
      runs: COLD_RUNS,
    });
  }

  step('3. cold start, sqs sink and the default deploy (fauxqs and dynalite on 127.0.0.1)');
  const [fauxqs, dynalite] = await Promise.all([startFauxqs(), startDynalite()]);
  let roundTrip;
  try {
    const awsEnv = {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${fauxqs.port}`,
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${fauxqs.port}`,
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${dynalite.port}`,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    Object.assign(process.env, awsEnv);
    const { QueueUrl } = await new SQSClient({}).send(new CreateQueueCommand({ QueueName: 'bench-events' }));
    const sqsEnv = { ...fileEnv, ...awsEnv, CALLBACK_SINKS: 'sqs', SQS_QUEUE_URL: QueueUrl! };
    const sqsBaseline = sqsBaselineScript(QueueUrl!);
    coldStart['taskCallback, sqs sink (vs bundled SQS client alone)'] = measureColdStart({
      moduleFile: sqs[0].bundle,
      exportName: 'handler',
      event: watermark.event,
      env: sqsEnv,
      baseline: [sqsBaseline],
      runs: COLD_RUNS,
    });
    rmSync(dirname(sqsBaseline), { recursive: true, force: true });

    const target = { bucket: 'bench-cold-archive', table: 'bench-cold-events', queueUrl: '' };
    await new S3Client({}).send(new CreateBucketCommand({ Bucket: target.bucket }));
    target.queueUrl = (await new SQSClient({}).send(new CreateQueueCommand({ QueueName: 'bench-cold.fifo', Attributes: { FifoQueue: 'true' } }))).QueueUrl!;
    await new DynamoDBClient({}).send(new CreateTableCommand({ ...CALLBACK_TABLE, TableName: target.table }));
    // CALLBACK_ARCHIVE=always: the same three calls as the floor (the default, unforwarded, skips the PUT).
    const defaultEnv = { ...fileEnv, ...awsEnv, CALLBACK_SINKS: 'sqs,dynamodb', SQS_QUEUE_URL: target.queueUrl, DYNAMODB_TABLE: target.table, ARCHIVE_BUCKET: target.bucket, CALLBACK_ARCHIVE: 'always' };
    const defaultBaseline = defaultDeployBaselineScript(target);
    coldStart['taskCallback, default deploy: S3 archive, sqs, dynamodb (vs the three bundled SDK clients alone)'] = measureColdStart({
      moduleFile: deployDefault[0].bundle,
      exportName: 'handler',
      event: watermark.event,
      env: defaultEnv,
      baseline: [defaultBaseline],
      runs: COLD_RUNS,
    });
    rmSync(dirname(defaultBaseline), { recursive: true, force: true });

    step(`1. one round trip: the default deploy's adapters behind a ${DELAY_MS} ms delay proxy`);
    roundTrip = await measureRoundTrip(watermark, { delayMs: DELAY_MS, rounds: ROUND_TRIP_ROUNDS, fauxqsPort: fauxqs.port, dynalitePort: dynalite.port });
  } finally {
    await Promise.all([fauxqs.stop(), dynalite.stop()]);
  }

  // The secrets option (secrets=ssm:/…): its own stages, packaged with and without it, and a loopback SSM.
  const secretScenarios = QUICK ? ['default'] : ['log', 'sqs', 'default'];
  step(`3. cold start with the token from SSM Parameter Store (secrets=ssm:/…): ${secretScenarios.join(', ')}`);
  const secretsColdStart = await measureSecretsColdStart(COLD_RUNS, secretScenarios);

  step('memory: a 1 MiB callback through the packaged handler');
  const memorySizeMb = Number(/memorySize:\s*(\d+)/.exec(readFileSync(join(__dirname, '..', 'serverless.yml'), 'utf8'))?.[1]);
  const oneMiB = callbackJustUnder(1024 * 1024);
  mkdirSync(join(work, 'memory'), { recursive: true });
  const memory = { peakRssMb: peakRssMb(file[0].bundle, 'handler', oneMiB.event, { ...fileEnv, CALLBACK_FILE: join(work, 'memory', 'events.jsonl') }), memorySizeMb, bodyBytes: Buffer.byteLength(oneMiB.body) };

  step(`4. the dev server under load for ${LOAD_SECONDS} s`);
  const devServer = await measureDevServer({ body: watermark.body, contentType: 'application/xml', seconds: LOAD_SECONDS, dir: join(work, 'load') });

  const architecture = /architecture:\s*(\w+)/.exec(readFileSync(join(__dirname, '..', 'serverless.yml'), 'utf8'))?.[1] ?? 'x86_64';
  const eventBytes = Buffer.byteLength(JSON.stringify(parseCallback(watermark.body)[0]));
  const costSetup = { memorySizeMb, architecture, eventBytes };
  const cost = Object.fromEntries(
    roundTrip.rows.filter((r) => r.name.startsWith('1 job, CALLBACK_ARCHIVE=')).map((r) => [r.name, costPerMillion(r, costSetup)]),
  );
  const budgets = evaluate({ inProcess, coldStart, secretsColdStart, zipBytes, roundTrip, devServer, memory });
  const results = { when: new Date().toISOString(), quick: QUICK, node: process.version, inProcess, verified, coldStart, informational, secretsColdStart, zipBytes, memory, roundTrip, cost, devServer, budgets };
  // A quick run is a smoke test: it must not replace the figures of the last full run.
  const resultsFile = join(__dirname, QUICK ? 'results-quick.json' : 'results.json');
  writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
  console.log(formatReport(results));
  for (const path of [work, ...packaged.map((p) => p.dir)]) rmSync(path, { recursive: true, force: true });
  const failed = budgets.filter((b) => !b.pass).length;
  console.log(`\n${budgets.length - failed} budgets PASS, ${failed} FAIL; figures in bench/${QUICK ? 'results-quick' : 'results'}.json`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
