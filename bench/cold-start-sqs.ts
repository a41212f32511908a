import { buildSync } from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The floor for a cold start with the sqs sink: a minified bundle of the SQS client alone that
 * builds one SendMessageBatch request and sends it to the same queue. Our code may add at most
 * 15% on top of what the SDK itself costs.
 */
export function sqsBaselineScript(queueUrl: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sqs-baseline-'));
  const entry = join(dir, 'entry.js');
  writeFileSync(
    entry,
    `const { SQSClient, SendMessageBatchCommand } = require('@aws-sdk/client-sqs');\n` +
      `new SQSClient({ useQueueUrlAsEndpoint: false })\n` +
      `  .send(new SendMessageBatchCommand({ QueueUrl: ${JSON.stringify(queueUrl)}, Entries: [{ Id: '0', MessageBody: '{}' }] }))\n` +
      `  .then((out) => { if (out.Failed && out.Failed.length) process.exit(3); });\n`,
  );
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
