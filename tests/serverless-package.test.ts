import { rmSync } from 'node:fs';
import { CALLBACK_TABLE } from './support/callback-table';
import { packageInCopy } from './support/serverless-cli';

type Template = { Conditions: Record<string, unknown>; Resources: Record<string, any>; Outputs?: Record<string, any> };

const copies: string[] = [];
afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function packageStack(args: string[]): Promise<{ template?: Template; output: string }> {
  const run = await packageInCopy(args);
  copies.push(run.dir);
  return run;
}

/** The template's conditions are comparisons of two literals once the params are resolved. */
function holds(template: Template, condition: string): boolean {
  const [a, b] = (template.Conditions[condition] as { 'Fn::Equals': [string, string] })['Fn::Equals'];
  return a === b;
}

const FUNCTIONS = { taskCallback: 'TaskCallback', workflowCallback: 'WorkflowCallback' };

function roleOf(template: Template, fn: string) {
  const role = template.Resources[`${fn}LambdaFunction`].Properties.Role;
  expect(role).toEqual({ 'Fn::GetAtt': [`${fn}Role`, 'Arn'] });
  return template.Resources[`${fn}Role`];
}

/** The Allow statements a function's role grants beyond writing its own log. */
function forwardingStatements(template: Template, fn: string): unknown[] {
  const [logs, forwarding] = roleOf(template, fn).Properties.Policies;
  expect(logs.PolicyDocument.Statement).toEqual([
    { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [`${fn}LogGroup`, 'Arn'] } },
  ]);
  const [condition, policy] = forwarding['Fn::If'];
  return holds(template, condition) ? policy.PolicyDocument.Statement : [];
}

