import { matchingToken } from '../lib/auth';
import { sha256Hex } from '../lib/sha256';
import { loadEvent, sampleBody, urlEvent } from './support/fixtures';
import { captureOutput, jsonLines } from './support/output';
import { testReceiver } from './support/receiver';

const TOKEN = 'f3a9c1d07b5e4e2a9c8d6b4a2e0f1c3d5b7a9e1f3c5d7e9b';
const DEPLOYED = { AWS_LAMBDA_FUNCTION_NAME: 'ci-callback-receiver-dev-taskCallback' };
const good = sampleBody('task-watermark-xml');
const withToken = (token: string, options: Parameters<typeof urlEvent>[1] = {}) =>
  urlEvent(good, { ...options, query: new URLSearchParams({ token }).toString() });
const answer = (res: { statusCode?: number; body?: string }) => [res.statusCode, JSON.parse(res.body ?? '{}').error?.code];

describe('the URL token', () => {
  test('a configured token is enforced locally too: missing or wrong is 401, right is 200', async () => {
    const receiver = testReceiver({ CALLBACK_TOKEN: TOKEN });
    expect(answer(await receiver.handler(urlEvent(good)))).toEqual([401, 'unauthorized']);
    expect(answer(await receiver.handler(withToken('not-the-token')))).toEqual([401, 'unauthorized']);
    expect(answer(await receiver.handler(withToken(TOKEN.toUpperCase())))).toEqual([401, 'unauthorized']);
    expect(answer(await receiver.handler(withToken(TOKEN)))).toEqual([200, undefined]);
    expect(receiver.events()).toHaveLength(1);
  });

  test('a 401 comes before anything is archived, parsed or forwarded', async () => {
    const receiver = testReceiver({ CALLBACK_TOKEN: TOKEN });
    const broken = urlEvent('<Response><JobsDetail>', { query: 'token=wrong' });
    expect(answer(await receiver.handler(broken))).toEqual([401, 'unauthorized']);
    expect(answer(await receiver.handler(loadEvent('workflow-xml')))).toEqual([401, 'unauthorized']);
    expect(receiver.archived()).toEqual([]);
    expect(receiver.events()).toEqual([]);
  });

  test('several tokens are accepted at once, so a token can be rotated without losing callbacks', async () => {
    const during = testReceiver({ CALLBACK_TOKEN: ` old-token , ${TOKEN} ` });
    expect((await during.handler(withToken('old-token'))).statusCode).toBe(200);
    expect((await during.handler(withToken(TOKEN))).statusCode).toBe(200);
    expect(answer(await during.handler(withToken('old-token,' + TOKEN)))).toEqual([401, 'unauthorized']);
    const after = testReceiver({ CALLBACK_TOKEN: TOKEN });
    expect(answer(await after.handler(withToken('old-token')))).toEqual([401, 'unauthorized']);
  });

  test('the summary line tells which configured token a caller used, so a rotation can be finished', async () => {
    const receiver = testReceiver({ CALLBACK_TOKEN: `old-token,${TOKEN}` });
    const { lines } = await captureOutput(async () => {
      await receiver.handler(withToken(TOKEN));
      await receiver.handler(withToken('old-token'));
    });
    expect(jsonLines(lines).map((l) => [l.outcome, l.tokenIndex])).toEqual([
      ['accepted', 1],
      ['accepted', 0],
    ]);
    expect(lines.join('\n')).not.toMatch(/old-token/);
  });

  test('every configured token is compared in constant time, also after a match', () => {
    // One digest of the presented token, then one per configured token, whether it matched or not.
    const digest = jest.fn(sha256Hex);
    expect(matchingToken(TOKEN, [TOKEN, 'second', 'third'], digest)).toBe(0);
    expect(digest).toHaveBeenCalledTimes(4);
    digest.mockClear();
    expect(matchingToken('x', [TOKEN, 'second', 'third'], digest)).toBe(-1);
    expect(digest).toHaveBeenCalledTimes(4);
    expect(matchingToken('third', [TOKEN, 'second', 'third'])).toBe(2);
  });

  test.each([
    ['empty', ''],
    ['one byte', 'a'],
    ['1 MB', 'a'.repeat(1024 * 1024)],
    ['non-ASCII', '令牌🔑'],
    ['a prefix of the token', TOKEN.slice(0, -1)],
    ['the token and more', TOKEN + 'a'],
  ])('a presented token that is %s gets 401, never an error', async (_, token) => {
    const receiver = testReceiver({ CALLBACK_TOKEN: TOKEN });
    expect(answer(await receiver.handler(withToken(token)))).toEqual([401, 'unauthorized']);
  });

  test('attempts are logged with the source address, never the token; the archive leaves it out', async () => {
    const receiver = testReceiver({ CALLBACK_TOKEN: TOKEN });
    const wrong = 'guessed-0123456789abcdef';
    const { lines } = await captureOutput(async () => {
      await receiver.handler(withToken(wrong, { sourceIp: '198.51.100.23' }));
      await receiver.handler(urlEvent(good, { query: `token=${TOKEN}&tenant=a` }));
    });
    const logs = jsonLines(lines);
    expect(logs.find((l) => l.code === 'unauthorized')).toMatchObject({ level: 'WARN', sourceIp: '198.51.100.23', status: 401 });
    expect(logs.find((l) => l.outcome === 'accepted')).toMatchObject({ level: 'INFO', status: 200 });
    expect(lines.join('\n')).not.toContain(TOKEN);
    expect(lines.join('\n')).not.toContain(wrong);
    expect(receiver.archived().map((r) => r.query)).toEqual([{ tenant: 'a' }]);
  });
});

