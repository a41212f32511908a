import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { AWS_CLIENT_OPTIONS } from '../lib/aws-client-options';
import { BUDGET_MARGIN_MS, budgetMs, DEFAULT_BUDGET_MS, EXPIRED, startBudget } from '../lib/budget';
import { loadEvent, urlEvent } from './support/fixtures';
import { startFakeCiWithSamples } from './support/fake-ci';
import { testReceiver } from './support/receiver';
import { useLocalAws } from './support/servers';
import { startStallingServer, type StallingServer } from './support/servers/stalling';

const body = (res: { body?: string }) => JSON.parse(res.body ?? '');
const stalling: StallingServer[] = [];
let saved: NodeJS.ProcessEnv;

beforeAll(() => {
  useLocalAws({});
  saved = { ...process.env };
});
afterEach(async () => {
  process.env = { ...saved };
  await Promise.all(stalling.splice(0).map((s) => s.close()));
});

async function stall(mode: 'silent' | 'drip'): Promise<StallingServer> {
  const server = await startStallingServer(mode);
  stalling.push(server);
  return server;
}

/** A Lambda context with this much time left. */
const lambdaContext = (remainingMs: number): Partial<Context> => {
  const end = Date.now() + remainingMs;
  return { awsRequestId: 'deadline-test', getRemainingTimeInMillis: () => end - Date.now() };
};

