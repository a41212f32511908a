import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { AWS_CLIENT_OPTIONS } from '../lib/aws-client-options';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { toArchivedRequest } from '../lib/archive/archive';
import { createCallbackHandler } from '../lib/callback-handler';
import { loadConfig } from '../lib/config';
import { logger } from '../lib/observability/logger';
import { deliver, eventsFromRequest } from '../lib/process-callback';
import { createDeps } from '../lib/receiver-deps';
import { DynamoDbSink } from '../lib/sinks/dynamodb-sink';
import { readRequest } from '../lib/request';
import { CALLBACK_TABLE } from '../tests/support/callback-table';
import { startFakeCiWithSamples } from '../tests/support/fake-ci';
import { startDelayProxies, type DelayProxies } from './delay-proxy';
import { median } from './measure';
import type { BenchSample } from './samples';

/** One way of handling a callback, timed against the delay model. */
export interface RoundTripRow {
  name: string;
  /** Median wall time of one callback, ms. */
  ms: number;
  /** `ms` in units of the delay D: the budgets' unit. */
  perD: number;
  /** Calls per callback that reached each service (medians of the rounds). */
  calls: { s3: number; sqs: number; dynamodb: number; ci: number };
  /** Bytes written to the function log per callback (summary, metrics, archived line): CloudWatch Logs ingestion. */
  logBytes: number;
  /**
   * CPU time of this process per callback (user + system, ms): the work a callback costs besides
   * waiting, mostly the AWS SDK building, signing and reading each request. Lambda gives a 256 MB
   * function about a seventh of a vCPU, so there it takes several times as long.
   */
  cpuMs: number;
}

export interface RoundTrip {
  delayMs: number;
  /**
   * One round trip as this machine delivers it: bare SDK clients sending what a forwarded
   * one-job callback needs (a SendMessageBatch and a PutItem, at once) through the same proxies,
   * measured in the same rounds. The emulators' own time (5–15 ms here under load) adds to D.
   */
  roundTripMs: number;
  rows: RoundTripRow[];
}

export const FLOOR = 'floor: bare SDK, SendMessageBatch and PutItem at once';
export const FLOOR_50 = 'floor, 50 jobs: bare SDK, 5 SendMessageBatch and 50 PutItem at once';

/** The DynamoDB sink's concurrency before the bench measured 50 jobs: the A/B line's "before". */
const PUTS_BEFORE = 16;

type Variant = { name: string; run: (event: APIGatewayProxyEventV2) => Promise<unknown>; event: (i: number) => APIGatewayProxyEventV2 };

/**
 * The default deploy's adapters (S3 archive, `sqs` on a FIFO queue, `dynamodb`) behind proxies
 * that add `delayMs` to every request, the handler in this process with logs at INFO and metrics
 * on, as deployed. The variants run in turn within each round (interleaved, so that the noise of
 * a shared machine falls on all of them alike); each callback carries new job ids.
 */
