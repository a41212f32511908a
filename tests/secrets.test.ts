import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCallbackHandler } from '../lib/callback-handler';
import { loadConfig } from '../lib/config';
import { loadDeps } from '../lib/receiver-deps';
import { withSecrets } from '../lib/secrets';
import { sampleBody, urlEvent } from './support/fixtures';
import { useLocalAws } from './support/servers';
import { startSecretStore, type SecretStore } from './support/servers/secret-store';

let store: SecretStore;

beforeAll(async () => {
  store = await startSecretStore();
  useLocalAws({});
  process.env.AWS_ENDPOINT_URL_SSM = store.url;
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = store.url;
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_SSM;
  delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
  await store.stop();
});
beforeEach(() => {
  store.parameters.clear();
  store.secrets.clear();
  store.calls.length = 0;
  store.failWith(undefined);
});

const body = (res: { body?: string }) => JSON.parse(res.body ?? '');
const callback = (token: string) => urlEvent(sampleBody('task-watermark-xml'), { query: `token=${token}` });

/** The deployed handler's cold start (loadDeps) on this environment, writing to a temporary file. */
function receiver(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
  const file = join(dir, 'events.jsonl');
  const handler = createCallbackHandler('taskCallback', () =>
    loadDeps({ CALLBACK_SINKS: 'file', CALLBACK_FILE: file, CALLBACK_ARCHIVE_DIR: join(dir, 'raw'), ...env }),
  );
  const events = () => readFileSync(file, 'utf8').split('\n').filter(Boolean);
  return { handler, events };
}

