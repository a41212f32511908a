import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..');
const sinkFile = join(root, '.data', 'events.jsonl');
const lines = () => (existsSync(sinkFile) ? readFileSync(sinkFile, 'utf8').split('\n').filter(Boolean) : []);

/** The first command of the README, word for word but for `npm ci` (the test runs on an installed tree). */
function readmeQuickStart(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const command = block.split('\n').find((line) => line.startsWith('npm ci && '));
  if (!command) throw new Error('the README does not open with an `npm ci && …` command');
  return command.slice('npm ci && '.length);
}

test("the README's first command runs serverless invoke local and shows the event written to .data/events.jsonl", async () => {
  const command = readmeQuickStart();
  expect(command).toContain('npm run invoke:local -- -f taskCallback -p events/');
  // No AWS account: no credentials of any kind, and no instance metadata to ask.
  const env: NodeJS.ProcessEnv = { ...process.env, SLS_TELEMETRY_DISABLED: '1', AWS_EC2_METADATA_DISABLED: 'true', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_CONFIG_FILE: '/nonexistent' };
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', 'CALLBACK_FILE', 'CALLBACK_SINKS', 'CALLBACK_TOKEN']) delete env[key];
  const { stdout } = await promisify(execFile)('bash', ['-c', command], { cwd: root, env, timeout: 120_000 });
  expect(stdout).toContain('"statusCode": 200');
  // The file sink stores an event once: a second run of the command adds nothing new.
  const written = lines().map((l) => JSON.parse(l)).filter((e) => e.subject === 'j515a494af86111ecb8546d80f2baf56f');
  expect(written).toHaveLength(1);
  expect(written[0]).toMatchObject({ type: 'com.tencentcloud.ci.job.finished' });
  // `tail -n 1` printed the event just written, and the file is in the project root, not in the bundle's folder.
  expect(stdout.trim().split('\n').pop()).toBe(lines().at(-1));
  expect(existsSync(join(root, '.esbuild', '.build', '.data'))).toBe(false);
}, 180_000);