describe('failing closed', () => {
  test('deployed without a token, every request is refused with a configuration error in the log', async () => {
    const receiver = testReceiver(DEPLOYED);
    const { result, lines } = await captureOutput(() => receiver.handler(loadEvent('task-watermark-xml')));
    expect(answer(result)).toEqual([500, 'misconfigured']);
    expect(JSON.parse(result.body ?? '').error.message).toMatch(/CALLBACK_TOKEN.*CALLBACK_AUTH=none/);
    expect(jsonLines(lines).find((l) => l.code === 'misconfigured')).toMatchObject({ level: 'ERROR', status: 500 });
    expect(receiver.archived()).toEqual([]);
    expect(receiver.events()).toEqual([]);
  });

  test.each(['NONE', 'off', 'false', ''])('CALLBACK_AUTH=%s is not the opt-out: still refused', async (value) => {
    const receiver = testReceiver({ ...DEPLOYED, CALLBACK_AUTH: value });
    expect(answer(await receiver.handler(loadEvent('task-watermark-xml')))).toEqual([500, 'misconfigured']);
  });

  test('deployed with CALLBACK_AUTH=none, callbacks are accepted without a token', async () => {
    const receiver = testReceiver({ ...DEPLOYED, CALLBACK_AUTH: 'none' });
    expect((await receiver.handler(loadEvent('task-watermark-xml'))).statusCode).toBe(200);
  });

  test('CALLBACK_AUTH=none does not switch off a token that is configured', async () => {
    const receiver = testReceiver({ ...DEPLOYED, CALLBACK_AUTH: 'none', CALLBACK_TOKEN: TOKEN });
    expect(answer(await receiver.handler(loadEvent('task-watermark-xml')))).toEqual([401, 'unauthorized']);
    expect((await receiver.handler(withToken(TOKEN))).statusCode).toBe(200);
  });

  test('deployed with a token, the right token is accepted', async () => {
    const receiver = testReceiver({ ...DEPLOYED, CALLBACK_TOKEN: TOKEN });
    expect((await receiver.handler(withToken(TOKEN))).statusCode).toBe(200);
  });

  test('under serverless invoke local (IS_LOCAL=true) and outside Lambda, no token is required', async () => {
    expect((await testReceiver({ ...DEPLOYED, IS_LOCAL: 'true' }).handler(loadEvent('task-watermark-xml'))).statusCode).toBe(200);
    expect((await testReceiver().handler(loadEvent('task-watermark-xml'))).statusCode).toBe(200);
  });
});

describe('the source-address allowlist', () => {
  const CIDRS = '203.0.113.0/24, 2001:db8::/32';

  test.each(['203.0.113.10', '203.0.113.255', '::ffff:203.0.113.10', '2001:db8::5'])('%s is admitted', async (sourceIp) => {
    const receiver = testReceiver({ CALLBACK_ALLOWED_CIDRS: CIDRS });
    expect((await receiver.handler(urlEvent(good, { sourceIp }))).statusCode).toBe(200);
  });

  test.each(['198.51.100.1', '203.0.114.10', '::ffff:198.51.100.1', '2001:db9::5', '', 'unknown'])(
    '"%s" gets 403 forbidden_source and nothing is archived',
    async (sourceIp) => {
      const receiver = testReceiver({ CALLBACK_ALLOWED_CIDRS: CIDRS });
      expect(answer(await receiver.handler(urlEvent(good, { sourceIp })))).toEqual([403, 'forbidden_source']);
      expect(receiver.archived()).toEqual([]);
      expect(receiver.events()).toEqual([]);
    },
  );

  test('with a token as well, both must pass: the address first, then the token', async () => {
    const receiver = testReceiver({ CALLBACK_ALLOWED_CIDRS: CIDRS, CALLBACK_TOKEN: TOKEN });
    expect(answer(await receiver.handler(withToken(TOKEN, { sourceIp: '198.51.100.1' })))).toEqual([403, 'forbidden_source']);
    expect(answer(await receiver.handler(withToken('wrong', { sourceIp: '198.51.100.1' })))).toEqual([403, 'forbidden_source']);
    expect(answer(await receiver.handler(withToken('wrong', { sourceIp: '203.0.113.10' })))).toEqual([401, 'unauthorized']);
    expect((await receiver.handler(withToken(TOKEN, { sourceIp: '203.0.113.10' }))).statusCode).toBe(200);
  });

  test('an allowlist is no substitute for a token: deployed without one it still fails closed', async () => {
    const receiver = testReceiver({ ...DEPLOYED, CALLBACK_ALLOWED_CIDRS: CIDRS });
    expect(answer(await receiver.handler(urlEvent(good)))).toEqual([500, 'misconfigured']);
  });

  test('an unreadable CIDR fails closed with 500 misconfigured naming the entry', async () => {
    const receiver = testReceiver({ CALLBACK_ALLOWED_CIDRS: '203.0.113.0/24, 10.1.2.3/8' });
    const res = await receiver.handler(urlEvent(good));
    expect(answer(res)).toEqual([500, 'misconfigured']);
    expect(JSON.parse(res.body ?? '').error.message).toContain('"10.1.2.3/8"');
    expect(receiver.archived()).toEqual([]);
  });
});
