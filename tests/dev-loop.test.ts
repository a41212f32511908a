import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { parseCallback, type CallbackEvent } from '../lib';
import { goodSamples, loadEvent, sampleBody, sampleNames } from './support/fixtures';
import { LOCAL_AWS_ENV } from './support/servers';
import { startSecretStore } from './support/servers/secret-store';

const root = join(__dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'dev-loop-'));
const TOKEN = 'dev-loop-secret';

/** The process environment without the settings a developer's shell might add. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const key of ['CALLBACK_SINKS', 'CALLBACK_TOKEN', 'CALLBACK_AUTH', 'ARCHIVE_BUCKET', 'AWS_LAMBDA_FUNCTION_NAME', 'PORT']) {
    if (!(key in extra)) delete env[key];
  }
  return env;
}

function run(script: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ['scripts/run.mjs', script, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return Object.assign(child, { output: () => output });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function printed(child: ReturnType<typeof run>, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = child.output().match(pattern);
      if (match) {
        child.stdout?.off('data', check);
        resolve(match);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', () => reject(new Error(`exited before printing ${pattern}:\n${child.output()}`)));
    check();
  });
}

let server: ReturnType<typeof run>;
let port: string;

beforeAll(async () => {
  server = run('scripts/dev.ts', [], cleanEnv({
    PORT: '0',
    CALLBACK_TOKEN: TOKEN,
    CALLBACK_FILE: join(dir, 'events.jsonl'),
    CALLBACK_ARCHIVE_DIR: join(dir, 'raw'),
  }));
  // The banner's last line: everything above it has been printed.
  await printed(server, /Send the samples: .*\n/);
  [, port] = server.output().match(/taskCallback +http:\/\/127\.0\.0\.1:(\d+)\/taskCallback\/dev-loop-secret\n/) ?? [];
}, 60_000);

afterAll(() => {
  if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
});

const sinkEvents = (): CallbackEvent[] => {
  const file = join(dir, 'events.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
};
const archived = () => readdirSync(join(dir, 'raw'), { recursive: true, withFileTypes: true }).filter((d) => d.isFile());

test('the dev server prints both callback URLs with the token as their path', () => {
  expect(server.output()).toContain(`workflowCallback  http://127.0.0.1:${port}/workflowCallback/${TOKEN}`);
});

test('`trigger all` gets every expected response, and the file sink holds exactly the events of the good samples', async () => {
  const trigger = run('scripts/trigger.ts', ['all', '--token', TOKEN], cleanEnv({ PORT: port }));
  expect(await exited(trigger)).toBe(0);
  const samples = sampleNames();
  expect(trigger.output()).toContain(`${samples.length} callbacks sent: ${samples.length} as expected, 0 not`);

  // trigger sends the samples in name order, one at a time; the file sink stores an id once
  // (task-tts-xml repeats the job of task-tts-from-workflow-*): the first stays.
  const all = goodSamples().flatMap((name) => parseCallback(sampleBody(name), loadEvent(name).headers?.['content-type']));
  const expected = all.filter((event, i) => all.findIndex((e) => e.id === event.id) === i);
  expect(sinkEvents()).toEqual(expected);
  expect(archived()).toHaveLength(samples.length);
  for (const record of archived()) {
    expect(readFileSync(join(record.parentPath, record.name), 'utf8')).not.toContain(TOKEN);
  }
  const lines = server.output().match(/^\d\d:\d\d:\d\d POST \/(task|workflow)Callback \d{3} .*$/gm) ?? [];
  expect(lines).toHaveLength(samples.length);
  const consoleTests = samples.filter((name) => name.includes('console-test'));
  expect(lines.filter((line) => line.endsWith('200 moderation console test: nothing forwarded'))).toHaveLength(consoleTests.length);
});

test('the token is enforced, and trigger exits non-zero when a response is not the expected one', async () => {
  const before = sinkEvents().length;
  const trigger = run('scripts/trigger.ts', ['task-watermark-xml', '--token', 'not-the-token-42'], cleanEnv({ PORT: port }));
  expect(await exited(trigger)).toBe(1);
  expect(trigger.output()).toMatch(/FAIL task-watermark-xml +401 .*unauthorized.*expected 200/);
  expect(trigger.output()).not.toContain('not-the-token-42');
  expect(sinkEvents()).toHaveLength(before);
});

test('the console shows one line per request and no CloudWatch metric (EMF) lines', () => {
  expect(server.output()).not.toContain('"_aws"');
  expect(server.output()).not.toContain(TOKEN + ' ');
});

test('the first Ctrl-C stops the server within a few seconds, exit code 0, even with a request whose body never ends', async () => {
  const hanging = request({ host: '127.0.0.1', port, method: 'POST', path: '/taskCallback', headers: { 'transfer-encoding': 'chunked' } });
  hanging.on('error', () => undefined);
  hanging.write('<Response>');
  await new Promise((resolve) => setTimeout(resolve, 200));
  const started = Date.now();
  server.kill('SIGINT');
  expect(await exited(server)).toBe(0);
  expect(Date.now() - started).toBeLessThan(6_000);
  expect(server.output()).toContain('SIGINT: stopping');
  hanging.destroy();
}, 20_000);

test('a token kept in the secret store (CALLBACK_SECRETS) is the one the dev server requires and prints, and trigger sends', async () => {
  const store = await startSecretStore();
  store.parameters.set('/dev/CALLBACK_TOKEN', 'stored-dev-token-0123456789');
  const secretsEnv = {
    CALLBACK_SECRETS: 'ssm:/dev',
    ...LOCAL_AWS_ENV,
    AWS_ENDPOINT_URL_SSM: store.url,
  };
  const withSecrets = run('scripts/dev.ts', [], cleanEnv({
    ...secretsEnv,
    PORT: '0',
    CALLBACK_FILE: join(dir, 'secrets-events.jsonl'),
    CALLBACK_ARCHIVE_DIR: join(dir, 'secrets-raw'),
  }));
  try {
    await printed(withSecrets, /Send the samples: .*\n/);
    const [, boundPort] = withSecrets.output().match(/taskCallback +http:\/\/127\.0\.0\.1:(\d+)\/taskCallback\/stored-dev-token-0123456789\n/) ?? [];
    expect(boundPort).toMatch(/^\d+$/);
    expect(withSecrets.output()).toContain('auth: token required');
    const trigger = run('scripts/trigger.ts', ['task-watermark-xml'], cleanEnv({ ...secretsEnv, PORT: boundPort }));
    expect([await exited(trigger), trigger.output()]).toEqual([0, expect.stringMatching(/ok +task-watermark-xml +200 /)]);
  } finally {
    withSecrets.kill('SIGKILL');
    await exited(withSecrets);
    await store.stop();
  }
}, 60_000);