/** Every Allow statement anywhere in the template. */
function allowStatements(value: unknown): Array<{ Action: string | string[] }> {
  if (Array.isArray(value)) return value.flatMap(allowStatements);
  if (value === null || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const own = record.Effect === 'Allow' && 'Action' in record ? [record as { Action: string | string[] }] : [];
  return [...own, ...Object.values(record).flatMap(allowStatements)];
}

let byDefault: Template;
let existing: Template;
let withoutAws: Template;

beforeAll(async () => {
  const runs = await Promise.all([
    packageStack(['--stage', 'dev']),
    packageStack([
      '--stage', 'prod',
      '--param', 'sinks=sqs,postgres,dynamodb',
      '--param', 'queueUrl=https://sqs.ap-southeast-1.amazonaws.com/123456789012/mine.fifo',
      '--param', 'tableName=their-table',
      '--param', 'databaseUrl=postgres://receiver@db.internal:5432/events',
      '--param', 'archiveBucket=their-bucket',
    ]),
    packageStack(['--stage', 'small', '--param', 'sinks=log', '--param', 'archiveBucket=none']),
  ]);
  for (const run of runs) if (!run.template) throw new Error(`serverless package failed:\n${run.output}`);
  [byDefault, existing, withoutAws] = runs.map((run) => run.template as Template);
}, 180_000);

describe('serverless package, default deploy', () => {
  test('each function has a public Function URL and its own role', () => {
    for (const fn of Object.values(FUNCTIONS)) {
      expect(byDefault.Resources[`${fn}LambdaFunctionUrl`]).toMatchObject({
        Type: 'AWS::Lambda::Url',
        Properties: { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': [`${fn}LambdaFunction`, 'Arn'] } },
      });
      expect(roleOf(byDefault, fn).Type).toBe('AWS::IAM::Role');
    }
    expect(byDefault.Resources.IamRoleLambdaExecution).toBeUndefined();
  });

  test('creates a FIFO queue with a dead-letter queue, an on-demand table and an encrypted private bucket', () => {
    expect(['CreateQueue', 'CreateTable', 'CreateArchiveBucket'].map((c) => holds(byDefault, c))).toEqual([true, true, true]);
    const { EventsQueue, EventsDeadLetterQueue, EventsTable, ArchiveBucket } = byDefault.Resources;
    expect(EventsQueue.Properties).toMatchObject({
      FifoQueue: true,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['EventsDeadLetterQueue', 'Arn'] }, maxReceiveCount: 5 },
    });
    expect(EventsDeadLetterQueue.Properties).toMatchObject({ FifoQueue: true });
    const { BillingMode, AttributeDefinitions, KeySchema, GlobalSecondaryIndexes } = EventsTable.Properties;
    expect({ BillingMode, AttributeDefinitions, KeySchema, GlobalSecondaryIndexes }).toEqual(CALLBACK_TABLE);
    expect(ArchiveBucket.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
  });

  test('forwards to sqs,dynamodb and archives to the bucket, each role allowed exactly those writes', () => {
    for (const fn of Object.values(FUNCTIONS)) {
      expect(byDefault.Resources[`${fn}LambdaFunction`].Properties.Environment.Variables).toMatchObject({
        CALLBACK_SINKS: 'sqs,dynamodb',
        SQS_QUEUE_URL: { Ref: 'EventsQueue' },
        DYNAMODB_TABLE: { Ref: 'EventsTable' },
        ARCHIVE_BUCKET: { Ref: 'ArchiveBucket' },
        DATABASE_URL: '',
      });
      expect(forwardingStatements(byDefault, fn)).toEqual([
        { Sid: 'SendCallbackEvents', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: { 'Fn::GetAtt': ['EventsQueue', 'Arn'] } },
        { Sid: 'StoreCallbackEvents', Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: { 'Fn::GetAtt': ['EventsTable', 'Arn'] } },
        { Sid: 'ArchiveRawRequests', Effect: 'Allow', Action: ['s3:PutObject'], Resource: { 'Fn::Sub': '${ArchiveBucket.Arn}/*' } },
      ]);
    }
  });

  test('no statement in any template allows a wildcard action', () => {
    for (const template of [byDefault, existing, withoutAws]) {
      const actions = allowStatements(template.Resources).flatMap((s) => [s.Action].flat());
      expect(actions.length).toBeGreaterThan(0);
      expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    }
  });
});

describe('serverless package with params', () => {
  test('existing queue, table and bucket: nothing created, the functions get their names and rights on them only', () => {
    expect(['CreateQueue', 'CreateTable', 'CreateArchiveBucket'].map((c) => holds(existing, c))).toEqual([false, false, false]);
    const variables = existing.Resources.TaskCallbackLambdaFunction.Properties.Environment.Variables;
    expect(variables).toMatchObject({
      CALLBACK_SINKS: 'sqs,postgres,dynamodb',
      SQS_QUEUE_URL: 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/mine.fifo',
      DYNAMODB_TABLE: 'their-table',
      DATABASE_URL: 'postgres://receiver@db.internal:5432/events',
      ARCHIVE_BUCKET: 'their-bucket',
    });
    expect(forwardingStatements(existing, 'WorkflowCallback')).toEqual([
      { Sid: 'SendCallbackEvents', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:sqs:ap-southeast-1:123456789012:mine.fifo' } },
      {
        Sid: 'StoreCallbackEvents',
        Effect: 'Allow',
        Action: ['dynamodb:PutItem'],
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/their-table' },
      },
      { Sid: 'ArchiveRawRequests', Effect: 'Allow', Action: ['s3:PutObject'], Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::their-bucket/*' } },
    ]);
  });

  test('sinks=log and archiveBucket=none: no AWS resource and no right beyond the own log', () => {
    expect(['CreateQueue', 'CreateTable', 'CreateArchiveBucket', 'Forwards'].map((c) => holds(withoutAws, c))).toEqual([false, false, false, false]);
    expect(forwardingStatements(withoutAws, 'TaskCallback')).toEqual([]);
    expect(withoutAws.Resources.TaskCallbackLambdaFunction.Properties.Environment.Variables).toMatchObject({
      CALLBACK_SINKS: 'log',
      SQS_QUEUE_URL: '',
      DYNAMODB_TABLE: '',
      ARCHIVE_BUCKET: '',
    });
  });

  test.each([
    [['--param', 'sinks=postgres'], 'pass the database with --param="databaseUrl='],
    [['--param', 'sinks=sqs', '--param', 'queueUrl=https://sqs.eu-west-1.amazonaws.com/123456789012/q'], 'queueUrl is in eu-west-1'],
  ])('%j is refused before anything is built', async (args, message) => {
    const run = await packageStack(['--stage', 'dev', ...args]);
    expect(run.template).toBeUndefined();
    expect(run.output).toContain(message);
  }, 60_000);
});
