// What the stack creates, and what the functions may do, from the stage params
// (serverless.yml: `custom.stack: ${file(./deploy/stack.js)}`). It runs when serverless
// resolves the configuration, `invoke local` included, so it only reads params: no AWS calls.
//
//   sinks          CALLBACK_SINKS (default sqs,dynamodb)
//   queueUrl       an existing SQS queue; empty: the stack creates one when sinks include sqs
//   tableName      an existing DynamoDB table; empty: the stack creates one when sinks include dynamodb
//   databaseUrl    DATABASE_URL, required when sinks include postgres
//   archiveBucket  an existing S3 bucket; empty: the stack creates one; `none`: no bucket
//                  (deployed, raw bodies are then kept in the function's log)
//   secrets, secretsKmsKeyArn   where secrets are read at cold start (deploy/secrets.js)
//   alarms, alarmEmail, alarmTopicArn, reservedConcurrency, vpcSubnetIds, vpcSecurityGroupIds,
//   archiveRetentionDays        operations (deploy/operations.js)

const { secretStatements } = require('./secrets');
const { alarmSettings, archiveLifecycle, reservedConcurrency, vpcSettings } = require('./operations');

const QUEUE_URL = /^https:\/\/(?:sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?|([a-z0-9-]+)\.queue\.amazonaws\.com(?:\.cn)?)\/(\d{12})\/([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/;

module.exports = async ({ resolveVariable }) => {
  const param = async (name) => String((await resolveVariable(`param:${name}, ''`)) ?? '').trim();
  const sinks = (await param('sinks')).split(',').map((s) => s.trim()).filter(Boolean);
  const queueUrl = await param('queueUrl');
  const tableName = await param('tableName');
  const databaseUrl = await param('databaseUrl');
  const archiveBucket = await param('archiveBucket');
  const region = await resolveVariable('self:provider.region');
  const secrets = await param('secrets');

  // With a secret store, DATABASE_URL may be one of its secrets (checked at cold start).
  if (sinks.includes('postgres') && !databaseUrl && !secrets) {
    throw new Error('sinks include postgres: pass the database with --param="databaseUrl=postgres://…" or --param="secrets=…"');
  }
  const sqs = sinks.includes('sqs');
  const dynamodb = sinks.includes('dynamodb');
  const archive = archiveBucket !== 'none';
  const createQueue = sqs && !queueUrl;
  // The example consumer reads this stack's queue unless told another one (the local stage
  // only runs it with `invoke local`, which never looks for the queue).
  const stage = await resolveVariable('sls:stage');
  if (stage !== 'local' && (await param('consumer')) === 'true' && !createQueue && !(await param('consumerQueueArn'))) {
    throw new Error('consumer=true reads the queue this stack creates: deploy with sqs in sinks and no queueUrl, or pass --param="consumerQueueArn=arn:aws:sqs:…"');
  }
  const createTable = dynamodb && !tableName;
  const createArchiveBucket = archive && !archiveBucket;

  // Only the actions the adapters call, only on the resources they write to.
  const statements = [];
  if (sqs) {
    const queueArn = createQueue ? { 'Fn::GetAtt': ['EventsQueue', 'Arn'] } : arnOfQueue(queueUrl, region);
    statements.push(allow('SendCallbackEvents', ['sqs:SendMessage'], queueArn));
  }
  if (dynamodb) {
    const tableArn = createTable
      ? { 'Fn::GetAtt': ['EventsTable', 'Arn'] }
      : { 'Fn::Sub': `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${tableName}` };
    statements.push(allow('StoreCallbackEvents', ['dynamodb:PutItem'], tableArn));
  }
  // The archive bucket's objects under `prefix` (the stack's bucket, or the one named).
  const archiveObjects = (prefix) =>
    createArchiveBucket ? { 'Fn::Sub': `\${ArchiveBucket.Arn}/${prefix}*` } : { 'Fn::Sub': `arn:\${AWS::Partition}:s3:::${archiveBucket}/${prefix}*` };
  if (archive) statements.push(allow('ArchiveRawRequests', ['s3:PutObject'], archiveObjects('')));
  // The example consumer (the framework's default role) reads events sent as claim checks.
  const claimChecks = !archive ? [] : [allow('ReadClaimChecks', ['s3:GetObject'], archiveObjects('claim-checks/'))];

  const secretReads = secretStatements(secrets, await param('secretsKmsKeyArn'), region);
  const vpc = vpcSettings({ vpcSubnetIds: await param('vpcSubnetIds'), vpcSecurityGroupIds: await param('vpcSecurityGroupIds') });
  const alarms = alarmSettings({ alarms: await param('alarms'), alarmEmail: await param('alarmEmail'), alarmTopicArn: await param('alarmTopicArn') });

  return {
    // CloudFormation conditions compare these strings.
    createQueue: String(createQueue),
    createTable: String(createTable),
    createArchiveBucket: String(createArchiveBucket),
    forwards: String(statements.length > 0),
    statements,
    readsSecrets: String(secretReads.length > 0),
    secretStatements: secretReads,
    inVpc: String(vpc.statements.length > 0),
    vpcStatements: vpc.statements,
    vpcConfig: vpc.vpcConfig,
    reservedConcurrency: reservedConcurrency(await param('reservedConcurrency')),
    archiveLifecycle: archiveLifecycle(await param('archiveRetentionDays')),
    ...alarms,
    secrets,
    consumerStatements: claimChecks,
    // The functions' environment: plain strings unless the stack creates the resource, so
    // `invoke local --stage local` resolves every variable without AWS.
    sqsQueueUrl: !sqs ? '' : createQueue ? { Ref: 'EventsQueue' } : queueUrl,
    dynamodbTable: !dynamodb ? '' : createTable ? { Ref: 'EventsTable' } : tableName,
    archiveBucket: !archive ? '' : createArchiveBucket ? { Ref: 'ArchiveBucket' } : archiveBucket,
    databaseUrl: sinks.includes('postgres') ? databaseUrl : '',
    // esbuild `define`: the bundle contains only the adapters this stage uses (lib/sinks/index.ts).
    bundle: {
      'process.env.RECEIVER_BUNDLE_SQS': JSON.stringify(String(sqs)),
      'process.env.RECEIVER_BUNDLE_DYNAMODB': JSON.stringify(String(dynamodb)),
      'process.env.RECEIVER_BUNDLE_POSTGRES': JSON.stringify(String(sinks.includes('postgres'))),
      'process.env.RECEIVER_BUNDLE_S3': JSON.stringify(String(archive)),
      'process.env.RECEIVER_BUNDLE_SECRETS': JSON.stringify(secrets.split(':')[0] || 'none'),
    },
  };
};

function allow(sid, actions, resource) {
  return { Sid: sid, Effect: 'Allow', Action: actions, Resource: resource };
}

/** IAM needs the queue's ARN; an SQS queue URL names its region, account and name. */
function arnOfQueue(url, stackRegion) {
  const match = QUEUE_URL.exec(url);
  if (!match) throw new Error(`queueUrl "${url}" is not an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>)`);
  const [, region, legacyRegion, account, name] = match;
  const queueRegion = region ?? legacyRegion;
  // The SQS client sends to the function's own region (the queue URL only names the queue).
  if (queueRegion !== stackRegion) {
    throw new Error(`queueUrl is in ${queueRegion}; the functions deploy to ${stackRegion}: use a queue in ${stackRegion}`);
  }
  return { 'Fn::Sub': `arn:\${AWS::Partition}:sqs:${queueRegion}:${account}:${name}` };
}
