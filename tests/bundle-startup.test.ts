import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(__dirname, '..');
// The settings serverless.yml gives serverless-esbuild, with the file sink's stage params.
const stack = { 'process.env.RECEIVER_BUNDLE_SQS': '"false"', 'process.env.RECEIVER_BUNDLE_DYNAMODB': '"false"', 'process.env.RECEIVER_BUNDLE_POSTGRES': '"false"', 'process.env.RECEIVER_BUNDLE_S3': '"false"', 'process.env.RECEIVER_BUNDLE_SECRETS': '"none"' };

/**
 * Node's own modules a fresh process has loaded after requiring `file`. A script file, not
 * `node -e`: evaluating -e code loads node:crypto by itself.
 */
function builtinsLoadedBy(file: string): string[] {
  const script = join(mkdtempSync(join(tmpdir(), 'startup-')), 'load.js');
  writeFileSync(script, `require(${JSON.stringify(file)});\nprocess.stdout.write(JSON.stringify(process.moduleLoadList));\n`);
  return JSON.parse(execFileSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' } }));
}

describe('what a cold start loads (the budgets are measured by npm run bench)', () => {
  let bundle: string;
  beforeAll(async () => {
    bundle = join(mkdtempSync(join(tmpdir(), 'bundle-')), 'task-callback.js');
    await build({
      entryPoints: [join(root, 'handlers/task-callback.ts')],
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile: bundle,
      define: stack,
      plugins: require(join(root, 'deploy/esbuild-plugins.js')),
      logLevel: 'error',
    });
  });

  test('a bundle built without the AWS adapters contains no AWS SDK and no pg', () => {
    const code = readFileSync(bundle, 'utf8');
    expect(code).not.toMatch(/@aws-sdk|SQSClient|DynamoDBClient|S3Client|pg-pool|SSMClient|SecretsManagerClient|lambda-powertools\/parameters/);
  });

  test.each([
    ['ssm', 'SSMClient', 'SecretsManagerClient'],
    ['secretsmanager', 'SecretsManagerClient', 'SSMClient'],
  ])('a bundle built with secrets=%s contains that store\'s client only', async (store, present, absent) => {
    const outfile = join(mkdtempSync(join(tmpdir(), 'bundle-')), 'task-callback.js');
    await build({
      entryPoints: [join(root, 'handlers/task-callback.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile,
      define: { ...stack, 'process.env.RECEIVER_BUNDLE_SECRETS': JSON.stringify(store) },
      plugins: require(join(root, 'deploy/esbuild-plugins.js')),
      logLevel: 'error',
    });
    const code = readFileSync(outfile, 'utf8');
    expect(code).toContain(present);
    expect(code).not.toContain(absent);
  });

  test('loading the handler does not load node:crypto or node:fs/promises', () => {
    const loaded = builtinsLoadedBy(bundle);
    expect(loaded).not.toContain('NativeModule crypto');
    expect(loaded).not.toContain('NativeModule fs/promises');
    expect(loaded).toContain('NativeModule events');
  });
});
