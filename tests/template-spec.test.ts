import { rmSync } from 'node:fs';
import { specDatabase, templateProblems, type Template } from './support/cfn-spec';
import { packageInCopy } from './support/serverless-cli';

/**
 * Deployable without AWS: every stage and param combination the README documents is packaged
 * offline and its CloudFormation template checked against AWS's resource specification and
 * IAM's action list (tests/support/cfn-spec.ts). Then the checker itself is shown failing on
 * templates broken one way at a time.
 */
const TOKEN = ['--param', 'callbackToken=test-token-0123456789abcdef'];
const QUEUE = 'queueUrl=https://sqs.ap-southeast-1.amazonaws.com/123456789012/ci-events.fifo';
const KMS_KEY = 'secretsKmsKeyArn=arn:aws:kms:ap-southeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const VPC = ['--param', 'vpcSubnetIds=subnet-0123456789abcdef0,subnet-0fedcba9876543210', '--param', 'vpcSecurityGroupIds=sg-0123456789abcdef0'];

const COMBINATIONS: Record<string, string[]> = {
  'default deploy': ['--stage', 'dev', ...TOKEN],
  'local stage': ['--stage', 'local'],
  'table only, alarms by email, reserved concurrency, archive retention': [
    '--stage', 'dev', ...TOKEN,
    '--param', 'sinks=dynamodb', '--param', 'alarmEmail=ops@example.com', '--param', 'reservedConcurrency=20', '--param', 'archiveRetentionDays=90',
  ],
  'existing resources, all sinks, alarms to a topic': [
    '--stage', 'prod', ...TOKEN,
    '--param', 'sinks=sqs,postgres,dynamodb', '--param', QUEUE, '--param', 'tableName=ci-events', '--param', 'archiveBucket=my-ci-archive',
    '--param', 'databaseUrl=postgres://receiver@db.internal:5432/events',
    '--param', 'alarmTopicArn=arn:aws:sns:ap-southeast-1:123456789012:ops-alarms',
  ],
  'private PostgreSQL, secrets in SSM with a customer managed key': [
    '--stage', 'prod', '--param', 'sinks=postgres', '--param', 'secrets=ssm:/ci-receiver/prod', '--param', KMS_KEY, ...VPC,
  ],
  'default deploy with the example consumer, secrets in Secrets Manager': [
    '--stage', 'dev', '--param', 'consumer=true', '--param', 'secrets=secretsmanager:ci-receiver/prod', '--param', 'logLevel=DEBUG',
  ],
  'log sink, no bucket, no alarms, secrets in Secrets Manager, verification': [
    '--stage', 'small', '--param', 'sinks=log', '--param', 'archiveBucket=none', '--param', 'alarms=false',
    '--param', 'secrets=secretsmanager:ci-receiver/small', '--param', 'callbackAuth=none', '--param', 'allowedCidrs=203.0.113.0/24,2001:db8::/32', '--param', 'callbackVerify=ci', '--param', 'ciBucket=examplebucket-1250000000', '--param', 'ciRegion=ap-chongqing',
  ],
};

const templates: Record<string, Template> = {};
const copies: string[] = [];
afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

beforeAll(async () => {
  // Two at a time: each packaging runs esbuild for two functions.
  const names = Object.keys(COMBINATIONS);
  for (let i = 0; i < names.length; i += 2) {
    const runs = await Promise.all(names.slice(i, i + 2).map((name) => packageInCopy(COMBINATIONS[name])));
    runs.forEach((run, j) => {
      copies.push(run.dir);
      if (!run.template) throw new Error(`serverless package failed for ${names[i + j]}:\n${run.output}`);
      templates[names[i + j]] = run.template;
    });
  }
  await specDatabase();
}, 420_000);

describe('every documented combination packages into a template CloudFormation accepts', () => {
  test.each(Object.keys(COMBINATIONS))('%s', async (name) => {
    expect(await templateProblems(templates[name])).toEqual([]);
  });
});

