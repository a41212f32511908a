import { buildSync } from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Floors for the cold starts with AWS adapters: a minified bundle of the SDK clients alone
 * making the calls the handler makes, to the same emulators. What we add on top is ours.
 */
function bundled(name: string, source: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${name}-baseline-`));
  const entry = join(dir, 'entry.js');
  writeFileSync(entry, source);
  const outfile = join(dir, 'baseline.js');
  buildSync({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'error',
    nodePaths: [join(__dirname, '..', 'node_modules')],
  });
  return outfile;
}

/** The `sqs` sink's floor: the SQS client sending one one-message batch. */
export function sqsBaselineScript(queueUrl: string): string {
  return bundled(
    'sqs',
    `const { SQSClient, SendMessageBatchCommand } = require('@aws-sdk/client-sqs');\n` +
      `new SQSClient({ useQueueUrlAsEndpoint: false })\n` +
      `  .send(new SendMessageBatchCommand({ QueueUrl: ${JSON.stringify(queueUrl)}, Entries: [{ Id: '0', MessageBody: '{}' }] }))\n` +
      `  .then((out) => { if (out.Failed && out.Failed.length) process.exit(3); });\n`,
  );
}

/**
 * The default deploy's floor: the S3, SQS and DynamoDB clients, each making the one call a
 * callback needs (PutObject, SendMessageBatch on the FIFO queue, a conditional PutItem), at once;
 * with `secrets`, the SSM client's GetParameters before them.
 */
export function defaultDeployBaselineScript(target: { bucket: string; queueUrl: string; table: string }, secrets?: { parameterNames: string[] }): string {
  const t = JSON.stringify(target);
  // With the secrets option: the SSM client's GetParameters first (the token decides whether the callback is taken).
  const first = secrets
    ? `const { SSMClient, GetParametersCommand } = require('@aws-sdk/client-ssm');\n` +
      `new SSMClient({}).send(new GetParametersCommand({ Names: ${JSON.stringify(secrets.parameterNames)}, WithDecryption: true })).then(() =>\n`
    : `Promise.resolve().then(() =>\n`;
  return bundled(
    secrets ? 'default-deploy-ssm' : 'default-deploy',
    `const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');\n` +
      `const { SQSClient, SendMessageBatchCommand } = require('@aws-sdk/client-sqs');\n` +
      `const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');\n` +
      `const t = ${t}; const id = String(process.hrtime.bigint());\n` +
      first +
      `Promise.all([\n` +
      `  new S3Client({}).send(new PutObjectCommand({ Bucket: t.bucket, Key: id + '.json', Body: '{}', ContentType: 'application/json', ServerSideEncryption: 'AES256' })),\n` +
      `  new SQSClient({ useQueueUrlAsEndpoint: false }).send(new SendMessageBatchCommand({ QueueUrl: t.queueUrl, Entries: [{ Id: '0', MessageBody: '{}', MessageGroupId: 'g', MessageDeduplicationId: id }] })),\n` +
      `  new DynamoDBClient({}).send(new PutItemCommand({ TableName: t.table, Item: { id: { S: id } }, ConditionExpression: 'attribute_not_exists(#id)', ExpressionAttributeNames: { '#id': 'id' } })),\n` +
      `])).then(([, sqs]) => { if (sqs.Failed && sqs.Failed.length) process.exit(3); });\n`,
  );
}
