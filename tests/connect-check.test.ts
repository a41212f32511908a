import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { checkRequests, checkUrl } from '../scripts/connect/check';
import { startDevServer, type RunningDevServer } from '../scripts/dev-server';
import { startFakeCi } from './support/fake-ci';
import { testReceiver } from './support/receiver';

const root = join(__dirname, '..');
const TOKEN = 'right-token-0123456789ab';

function connect(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CI_|TENCENTCLOUD_|CALLBACK_)/.test(k)));
  return new Promise((resolve) => {
    execFile(process.execPath, ['scripts/run.mjs', 'scripts/connect.ts', ...args], { cwd: root, env: clean }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The receiver as `npm run dev` serves it, requiring the token. */
async function devServer(): Promise<{ dev: RunningDevServer; received: () => number }> {
  const receiver = testReceiver({ CALLBACK_TOKEN: TOKEN });
  const dev = await startDevServer({ port: 0, routes: { '/': receiver.handler, '/taskCallback': receiver.handler } });
  servers.push(dev);
  return { dev, received: () => receiver.events().length };
}

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('npm run connect --check against the dev server', () => {
  test('with the wrong token both requests are answered 401 and the token is named as the cause; exit 1, no CI settings needed', async () => {
    const { dev, received } = await devServer();
    const { code, stdout } = await connect(['--url', `${dev.origin}/taskCallback?token=wrong`, '--check']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/FAIL console test request +401 .*: the token in the URL is wrong/);
    expect(stdout).toMatch(/FAIL job callback task-watermark-xml +401 .*: the token in the URL is wrong/);
    expect(stdout).toContain("check failed: CI's console would not accept");
    expect(stdout).not.toContain('wrong&');
    expect(received()).toBe(0);
  });

  test('with the right token the sample job callback is answered 200 and its events are delivered', async () => {
    const { dev, received } = await devServer();
    const { stdout } = await connect(['--url', `${dev.origin}/taskCallback?token=${TOKEN}`, '--check', '--format', 'json']);
    expect(stdout).toMatch(/ok {3}job callback task-watermark-json +200 /);
    expect(stdout).not.toContain(TOKEN);
    expect(received()).toBeGreaterThan(0);
  });

  test("with the right token CI's console test request is answered 200 too: the check passes, exit 0", async () => {
    const { dev } = await devServer();
    const { code, stdout } = await connect(['--url', `${dev.origin}/?token=${TOKEN}`, '--check']);
    expect(stdout).toMatch(/ok {3}console test request +200 /);
    expect(stdout).toContain('check passed');
    expect(code).toBe(0);
  });
});

describe('npm run connect --check against a receiver that verifies with CI (CALLBACK_VERIFY=ci)', () => {
  test('the sample job CI does not know is refused 403 unverified_callback: the URL and token work, the check passes', async () => {
    const ci = await startFakeCi();
    servers.push(ci);
    const receiver = testReceiver({ CALLBACK_TOKEN: TOKEN, ...ci.env() });
    const dev = await startDevServer({ port: 0, routes: { '/': receiver.handler } });
    servers.push(dev);
    const { code, stdout } = await connect(['--url', `${dev.origin}/?token=${TOKEN}`, '--check']);
    expect(stdout).toMatch(/ok {3}console test request +200 /);
    expect(stdout).toMatch(/ok {3}job callback task-watermark-xml +403 .*unverified_callback.*: verified with CI, which does not know this sample job/);
    expect([code, stdout]).toEqual([0, expect.stringContaining('check passed')]);
    expect(receiver.events()).toEqual([]);
  });
});

describe('the check on its own', () => {
  test('a URL that accepts the connection and never answers is reported unreachable after the timeout', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    servers.push({ close: () => new Promise((resolve) => (silent.closeAllConnections(), silent.close(() => resolve()))) });
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/?token=t`;
    const [answer] = await checkUrl(url, checkRequests(undefined).slice(0, 1), 300);
    expect(answer).toEqual({ name: 'console test request', ok: false, line: expect.stringMatching(/^no answer in 0.3 s: the URL is unreachable/) });
  });

  test('a refused connection is reported unreachable with its cause', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const [answer] = await checkUrl(`http://127.0.0.1:${port}/?token=secret`, checkRequests(undefined).slice(0, 1), 2000);
    expect(answer.ok).toBe(false);
    expect(answer.line).toMatch(/^unreachable \(ECONNREFUSED\): check the URL http:\/\/127\.0\.0\.1:\d+\/\?token=\*\*\*$/);
  });

  test("the console test request is Tencent's documented body and the job callback is a sample from events/", () => {
    const [consoleTest, job] = checkRequests('XML');
    expect(JSON.parse(consoleTest.body.toString('utf8'))).toMatchObject({ code: 0, message: 'Test request when setting callback url', data: { trace_id: 'test_trace_id' } });
    expect([job.name, job.contentType]).toEqual(['job callback task-watermark-xml', 'application/xml']);
    expect(job.body.toString('utf8')).toContain('<EventName>TaskFinish</EventName>');
  });
});