export async function measureRoundTrip(
  job: BenchSample,
  options: { delayMs: number; rounds: number; fauxqsPort: number; dynalitePort: number },
): Promise<RoundTrip> {
  const ci = await startFakeCiWithSamples();
  let proxies: DelayProxies | undefined;
  const saved = { ...process.env };
  try {
    proxies = await startDelayProxies([options.fauxqsPort, options.fauxqsPort, options.dynalitePort, Number(new URL(ci.endpoint).port)], options.delayMs);
    const [s3Port, sqsPort, dynamoPort, ciPort] = proxies.ports;
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${s3Port}`,
      AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${sqsPort}`,
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${dynamoPort}`,
    });
    const bucket = 'bench-archive';
    await new S3Client({ forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: bucket }));
    const { QueueUrl } = await new SQSClient({}).send(
      new CreateQueueCommand({ QueueName: 'bench-events.fifo', Attributes: { FifoQueue: 'true' } }),
    );
    await new DynamoDBClient({}).send(new CreateTableCommand({ ...CALLBACK_TABLE, TableName: 'bench-events' }));
    const deployEnv = { CALLBACK_SINKS: 'sqs,dynamodb', SQS_QUEUE_URL: QueueUrl!, DYNAMODB_TABLE: 'bench-events', ARCHIVE_BUCKET: bucket };
    const handlerWith = (env: Record<string, string>) => {
      const deps = createDeps(loadConfig(env));
      return { deps, handler: createCallbackHandler('bench', () => deps) };
    };
    const always = handlerWith({ ...deployEnv, CALLBACK_ARCHIVE: 'always' });
    const unforwarded = handlerWith({ ...deployEnv, CALLBACK_ARCHIVE: 'unforwarded' });
    const verified = handlerWith({ ...deployEnv, ...ci.env(), CI_ENDPOINT: `http://127.0.0.1:${ciPort}` });
    // A/B: the default deploy with the DynamoDB sink's puts 16 at a time, as merged from the sinks branch.
    const puts16 = handlerWith({ ...deployEnv, CALLBACK_ARCHIVE: 'unforwarded' });
    puts16.deps.sinks = puts16.deps.sinks.map((sink) =>
      sink.name === 'dynamodb' ? new DynamoDbSink(new DynamoDBClient(AWS_CLIENT_OPTIONS), 'bench-events', null, PUTS_BEFORE) : sink,
    );
    // The pipeline before this change: the archive write, then parse, then the sinks.
    const sequential = async (event: APIGatewayProxyEventV2) => {
      const request = readRequest(event);
      await always.deps.archive.put(toArchivedRequest(request, 'bench'));
      await deliver(eventsFromRequest(request, always.deps.config.maxBodyBytes).events, always.deps);
    };
    const sqsBare = new SQSClient({ ...AWS_CLIENT_OPTIONS, useQueueUrlAsEndpoint: false });
    const dynamoBare = new DynamoDBClient(AWS_CLIENT_OPTIONS);
    // What the sinks must send at the least, every call at once: the best this machine allows.
    const floor = async (event: APIGatewayProxyEventV2) => {
      const events = eventsFromRequest(readRequest(event), always.deps.config.maxBodyBytes).events;
      const entries = events.map((e) => ({ Id: e.id, MessageBody: JSON.stringify(e), MessageGroupId: e.subject, MessageDeduplicationId: e.id }));
      const batches = Array.from({ length: Math.ceil(entries.length / 10) }, (_, b) => entries.slice(b * 10, b * 10 + 10));
      await Promise.all([
        ...batches.map((Entries) => sqsBare.send(new SendMessageBatchCommand({ QueueUrl, Entries }))),
        ...entries.map((m) => dynamoBare.send(new PutItemCommand({ TableName: 'bench-events', Item: { id: { S: `${m.Id}-floor` }, event: { S: m.MessageBody } } }))),
      ]);
    };
    const oneJob = (i: number) => withJobIds(job.event, job.body, 1, i);
    const fiftyJobs = (i: number) => withJobIds(job.event, job.body, 50, i);
    const variants: Variant[] = [
      { name: FLOOR, run: floor, event: oneJob },
      { name: '1 job, CALLBACK_ARCHIVE=unforwarded', run: unforwarded.handler, event: oneJob },
      { name: '1 job, CALLBACK_ARCHIVE=always (archive alongside)', run: always.handler, event: oneJob },
      { name: '1 job, archive then sinks (before this change)', run: sequential, event: oneJob },
      { name: '1 job, CALLBACK_VERIFY=ci, CALLBACK_ARCHIVE=unforwarded', run: verified.handler, event: () => job.event },
      { name: FLOOR_50, run: floor, event: fiftyJobs },
      { name: '50 jobs, CALLBACK_ARCHIVE=unforwarded', run: unforwarded.handler, event: fiftyJobs },
      { name: '50 jobs, CALLBACK_ARCHIVE=always', run: always.handler, event: fiftyJobs },
      { name: `50 jobs, CALLBACK_ARCHIVE=unforwarded, DynamoDB puts ${PUTS_BEFORE} at a time (before)`, run: puts16.handler, event: fiftyJobs },
    ];
    const samples = new Map(variants.map((v) => [v.name, { ms: [] as number[], cpuMs: [] as number[], calls: [] as RoundTripRow['calls'][], logBytes: [] as number[] }]));
    logger.setLogLevel('INFO');
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    let n = 0;
    const warmup = 3;
    for (let round = 0; round < warmup + options.rounds; round++) {
      for (const variant of variants) {
        const before = await proxies.counts();
        const event = variant.event(n++);
        let logBytes = 0;
        const write = process.stdout.write;
        process.stdout.write = ((chunk: string | Uint8Array) => ((logBytes += Buffer.byteLength(chunk)), true)) as typeof write;
        const cpu = process.cpuUsage();
        const start = process.hrtime.bigint();
        try {
          const res = (await variant.run(event)) as { statusCode?: number } | undefined;
          if (res && res.statusCode !== 200) throw new Error(`${variant.name}: ${JSON.stringify(res)}`);
        } finally {
          process.stdout.write = write;
        }
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        const used = process.cpuUsage(cpu);
        if (round < warmup) continue;
        const after = await proxies.counts();
        const [s3, sqs, dynamodb, ciCalls] = after.map((count, i) => count - before[i]);
        const sample = samples.get(variant.name)!;
        sample.ms.push(ms);
        sample.cpuMs.push((used.user + used.system) / 1000);
        sample.calls.push({ s3, sqs, dynamodb, ci: ciCalls });
        sample.logBytes.push(logBytes);
      }
    }
    const rows = variants.map(({ name }) => {
      const s = samples.get(name)!;
      const ms = median(s.ms);
      const calls = { s3: median(s.calls.map((c) => c.s3)), sqs: median(s.calls.map((c) => c.sqs)), dynamodb: median(s.calls.map((c) => c.dynamodb)), ci: median(s.calls.map((c) => c.ci)) };
      return { name, ms, perD: ms / options.delayMs, calls, logBytes: median(s.logBytes), cpuMs: median(s.cpuMs) };
    });
    const roundTripMs = rows.find((r) => r.name === FLOOR)!.ms;
    return { delayMs: options.delayMs, roundTripMs, rows };
  } finally {
    logger.setLogLevel('SILENT');
    process.env = saved;
    await proxies?.close();
    await ci.close();
  }
}

/** The sample with `jobs` JobsDetail, each with its own JobId: a new callback each time. */
function withJobIds(template: APIGatewayProxyEventV2, body: string, jobs: number, n: number): APIGatewayProxyEventV2 {
  const match = /<JobsDetail>[\s\S]*<\/JobsDetail>/.exec(body);
  if (!match) throw new Error('the round-trip sample needs an XML JobsDetail');
  const details = Array.from({ length: jobs }, (_, j) => match[0].replace(/<JobId>([^<]*)<\/JobId>/, `<JobId>$1r${n}j${j}</JobId>`));
  return { ...template, body: body.replace(match[0], details.join('')), isBase64Encoded: false };
}
