import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { invokeLocal, offlineEnv, projectCopy } from './support/serverless-cli';

const root = join(__dirname, '..');
const eventsOf = (dir: string) => {
  const file = join(dir, '.data', 'events.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
};
/** The developer's own sink file, which no test may write to. */
const developerData = () => {
  const file = join(root, '.data', 'events.jsonl');
  return existsSync(file) ? statSync(file).size : -1;
};

/** The first command of the README, word for word but for `npm ci` (the test runs on an installed tree). */
function readmeQuickStart(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const command = block.split('\n').find((line) => line.startsWith('npm ci && '));
  if (!command) throw new Error('the README does not open with an `npm ci && …` command');
  return command.slice('npm ci && '.length);
}

// Each test runs the CLI in its own copy of the project: the developer's .data/ stays untouched.
let dir: string;
let developerDataBefore: number;
beforeEach(() => {
  dir = projectCopy('invoke-local-');
  developerDataBefore = developerData();
});
afterEach(() => {
  expect(developerData()).toBe(developerDataBefore);
  rmSync(dir, { recursive: true, force: true });
});

/** No AWS account, and nothing the test setup sets for the in-process tests. */
function userEnv(): NodeJS.ProcessEnv {
  const env = offlineEnv();
  for (const key of ['CALLBACK_FILE', 'CALLBACK_SINKS', 'CALLBACK_TOKEN', 'CALLBACK_ARCHIVE_DIR', 'POWERTOOLS_METRICS_DISABLED', 'POWERTOOLS_LOG_LEVEL', 'LOG_LEVEL']) delete env[key];
  return env;
}

test("the README's first command runs serverless invoke local and shows the event written to .data/events.jsonl", async () => {
  const command = readmeQuickStart();
  expect(command).toContain('npm run invoke:local -- -f taskCallback -p events/');
  const { stdout } = await promisify(execFile)('bash', ['-c', command], { cwd: dir, env: userEnv(), timeout: 120_000 });
  expect(stdout).toContain('"statusCode": 200');
  const written = eventsOf(dir);
  expect(written).toHaveLength(1);
  expect(written[0]).toMatchObject({ type: 'com.tencentcloud.ci.job.finished' });
  // `tail -n 1` printed the event just written, and the file is in the project root, not in the bundle's folder.
  expect(stdout.trim().split('\n').pop()).toBe(JSON.stringify(written[0]));
  expect(existsSync(join(dir, '.esbuild', '.build', '.data'))).toBe(false);
}, 180_000);

test.each([
  ['taskCallback', 'task-tts-xml', 'com.tencentcloud.ci.job.finished'],
  ['workflowCallback', 'workflow-json', 'com.tencentcloud.ci.workflow.finished'],
])('on the default stage with no AWS account, %s answers 200 to events/%s.json and the event is in .data/', async (fn, sample, type) => {
  const { code, stdout, stderr } = await invokeLocal(dir, ['-f', fn, '-p', `events/${sample}.json`], userEnv());
  expect({ code, stderr: stderr.includes('credentials') ? stderr : '' }).toEqual({ code: 0, stderr: '' });
  expect(stdout).toContain('"statusCode": 200');
  expect(eventsOf(dir)).toEqual([expect.objectContaining({ type })]);
  // The raw body is archived on disk in the project, not in S3.
  expect(existsSync(join(dir, '.data', 'raw'))).toBe(true);
  // Quiet: no CloudWatch metric (EMF) lines unless asked for.
  expect(stdout + stderr).not.toContain('"_aws"');
}, 180_000);

test('a raw CI body (an XML file) is the request body; metric lines appear when asked for', async () => {
  const sample = JSON.parse(readFileSync(join(root, 'events', 'task-tts-xml.json'), 'utf8'));
  writeFileSync(join(dir, 'my-callback.xml'), sample.body);
  const env = { ...userEnv(), POWERTOOLS_METRICS_DISABLED: 'false' };
  const { stdout } = await invokeLocal(dir, ['-f', 'taskCallback', '-p', 'my-callback.xml'], env);
  expect(stdout).toContain('"statusCode": 200');
  expect(eventsOf(dir)).toEqual([expect.objectContaining({ subject: expect.stringMatching(/^j/) })]);
  expect(stdout).toContain('"_aws"');
}, 180_000);

test('a raw CI body in JSON (a .json file that is not a Function URL event) is the request body', async () => {
  const sample = JSON.parse(readFileSync(join(root, 'events', 'workflow-json.json'), 'utf8'));
  writeFileSync(join(dir, 'my-callback.json'), sample.body);
  const { stdout } = await invokeLocal(dir, ['-f', 'workflowCallback', '-p', 'my-callback.json'], userEnv());
  expect(stdout).toContain('"statusCode": 200');
  expect(eventsOf(dir)).toEqual([expect.objectContaining({ type: 'com.tencentcloud.ci.workflow.finished' })]);
}, 180_000);