describe('secrets from SSM Parameter Store', () => {
  test('the token is read once per container, decrypted, in one call for the four variables', async () => {
    store.parameters.set('/ci-receiver/test/CALLBACK_TOKEN', 'stored-token-0123456789');
    const { handler, events } = receiver({ CALLBACK_SECRETS: 'ssm:/ci-receiver/test' });
    expect((await handler(callback('stored-token-0123456789'))).statusCode).toBe(200);
    expect(body(await handler(callback('another-token'))).error.code).toBe('unauthorized');
    expect((await handler(callback('stored-token-0123456789'))).statusCode).toBe(200);
    // The same callback twice: the file sink stores its event once.
    expect(events()).toHaveLength(1);
    expect(store.calls).toEqual([
      {
        target: 'AmazonSSM.GetParameters',
        body: {
          Names: ['CALLBACK_TOKEN', 'TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'DATABASE_URL'].map((v) => `/ci-receiver/test/${v}`),
          WithDecryption: true,
        },
      },
    ]);
  });

  test('the Tencent key and DATABASE_URL reach the configuration as if they were environment variables', async () => {
    store.parameters.set('/r/TENCENTCLOUD_SECRET_ID', 'AKIDexample');
    store.parameters.set('/r/TENCENTCLOUD_SECRET_KEY', 'secret-key-from-ssm');
    store.parameters.set('/r/DATABASE_URL', 'postgres://receiver:pw@db.internal:5432/events');
    const config = loadConfig(
      await withSecrets({ CALLBACK_SECRETS: 'ssm:/r', CALLBACK_VERIFY: 'ci', CI_BUCKET: 'examplebucket-1250000000', CI_REGION: 'ap-chongqing' }),
    );
    expect(config.verify).toMatchObject({ secretId: 'AKIDexample', secretKey: 'secret-key-from-ssm' });
    expect(config.databaseUrl).toBe('postgres://receiver:pw@db.internal:5432/events');
  });

  test('a store answering 5xx gets 503 secrets_unavailable, and the next callback reads it again', async () => {
    store.parameters.set('/r/CALLBACK_TOKEN', 'stored-token-0123456789');
    const { handler } = receiver({ CALLBACK_SECRETS: 'ssm:/r' });
    store.failWith({ type: 'InternalServerError', status: 500 });
    const refused = await handler(callback('stored-token-0123456789'));
    expect([refused.statusCode, body(refused).error.code]).toEqual([503, 'secrets_unavailable']);
    store.failWith(undefined);
    expect((await handler(callback('stored-token-0123456789'))).statusCode).toBe(200);
  });

  test('callbacks arriving together at cold start read the store once', async () => {
    store.parameters.set('/r/CALLBACK_TOKEN', 'stored-token-0123456789');
    const { handler } = receiver({ CALLBACK_SECRETS: 'ssm:/r' });
    const answers = await Promise.all([1, 2, 3].map(() => handler(callback('stored-token-0123456789'))));
    expect(answers.map((res) => res.statusCode)).toEqual([200, 200, 200]);
    expect(store.calls).toHaveLength(1);
  });

  test.each([
    ['a grant that does not cover the parameters', { type: 'AccessDeniedException', status: 400 }, 'AccessDeniedException'],
  ])('%s fails closed as 500 misconfigured naming the error', async (_, error, named) => {
    store.failWith(error);
    const res = await receiver({ CALLBACK_SECRETS: 'ssm:/r' }).handler(callback('any'));
    expect([res.statusCode, body(res).error.code]).toEqual([500, 'misconfigured']);
    expect(body(res).error.message).toContain(named);
  });
});

describe('secrets from Secrets Manager', () => {
  test('one JSON secret holds the tokens (two during a rotation)', async () => {
    store.secrets.set('ci-receiver/test', JSON.stringify({ CALLBACK_TOKEN: 'old-token-0123456789ab,new-token-0123456789ab' }));
    const { handler } = receiver({ CALLBACK_SECRETS: 'secretsmanager:ci-receiver/test' });
    expect((await handler(callback('old-token-0123456789ab'))).statusCode).toBe(200);
    expect((await handler(callback('new-token-0123456789ab'))).statusCode).toBe(200);
    expect(store.calls.map((c) => c.target)).toEqual(['secretsmanager.GetSecretValue']);
  });

  test.each([
    ['a secret that does not exist', undefined, 'ResourceNotFoundException'],
    ['a secret that is not JSON', 'just-a-token', 'is not JSON'],
    ['a misspelt key', JSON.stringify({ CALLBACK_TOKENS: 't' }), 'unknown keys CALLBACK_TOKENS'],
    ['a value that is not text', JSON.stringify({ CALLBACK_TOKEN: 42 }), 'CALLBACK_TOKEN must be strings'],
  ])('%s fails closed as 500 misconfigured', async (_, value, message) => {
    if (value !== undefined) store.secrets.set('s', value);
    const res = await receiver({ CALLBACK_SECRETS: 'secretsmanager:s' }).handler(callback('t'));
    expect([res.statusCode, body(res).error.code]).toEqual([500, 'misconfigured']);
    expect(body(res).error.message).toContain(message);
  });
});

describe('what CALLBACK_SECRETS may not do', () => {
  test('a variable both in the environment and in the store is refused, naming it', async () => {
    store.parameters.set('/r/CALLBACK_TOKEN', 'stored-token-0123456789');
    await expect(withSecrets({ CALLBACK_SECRETS: 'ssm:/r', CALLBACK_TOKEN: 'plain-token' })).rejects.toMatchObject({
      status: 500,
      message: expect.stringContaining('CALLBACK_TOKEN set both in the environment and in SSM parameters under /r'),
    });
  });

  test('a store holding none of the variables is refused (a wrong path would otherwise look like no token)', async () => {
    await expect(withSecrets({ CALLBACK_SECRETS: 'ssm:/wrong/path' })).rejects.toMatchObject({ code: 'misconfigured' });
  });

  test.each(['ssm:relative/path', 'vault:/x', 'ssm:/trailing/', 'secretsmanager:'])('"%s" is not a store', async (value) => {
    await expect(withSecrets({ CALLBACK_SECRETS: value })).rejects.toMatchObject({ code: 'misconfigured' });
    expect(store.calls).toEqual([]);
  });

  test('without CALLBACK_SECRETS no store is asked', async () => {
    const { handler } = receiver({ CALLBACK_TOKEN: 'plain-token-0123456789' });
    expect((await handler(callback('plain-token-0123456789'))).statusCode).toBe(200);
    expect(store.calls).toEqual([]);
  });
});
