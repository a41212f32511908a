import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { offlineEnv, packageInCopy } from './support/serverless-cli';

const root = join(__dirname, '..');

/** `serverless package` offline; returns the CloudFormation template, or throws with the CLI's output. */
async function packageStack(params: string[]): Promise<{ Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> }> {
  const run = await packageInCopy(params.map((p) => `--param=${p}`));
  rmSync(run.dir, { recursive: true, force: true });
  if (!run.template) throw Object.assign(new Error('serverless package failed'), { stdout: run.output, stderr: '' });
  return run.template;
}

const ofType = (template: Awaited<ReturnType<typeof packageStack>>, type: string) =>
  Object.values(template.Resources).filter((r) => r.Type === type);

test('the example queue consumer is not in the stack by default', async () => {
  const template = await packageStack([]);
  expect(template.Resources.QueueConsumerLambdaFunction).toBeUndefined();
  expect(ofType(template, 'AWS::Lambda::EventSourceMapping')).toEqual([]);
}, 180_000);

test('consumer=true adds it, reading the queue named by consumerQueueArn with partial batch responses', async () => {
  const arn = 'arn:aws:sqs:ap-southeast-1:123456789012:some-events';
  const template = await packageStack(['consumer=true', `consumerQueueArn=${arn}`]);
  expect(template.Resources.QueueConsumerLambdaFunction.Properties).toMatchObject({ Handler: 'examples/queue-consumer.handler' });
  expect(ofType(template, 'AWS::Lambda::EventSourceMapping').map((r) => r.Properties)).toEqual([
    expect.objectContaining({ EventSourceArn: arn, BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] }),
  ]);
  const statements = JSON.stringify(template.Resources.IamRoleLambdaExecution.Properties);
  expect(statements).toContain(JSON.stringify({ Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: [arn] }));
  // Events too large for SQS come as claim checks in the archive bucket: the consumer may read those, and only those.
  expect(statements).toContain(JSON.stringify({ Sid: 'ReadClaimChecks', Effect: 'Allow', Action: ['s3:GetObject'], Resource: { 'Fn::Sub': '${ArchiveBucket.Arn}/claim-checks/*' } }));
}, 180_000);

test('a consumer value that is not a boolean is an error, not a silently absent function', async () => {
  const failure = await packageStack(['consumer=yes']).then(
    () => undefined,
    (err: { stdout: string; stderr: string }) => err.stdout + err.stderr,
  );
  expect(failure).toMatch(/Invalid "strToBool" input: .* Received: yes/);
}, 180_000);

test('the README command runs the consumer locally on examples/sqs-event.json, with no AWS account', async () => {
  const { stdout } = await promisify(execFile)(
    'npm',
    ['run', '--silent', 'invoke:local', '--', '-f', 'queueConsumer', '--param=consumer=true', '-p', 'examples/sqs-event.json'],
    { cwd: root, env: { ...offlineEnv(), POWERTOOLS_LOG_LEVEL: 'INFO' }, timeout: 120_000 },
  );
  expect(stdout).toContain('"message":"job j515a494af86111ecb8546d80f2baf56f Success"');
  expect(stdout).toMatch(/"message":"workflow run \S+ Success"/);
  expect(stdout).toMatch(/"batchItemFailures": \[\]/);
}, 180_000);