describe('the packaged templates hold the operations the params ask for', () => {
  const resources = (name: string) => templates[name].Resources;
  const holds = (name: string, condition: string) => {
    const [a, b] = (templates[name].Conditions?.[condition] as { 'Fn::Equals': [string, string] })['Fn::Equals'];
    return a === b;
  };
  /** The statements of the role policy named `policy`, when its condition holds. */
  const policy = (name: string, fn: string, policyName: string) => {
    for (const entry of resources(name)[`${fn}Role`].Properties!.Policies as any[]) {
      const [condition, document] = entry['Fn::If'] ?? [undefined, entry];
      if (document.PolicyName === policyName) return condition === undefined || holds(name, condition) ? document.PolicyDocument.Statement : [];
    }
    return [];
  };

  test('by default: alarms on the dead-letter queue, 5xx answers, throttles and errors, notifying no one', () => {
    const name = 'default deploy';
    expect(['CreateAlarms', 'CreateAlarmTopic'].map((c) => holds(name, c))).toEqual([true, false]);
    const alarms = Object.entries(resources(name)).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm').map(([id]) => id);
    expect(alarms.sort()).toEqual([
      'ArchiveFailureAlarm', 'DeadLetterAlarm', 'ServerErrorAlarm', 'TaskCallbackErrorAlarm', 'TaskCallbackThrottleAlarm', 'WorkflowCallbackErrorAlarm', 'WorkflowCallbackThrottleAlarm',
    ]);
    expect(resources(name).DeadLetterAlarm.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['EventsDeadLetterQueue', 'QueueName'] } }],
      AlarmActions: [],
    });
    for (const fn of ['TaskCallback', 'WorkflowCallback']) {
      expect(resources(name)[`${fn}ServerErrorFilter`].Properties).toMatchObject({
        LogGroupName: { Ref: `${fn}LogGroup` },
        FilterPattern: '{ $.status >= 500 }',
        MetricTransformations: [{ MetricNamespace: 'ci-callback-receiver/dev', MetricName: 'CallbackServerErrors' }],
      });
      expect(resources(name)[`${fn}ArchiveFailureFilter`].Properties).toMatchObject({
        LogGroupName: { Ref: `${fn}LogGroup` },
        FilterPattern: '{ $.archiveFailed IS TRUE }',
        MetricTransformations: [{ MetricNamespace: 'ci-callback-receiver/dev', MetricName: 'CallbackArchiveFailures' }],
      });
    }
  });

  test('alarmEmail subscribes the address to a topic every alarm notifies; alarmTopicArn uses that topic', () => {
    const byEmail = 'table only, alarms by email, reserved concurrency, archive retention';
    expect(holds(byEmail, 'CreateAlarmTopic')).toBe(true);
    expect(resources(byEmail).AlarmTopic.Properties).toEqual({ Subscription: [{ Protocol: 'email', Endpoint: 'ops@example.com' }] });
    expect(resources(byEmail).ServerErrorAlarm.Properties).toMatchObject({ AlarmActions: [{ Ref: 'AlarmTopic' }], OKActions: [{ Ref: 'AlarmTopic' }] });
    const byTopic = 'existing resources, all sinks, alarms to a topic';
    expect(holds(byTopic, 'CreateAlarmTopic')).toBe(false);
    expect(resources(byTopic).TaskCallbackThrottleAlarm.Properties).toMatchObject({ AlarmActions: ['arn:aws:sns:ap-southeast-1:123456789012:ops-alarms'] });
    expect(holds('log sink, no bucket, no alarms, secrets in Secrets Manager, verification', 'CreateAlarms')).toBe(false);
  });

  test('reservedConcurrency and archiveRetentionDays reach both functions and the versioned bucket', () => {
    const name = 'table only, alarms by email, reserved concurrency, archive retention';
    for (const fn of ['TaskCallback', 'WorkflowCallback']) expect(resources(name)[`${fn}LambdaFunction`].Properties!.ReservedConcurrentExecutions).toBe(20);
    expect(resources(name).ArchiveBucket.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: 90, NoncurrentVersionExpiration: { NoncurrentDays: 90 } }] },
    });
    expect(resources('default deploy').ArchiveBucket.Properties!.LifecycleConfiguration).toEqual({ Ref: 'AWS::NoValue' });
  });

  test('VPC params: both functions in the subnets, allowed to manage their network interfaces', () => {
    const name = 'private PostgreSQL, secrets in SSM with a customer managed key';
    for (const fn of ['TaskCallback', 'WorkflowCallback']) {
      expect(resources(name)[`${fn}LambdaFunction`].Properties!.VpcConfig).toEqual({
        SubnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
        SecurityGroupIds: ['sg-0123456789abcdef0'],
      });
      expect(policy(name, fn, 'attach-to-vpc')).toEqual([expect.objectContaining({ Sid: 'AttachToVpc', Resource: '*' })]);
      expect(policy('default deploy', fn, 'attach-to-vpc')).toEqual([]);
    }
  });

  test('secrets in SSM: GetParameters on exactly the four parameters, kms:Decrypt on the key through SSM only', () => {
    const name = 'private PostgreSQL, secrets in SSM with a customer managed key';
    const variables = resources(name).TaskCallbackLambdaFunction.Properties!.Environment as { Variables: Record<string, unknown> };
    expect(variables.Variables).toMatchObject({ CALLBACK_SECRETS: 'ssm:/ci-receiver/prod', CALLBACK_TOKEN: '', DATABASE_URL: '' });
    const arn = (variable: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/ci-receiver/prod/${variable}` });
    expect(policy(name, 'TaskCallback', 'read-secrets')).toEqual([
      {
        Sid: 'ReadSecretParameters',
        Effect: 'Allow',
        Action: ['ssm:GetParameters'],
        Resource: ['CALLBACK_TOKEN', 'TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'DATABASE_URL'].map(arn),
      },
      {
        Sid: 'DecryptSecrets',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: KMS_KEY.split('=')[1],
        Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Sub': 'ssm.${AWS::Region}.amazonaws.com' } } },
      },
    ]);
  });

  test('secrets in Secrets Manager: GetSecretValue on that secret only; no secrets, no grant', () => {
    const name = 'log sink, no bucket, no alarms, secrets in Secrets Manager, verification';
    expect(policy(name, 'WorkflowCallback', 'read-secrets')).toEqual([
      {
        Sid: 'ReadSecret',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue'],
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:ci-receiver/small-??????' },
      },
    ]);
    expect(policy('default deploy', 'TaskCallback', 'read-secrets')).toEqual([]);
  });
});

describe('the checker refuses a template broken one way at a time', () => {
  /** The default template with one change. */
  const broken = (change: (t: Template) => void): Template => {
    const copy = structuredClone(templates['default deploy']);
    change(copy);
    return copy;
  };
  const r = (t: Template) => t.Resources as Record<string, any>;

  test.each<[string, (t: Template) => void, string]>([
    ['an unknown resource type', (t) => (r(t).EventsQueue.Type = 'AWS::SQS::Queues'), 'Resources.EventsQueue: unknown resource type AWS::SQS::Queues'],
    ['an unknown property', (t) => (r(t).ArchiveBucket.Properties.Versioning = { Status: 'Enabled' }), 'Resources.ArchiveBucket.Properties: unknown property Versioning'],
    ['an unknown property of a nested type', (t) => (r(t).ArchiveBucket.Properties.VersioningConfiguration.Mode = 'x'), 'VersioningConfiguration: unknown property Mode'],
    ['a list where a boolean goes', (t) => (r(t).EventsQueue.Properties.FifoQueue = ['yes']), 'EventsQueue.Properties.FifoQueue: expected a boolean'],
    ['a string where a list goes', (t) => (r(t).DeadLetterAlarm.Properties.Dimensions = 'QueueName'), 'DeadLetterAlarm.Properties.Dimensions: expected a list'],
    ['a missing required property', (t) => delete r(t).TaskCallbackLambdaFunction.Properties.Role, 'TaskCallbackLambdaFunction.Properties: required property Role missing'],
    ['a Ref to no resource', (t) => (r(t).TaskCallbackLambdaFunction.Properties.Environment.Variables.SQS_QUEUE_URL = { Ref: 'EventQueue' }), 'Ref EventQueue: no such resource'],
    ['a GetAtt of an attribute the type lacks', (t) => (r(t).DeadLetterAlarm.Properties.Dimensions[0].Value = { 'Fn::GetAtt': ['EventsDeadLetterQueue', 'Name'] }), 'AWS::SQS::Queue has no attribute Name'],
    ['a Sub naming no resource', (t) => (r(t).ArchiveBucketPolicy.Properties.PolicyDocument.Statement[0].Resource[1] = { 'Fn::Sub': '${ArchiveBuckets.Arn}/*' }), 'GetAtt ArchiveBuckets: no such resource'],
    ['an unknown condition', (t) => (r(t).EventsQueue.Condition = 'CreateQueues'), 'Resources.EventsQueue: no condition CreateQueues'],
    ['a reference to a resource its condition leaves out', (t) => (t.Conditions!.CreateQueue = { 'Fn::Equals': ['false', 'true'] }), 'references EventsQueue, which is not created'],
    ['an IAM action that does not exist', (t) => (r(t).TaskCallbackRole.Properties.Policies[0].PolicyDocument.Statement[0].Action = ['logs:PutLogEvent']), 'action logs:PutLogEvent: logs has no such action'],
    ['an IAM condition key that does not exist', (t) => (r(t).ArchiveBucketPolicy.Properties.PolicyDocument.Statement[0].Condition = { Bool: { 'aws:SecureTransports': false } }), 'no global condition key aws:SecureTransports'],
  ])('%s', async (_, change, problem) => {
    expect(await templateProblems(broken(change))).toContainEqual(expect.stringContaining(problem));
  });
});

describe('params that cannot make a working stack are refused before anything is built', () => {
  test.each([
    [['--param', 'alarmEmail=ops@example.com', '--param', 'alarmTopicArn=arn:aws:sns:ap-southeast-1:123456789012:t'], 'alarmEmail and alarmTopicArn: choose one'],
    [['--param', 'vpcSubnetIds=subnet-0123456789abcdef0'], 'a VPC needs both vpcSubnetIds and vpcSecurityGroupIds'],
    [['--param', 'secrets=vault:/ci-receiver'], 'names no store: ssm:/<path> or secretsmanager:<name>'],
    [['--param', 'reservedConcurrency=0'], 'reservedConcurrency must be a positive integer'],
    [['--param', 'sinks=dynamodb', '--param', 'consumer=true'], 'consumer=true reads the queue this stack creates'],
  ])('%j', async (args, message) => {
    const run = await packageInCopy(['--stage', 'dev', ...TOKEN, ...args]);
    copies.push(run.dir);
    expect(run.template).toBeUndefined();
    expect(run.output).toContain(message);
  }, 120_000);
});
