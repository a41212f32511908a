import { createCallbackHandler } from '../lib/callback-handler';
import { loadConfig } from '../lib/config';
import { createDeps } from '../lib/receiver-deps';
import { sampleBody, urlEvent } from './support/fixtures';
import { captureOutput } from './support/output';
import { testReceiver } from './support/receiver';

const TOKEN = 'Xq3-_vN8kL2pR7tY9wZ0aB1c';
const DEPLOYED = { AWS_LAMBDA_FUNCTION_NAME: 'ci-callback-receiver-dev-taskCallback' };
const good = sampleBody('task-watermark-xml');
const answer = (res: { statusCode?: number; body?: string }) => [res.statusCode, JSON.parse(res.body ?? '{}').error?.code];

/** A Function URL request to `https://<url-id>.lambda-url.<region>.on.aws<path>`. */
const atPath = (path: string, query = '') => ({ ...urlEvent(good, { query }), rawPath: path });

describe('the token as the URL path (…on.aws/<token>)', () => {
  test('is accepted like ?token=, and a wrong or missing one is 401', async () => {
    const receiver = testReceiver({ ...DEPLOYED, CALLBACK_TOKEN: TOKEN });
    expect((await receiver.handler(atPath(`/${TOKEN}`))).statusCode).toBe(200);
    expect((await receiver.handler(atPath(`/${TOKEN}/`))).statusCode).toBe(200);
    expect((await receiver.handler(atPath('/', `token=${TOKEN}`))).statusCode).toBe(200);
    expect(answer(await receiver.handler(atPath(`/${TOKEN}x`)))).toEqual([401, 'unauthorized']);
    expect(answer(await receiver.handler(atPath(`/x/${TOKEN}`)))).toEqual([401, 'unauthorized']);
    expect(answer(await receiver.handler(atPath('/')))).toEqual([401, 'unauthorized']);
  });

  test('is never archived nor logged', async () => {
    const receiver = testReceiver({ CALLBACK_TOKEN: TOKEN });
    const { lines } = await captureOutput(() => receiver.handler(atPath(`/${TOKEN}`, 'tenant=a')));
    expect(receiver.events()).toHaveLength(1);
    const archived = receiver.archived();
    expect(archived).toHaveLength(1);
    expect(JSON.stringify(archived)).not.toContain(TOKEN);
    expect(archived[0].query).toEqual({ tenant: 'a' });
    expect(lines.join('\n')).not.toContain(TOKEN);
  });
});

describe('a CALLBACK_TOKEN that is not a list of tokens fails closed', () => {
  // The handler builds its configuration on the first request, as in Lambda.
  const handlerWith = (env: Record<string, string>) => createCallbackHandler('taskCallback', () => createDeps(loadConfig(env)));

  test.each([' , ', ',', '   ', 'a,,b', `${TOKEN},`, 'has space', 'slash/in/it', 'plus+sign'])(
    'CALLBACK_TOKEN=%j is 500 misconfigured, deployed and locally, and names the setting',
    async (value) => {
      const envs: Array<Record<string, string>> = [{ ...DEPLOYED, CALLBACK_TOKEN: value }, { CALLBACK_TOKEN: value, CALLBACK_SINKS: 'log' }];
      for (const env of envs) {
        const res = await handlerWith(env)(urlEvent(good, { query: 'token=a' }));
        expect(answer(res)).toEqual([500, 'misconfigured']);
        expect(JSON.parse(res.body ?? '').error.message).toMatch(/CALLBACK_TOKEN/);
      }
    },
  );

  test('an empty value is no token; spaces around each token are trimmed', () => {
    expect(loadConfig({ CALLBACK_TOKEN: '' }).tokens).toEqual([]);
    expect(loadConfig({}).tokens).toEqual([]);
    expect(loadConfig({ CALLBACK_TOKEN: ` old-token , ${TOKEN} ` }).tokens).toEqual(['old-token', TOKEN]);
  });
});
