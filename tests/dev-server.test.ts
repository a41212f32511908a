import { request } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { CallbackHandler } from '../lib/callback-handler';
import { route, startDevServer, toFunctionUrlEvent, type RunningDevServer } from '../scripts/dev-server';
import { loadEvent } from './support/fixtures';
import { testReceiver } from './support/receiver';

/** A dev server whose one route records the events it is given and answers 200. */
async function recordingServer(maxBodyBytes?: number, limits: { bodyTimeoutMs?: number; drainMs?: number } = {}) {
  const received: APIGatewayProxyEventV2[] = [];
  const record: CallbackHandler = async (event) => {
    received.push(event);
    return { statusCode: 200, headers: { 'content-type': 'application/json', 'x-seen': 'yes' }, body: '{"ok":true}' };
  };
  const dev = await startDevServer({ port: 0, maxBodyBytes, ...limits, routes: { '/taskCallback': record } });
  servers.push(dev);
  return { dev, received };
}

const servers: RunningDevServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('the Function URL event the dev server builds', () => {
  test('carries method, path, query, lower-case headers, cookies, source address and a request id', () => {
    const event = toFunctionUrlEvent(
      {
        method: 'POST',
        url: '/taskCallback?token=a%2Bb&tag=x&tag=y',
        httpVersion: '1.1',
        headers: { host: '127.0.0.1:3000', 'content-type': 'application/xml', 'x-two': ['a', 'b'], cookie: ['c=1; d=2'] },
        remoteAddress: '::ffff:127.0.0.1',
        body: Buffer.from('<a/>'),
      },
      new Date('2022-06-30T10:42:55Z'),
      'req-1',
    );
    expect(event).toMatchObject({
      version: '2.0',
      rawPath: '/taskCallback',
      rawQueryString: 'token=a%2Bb&tag=x&tag=y',
      queryStringParameters: { token: 'a+b', tag: 'x,y' },
      headers: { host: '127.0.0.1:3000', 'content-type': 'application/xml', 'x-two': 'a,b' },
      cookies: ['c=1', 'd=2'],
      requestContext: {
        http: { method: 'POST', path: '/taskCallback', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
        requestId: 'req-1',
        time: '30/Jun/2022:10:42:55 +0000',
        timeEpoch: Date.parse('2022-06-30T10:42:55Z'),
      },
      body: '<a/>',
      isBase64Encoded: false,
    });
    expect(event.headers.cookie).toBeUndefined();
  });

  test('a body that is not UTF-8, or not of a text type, is base64 encoded byte for byte', () => {
    const base = { method: 'POST', url: '/', httpVersion: '1.1', remoteAddress: '127.0.0.1' };
    const latin1 = Buffer.from('<a>caf\xe9</a>', 'latin1');
    const notUtf8 = toFunctionUrlEvent({ ...base, headers: { 'content-type': 'application/xml' }, body: latin1 });
    expect(notUtf8.isBase64Encoded).toBe(true);
    expect(Buffer.from(notUtf8.body ?? '', 'base64')).toEqual(latin1);
    const binary = toFunctionUrlEvent({ ...base, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from('<a/>') });
    expect([binary.isBase64Encoded, binary.body]).toEqual([true, Buffer.from('<a/>').toString('base64')]);
    const empty = toFunctionUrlEvent({ ...base, url: '/?', headers: {}, body: Buffer.alloc(0) });
    expect([empty.body, empty.isBase64Encoded, empty.queryStringParameters]).toEqual([undefined, false, undefined]);
  });
});

describe('the dev server', () => {
  test('hands the exact request bytes and the socket address to the handler, and relays its response', async () => {
    const { dev, received } = await recordingServer();
    const bytes = Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e]);
    const res = await fetch(`${dev.origin}/taskCallback?token=t`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: bytes });
    expect([res.status, res.headers.get('x-seen'), await res.text()]).toEqual([200, 'yes', '{"ok":true}']);
    expect(received).toHaveLength(1);
    const event = received[0];
    expect(Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8')).toEqual(bytes);
    expect(event.requestContext.http.sourceIp).toBe('127.0.0.1');
    expect(event.queryStringParameters).toEqual({ token: 't' });
  });

  test('an unknown path gets 404 and reaches no handler', async () => {
    const { dev, received } = await recordingServer();
    const res = await fetch(`${dev.origin}/elsewhere`, { method: 'POST', body: '<a/>' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect(received).toEqual([]);
  });

  test('a declared body over the limit gets 413 and reaches no handler', async () => {
    const { dev, received } = await recordingServer(100);
    const res = await fetch(`${dev.origin}/taskCallback`, { method: 'POST', body: 'x'.repeat(101) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect(received).toEqual([]);
  });

  test('a streamed body gets 413 once it passes the limit, and the connection closes before the sender finishes', async () => {
    const { dev, received } = await recordingServer(100);
    // The request is never ended: only a server that stops reading lets this settle.
    const outcome = await neverEndingBody(dev.origin, '/taskCallback', 'x'.repeat(150)).settled;
    expect(outcome).toEqual({ status: 413, closed: true });
    expect(received).toEqual([]);
  });

  test('serves the real handler: a sample posted over HTTP lands in the file sink', async () => {
    const receiver = testReceiver();
    const dev = await startDevServer({ port: 0, routes: { '/taskCallback': receiver.handler } });
    servers.push(dev);
    const sample = loadEvent('task-watermark-xml');
    const res = await fetch(`${dev.origin}/taskCallback`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: sample.body });
    expect(res.status).toBe(200);
    expect(receiver.events().map((e) => e.subject)).toEqual(['j515a494af86111ecb8546d80f2baf56f']);
  });
});

/** A POST whose body is started (`firstChunk`) and never finished; resolves with the status and whether the server closed it. */
function neverEndingBody(origin: string, path = '/taskCallback', firstChunk = '<Response>'): { settled: Promise<{ status?: number; closed: boolean }>; abort: () => void } {
  const req = request({ host: '127.0.0.1', port: new URL(origin).port, method: 'POST', path, headers: { 'transfer-encoding': 'chunked' } });
  const settled = new Promise<{ status?: number; closed: boolean }>((resolve) => {
    let status: number | undefined;
    req.on('response', (res) => {
      status = res.statusCode;
      res.resume();
    });
    req.on('close', () => resolve({ status, closed: true }));
    req.on('error', () => undefined);
  });
  req.write(firstChunk);
  return { settled, abort: () => req.destroy() };
}

describe('requests that would hold the dev server', () => {
  test('a body that never ends gets 408 after the body timeout, and reaches no handler', async () => {
    const { dev, received } = await recordingServer(undefined, { bodyTimeoutMs: 300 });
    const started = Date.now();
    expect(await neverEndingBody(dev.origin).settled).toEqual({ status: 408, closed: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(received).toEqual([]);
  });

  test('close() lets a request in flight finish, and cuts one that would not within the drain time', async () => {
    const received: string[] = [];
    const slow: CallbackHandler = async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      received.push(event.body ?? '');
      return { statusCode: 200, body: 'done' };
    };
    const dev = await startDevServer({ port: 0, drainMs: 1_000, routes: { '/taskCallback': slow } });
    const inFlight = fetch(`${dev.origin}/taskCallback`, { method: 'POST', body: '<a/>' });
    const hanging = neverEndingBody(dev.origin);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await dev.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    const res = await inFlight;
    expect([res.status, await res.text()]).toEqual([200, 'done']);
    expect((await hanging.settled).closed).toBe(true);
    expect(received).toEqual(['<a/>']);
  });
});

describe('routes, with the token as the path', () => {
  const task: CallbackHandler = async () => ({ statusCode: 200 });
  const workflow: CallbackHandler = async () => ({ statusCode: 200 });
  const routes = { '/': task, '/taskCallback': task, '/workflowCallback': workflow };

  test.each([
    ['/workflowCallback/tok-1', '/workflowCallback', '/tok-1'],
    ['/workflowCallback?token=tok-1', '/workflowCallback', '/?token=tok-1'],
    ['/taskCallback', '/taskCallback', '/'],
    ['/tok-1', '/', '/tok-1'],
  ])('%s reaches %s as the Function URL request %s', (url, name, seen) => {
    expect(route(url, routes)).toMatchObject({ route: name, url: seen });
  });

  test('the real handler accepts the token as the path of the dev server URL, and refuses a wrong one', async () => {
    const receiver = testReceiver({ CALLBACK_TOKEN: 'path-token-1' });
    const lines: string[] = [];
    const dev = await startDevServer({ port: 0, routes: { '/taskCallback': receiver.handler }, onResponse: (r) => lines.push(`${r.path} ${r.status}`) });
    servers.push(dev);
    const body = loadEvent('task-watermark-xml').body;
    const post = (path: string) => fetch(`${dev.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body });
    expect((await post('/taskCallback/path-token-1')).status).toBe(200);
    expect((await post('/taskCallback/wrong-token')).status).toBe(401);
    // The console line names the route, never the token.
    expect(lines).toEqual(['/taskCallback 200', '/taskCallback 401']);
  });
});