/** Runs the handler with stdout captured; returns the answer, how long it took and the archived lines. */
async function timed(run: () => Promise<{ statusCode?: number; body?: string }>) {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
  const started = Date.now();
  try {
    const res = await run();
    const archived = lines
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{"archivedRequest"'))
      .map((l) => JSON.parse(l).archivedRequest.body as string);
    return { res, ms: Date.now() - started, archived };
  } finally {
    write.mockRestore();
  }
}

describe('every AWS call has deadlines that fire', () => {
  test.each(['silent', 'drip'] as const)('S3, SQS and DynamoDB calls to a %s endpoint fail with TimeoutError after requestTimeout', async (mode) => {
    const server = await stall(mode);
    const options = { ...AWS_CLIENT_OPTIONS, maxAttempts: 1, endpoint: server.endpoint };
    const calls = [
      () => new S3Client({ ...options, forcePathStyle: true }).send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' })),
      () => new SQSClient(options).send(new SendMessageBatchCommand({ QueueUrl: 'q', Entries: [{ Id: 'a', MessageBody: 'x' }] })),
      () => new DynamoDBClient(options).send(new PutItemCommand({ TableName: 't', Item: { id: { S: 'x' } } })),
    ];
    const started = Date.now();
    const outcomes = await Promise.allSettled(calls.map((call) => call()));
    const elapsed = Date.now() - started;
    expect(outcomes.map((o) => o.status === 'rejected' && (o.reason as Error).name)).toEqual(['TimeoutError', 'TimeoutError', 'TimeoutError']);
    expect(elapsed).toBeGreaterThanOrEqual(AWS_CLIENT_OPTIONS.requestHandler.requestTimeout - 50);
    expect(elapsed).toBeLessThan(AWS_CLIENT_OPTIONS.requestHandler.requestTimeout + 1500);
    expect(server.connections()).toBe(3);
  }, 15_000);
});

describe('the request budget', () => {
  test("is Lambda's remaining time less a margin, or the default without a context", () => {
    expect(budgetMs(lambdaContext(10_000))).toBeGreaterThan(10_000 - BUDGET_MARGIN_MS - 50);
    expect(budgetMs(lambdaContext(10_000))).toBeLessThanOrEqual(10_000 - BUDGET_MARGIN_MS);
    expect(budgetMs(undefined)).toBe(DEFAULT_BUDGET_MS);
    expect(budgetMs({ awsRequestId: 'dev-server' })).toBe(DEFAULT_BUDGET_MS);
    expect(budgetMs(lambdaContext(10))).toBeGreaterThan(0);
  });

  test('each budget runs out at its own time, and a closed one never does', async () => {
    const never = new Promise<never>(() => undefined);
    const started = Date.now();
    const late = startBudget(300);
    const early = startBudget(100);
    const closed = startBudget(50);
    closed.close();
    const settledAt = (race: Promise<unknown>) => race.then((value) => [value, Date.now() - started]);
    const [[earlyValue, earlyMs], [lateValue, lateMs], closedOutcome] = await Promise.all([
      settledAt(early.race(never)),
      settledAt(late.race(never)),
      Promise.race([closed.race(never), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 400))]),
    ]);
    expect([earlyValue, lateValue, closedOutcome]).toEqual([EXPIRED, EXPIRED, 'still waiting']);
    expect(earlyMs).toBeGreaterThanOrEqual(99);
    expect(earlyMs).toBeLessThan(250);
    expect(lateMs).toBeGreaterThanOrEqual(299);
    expect(await startBudget(1000).race(Promise.resolve('done'))).toBe('done');
  });

  // 1.5 s left: the budget ends 1 s in, well before "Lambda" would stop the call.
  const REMAINING_MS = 1500;

  test.each(['silent', 'drip'] as const)('an S3 archive that is %s: the events are stored, the log holds the body, answered before the timeout', async (mode) => {
    const s3 = await stall(mode);
    process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
    const receiver = testReceiver({ ARCHIVE_BUCKET: 'archive', CALLBACK_ARCHIVE: 'always' });
    const event = loadEvent('task-tts-xml');
    const { res, ms, archived } = await timed(() => receiver.handler(event, lambdaContext(REMAINING_MS)));
    expect(res.statusCode).toBe(200);
    expect(receiver.events()).toHaveLength(1);
    expect(archived).toEqual([event.body]);
    expect(ms).toBeLessThan(REMAINING_MS);
    expect(s3.connections()).toBe(1);
  });

  test.each(['silent', 'drip'] as const)('a refused body whose S3 archive is %s: 503, and the log holds the body before the timeout', async (mode) => {
    const s3 = await stall(mode);
    process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
    const receiver = testReceiver({ ARCHIVE_BUCKET: 'archive' });
    const { res, ms, archived } = await timed(() => receiver.handler(urlEvent('<Response>'), lambdaContext(REMAINING_MS)));
    expect([res.statusCode, body(res).error.code]).toEqual([503, 'archive_failed']);
    expect(archived).toEqual(['<Response>']);
    expect(ms).toBeLessThan(REMAINING_MS);
    expect(s3.connections()).toBe(1);
  });

  test.each([
    ['SQS', 'silent', { CALLBACK_SINKS: 'sqs', SQS_QUEUE_URL: 'http://queue/q' }, 'AWS_ENDPOINT_URL_SQS'],
    ['SQS', 'drip', { CALLBACK_SINKS: 'sqs', SQS_QUEUE_URL: 'http://queue/q' }, 'AWS_ENDPOINT_URL_SQS'],
    ['DynamoDB', 'silent', { CALLBACK_SINKS: 'dynamodb', DYNAMODB_TABLE: 't' }, 'AWS_ENDPOINT_URL_DYNAMODB'],
    ['DynamoDB', 'drip', { CALLBACK_SINKS: 'dynamodb', DYNAMODB_TABLE: 't' }, 'AWS_ENDPOINT_URL_DYNAMODB'],
  ] as const)('a %s sink that is %s: 503 forward_failed, and the log holds the body before the timeout', async (_name, mode, env, variable) => {
    const sink = await stall(mode);
    process.env[variable] = sink.endpoint;
    for (const policy of ['always', 'unforwarded']) {
      const receiver = testReceiver({ ...env, CALLBACK_ARCHIVE: policy });
      const event = loadEvent('task-tts-xml');
      const { res, ms, archived } = await timed(() => receiver.handler(event, lambdaContext(REMAINING_MS)));
      expect([res.statusCode, body(res).error.code]).toEqual([503, 'forward_failed']);
      // `always` archived it to the directory as well; `unforwarded` counts on the log.
      expect(archived).toEqual([event.body]);
      expect(receiver.archived()).toHaveLength(policy === 'always' ? 1 : 0);
      expect(ms).toBeLessThan(REMAINING_MS);
    }
    expect(sink.connections()).toBeGreaterThanOrEqual(2);
  });

  test('a CI that never answers verification: 503, and the log holds the body before the timeout', async () => {
    const ci = await startFakeCiWithSamples();
    try {
      ci.fail('hang');
      const receiver = testReceiver({ ...ci.env(), CI_VERIFY_TIMEOUT_MS: '60000', CALLBACK_ARCHIVE: 'unforwarded' });
      const event = loadEvent('task-tts-xml');
      const { res, ms, archived } = await timed(() => receiver.handler(event, lambdaContext(REMAINING_MS)));
      expect(res.statusCode).toBe(503);
      expect(archived).toEqual([event.body]);
      expect(receiver.events()).toEqual([]);
      expect(ms).toBeLessThan(REMAINING_MS);
      expect(ci.requests.length).toBeGreaterThan(0);
    } finally {
      await ci.close();
    }
  });
});
