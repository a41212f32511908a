import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..');
const sinkFile = join(root, '.data', 'events.jsonl');
const lines = () => (existsSync(sinkFile) ? readFileSync(sinkFile, 'utf8').split('\n').filter(Boolean) : []);

/** The README's first command, end to end: the real CLI, the real bundle, no AWS account. */
test('serverless invoke local on a sample writes its event to .data/events.jsonl in the project root', async () => {
  const before = lines().length;
  const env: NodeJS.ProcessEnv = { ...process.env, SLS_TELEMETRY_DISABLED: '1', AWS_EC2_METADATA_DISABLED: 'true', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_CONFIG_FILE: '/nonexistent' };
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', 'CALLBACK_FILE', 'CALLBACK_SINKS', 'CALLBACK_TOKEN']) delete env[key];
  const { stdout } = await promisify(execFile)(
    'npm',
    ['run', '--silent', 'invoke:local', '--', '-f', 'workflowCallback', '-p', 'events/workflow-xml.json'],
    { cwd: root, env, timeout: 120_000 },
  );
  expect(stdout).toContain('"statusCode": 200');
  const written = lines().slice(before).map((l) => JSON.parse(l));
  expect(written).toHaveLength(1);
  expect(written[0]).toMatchObject({ type: 'com.tencentcloud.ci.workflow.finished', subject: 'ie4d9187d35dc11eb9cec525400860000' });
  expect(existsSync(join(root, '.esbuild', '.build', '.data'))).toBe(false);
}, 180_000);
