import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { loadEvent } from './support/fixtures';
import { createCallbackHandler } from '../lib/callback-handler';
import { loadConfig } from '../lib/config';
import { createDeps } from '../lib/receiver-deps';

const root = join(__dirname, '..');

/** What building the deps loads in a fresh process, for a given environment. */
function probe(env: Record<string, string>): Promise<{ sinks: string[]; archive: string; loaded: string[] }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CALLBACK_|SQS_|DYNAMODB_|DATABASE_|ARCHIVE_)/.test(k)));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['scripts/run.mjs', 'tests/support/load-probe.ts'], { cwd: root, env: { ...clean, AWS_REGION: 'us-east-1', ...env } }, (err, stdout) =>
      err ? reject(err) : resolve(JSON.parse(stdout)),
    );
  });
}

describe('the sink registry', () => {
  test('loads the SDK or driver of configured adapters only', async () => {
    // One at a time: each probe is a fresh Node process compiling the project.
    const local = await probe({ CALLBACK_SINKS: 'file,log' });
    const sqs = await probe({ CALLBACK_SINKS: 'sqs', SQS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/q' });
    const dynamodbAndPostgres = await probe({ CALLBACK_SINKS: 'dynamodb,postgres', DYNAMODB_TABLE: 't', DATABASE_URL: 'postgres://u@127.0.0.1:1/db' });
    const archived = await probe({ CALLBACK_SINKS: 'log', ARCHIVE_BUCKET: 'b' });
    expect(local).toEqual({ sinks: ['file', 'log'], archive: 'file', loaded: [] });
    expect(sqs).toEqual({ sinks: ['sqs'], archive: 'file', loaded: ['@aws-sdk/client-sqs'] });
    expect(dynamodbAndPostgres).toEqual({ sinks: ['dynamodb', 'postgres'], archive: 'file', loaded: ['@aws-sdk/client-dynamodb', 'pg'] });
    expect(archived).toEqual({ sinks: ['log'], archive: 's3', loaded: ['@aws-sdk/client-s3'] });
  }, 60_000);

  test.each([
    [{ CALLBACK_SINKS: 'sqs' }, 'SQS_QUEUE_URL'],
    [{ CALLBACK_SINKS: 'file,dynamodb' }, 'DYNAMODB_TABLE'],
    [{ CALLBACK_SINKS: 'postgres' }, 'DATABASE_URL'],
    [{ CALLBACK_SINKS: 'kafka' }, 'unknown sink "kafka"'],
  ])('%j without its setting answers 500 misconfigured naming %s', async (env, named) => {
    const handler = createCallbackHandler('taskCallback', () => createDeps(loadConfig(env)));
    const res = await handler(loadEvent('workflow-xml'));
    const { error } = JSON.parse(res.body ?? '');
    expect([res.statusCode, error.code]).toEqual([500, 'misconfigured']);
    expect(error.message).toContain(named);
  });
});

test('the S3 archive and the claim checks share the container\'s one S3 client', () => {
  const deps = createDeps(loadConfig({ CALLBACK_SINKS: 'sqs,dynamodb', SQS_QUEUE_URL: 'https://sqs.example/1/q', DYNAMODB_TABLE: 't', ARCHIVE_BUCKET: 'archive' }));
  const archiveClient = (deps.archive as unknown as { client: object }).client;
  const storeClients = deps.sinks.map((sink) => (sink as unknown as { claimChecks: { client: object } }).claimChecks.client);
  expect(archiveClient).toBeDefined();
  expect(storeClients).toHaveLength(2);
  for (const client of storeClients) expect(client).toBe(archiveClient);
});
