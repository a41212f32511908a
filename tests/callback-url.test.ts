import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../lib/config';
import { packageInCopy } from './support/serverless-cli';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const CallbackUrl = require('../deploy/callback-url.js');
const { tokenProblem } = CallbackUrl as { tokenProblem: (environment: Record<string, string>) => string | undefined };

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
/** CI refuses a queue's callback Url longer than this. */
const CI_URL_LIMIT = 100;
/** A Function URL id: 32 lower-case letters and digits. */
const URL_ID = 'a'.repeat(32);

/**
 * Every region osls can deploy to (its `provider.region` schema), the longest name first. Read in
 * a child process: osls's provider module loads ESM dependencies that jest cannot require.
 */
function deployableRegions(): string[] {
  const script = `
    const AwsProvider = require('serverless/lib/plugins/aws/provider');
    let schema;
    const serverless = { configSchemaHandler: { defineProvider: (_, s) => (schema = s) }, setProvider() {}, service: { provider: { name: 'aws' } }, processedInput: { commands: [] }, pluginManager: {} };
    new AwsProvider(serverless, {});
    console.log(JSON.stringify(schema.provider.properties.region.enum));`;
  const regions: string[] = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }));
  return regions.sort((a, b) => b.length - a.length);
}

describe('a callback URL CI accepts', () => {
  const recipe = /^openssl rand -base64 (\d+) \| tr '\+\/' '-_'/m.exec(readme);

  test("the README's token recipe makes a URL-safe token of at least 128 random bits", () => {
    expect(recipe).not.toBeNull();
    const token = execFileSync('bash', ['-c', recipe![0]], { encoding: 'utf8' }).trim();
    expect(Number(recipe![1]) * 8).toBeGreaterThanOrEqual(128);
    // The receiver accepts it as a token (it would refuse characters a URL encodes).
    expect(loadConfig({ CALLBACK_TOKEN: token }).tokens).toEqual([token]);
    expect(token).toHaveLength(Math.ceil((Number(recipe![1]) * 4) / 3));
  });

  test('the documented URL, token as its path, fits 100 characters in the region with the longest name', () => {
    const token = execFileSync('bash', ['-c', recipe![0]], { encoding: 'utf8' }).trim();
    const [longest] = deployableRegions();
    expect(longest.length).toBeGreaterThanOrEqual('ap-southeast-1'.length);
    expect(readme).toContain('https://<url-id>.lambda-url.<region>.on.aws/<token>');
    const url = `https://${URL_ID}.lambda-url.${longest}.on.aws/${token}`;
    expect(url.length).toBeLessThanOrEqual(CI_URL_LIMIT);
    // The same token as `?token=` does not fit: why the path is the documented form.
    expect(`https://${URL_ID}.lambda-url.${longest}.on.aws/?token=${token}`.length).toBeGreaterThan(CI_URL_LIMIT);
  });

  test('the default region is one a new account can deploy to (not an opt-in region)', () => {
    const yml = readFileSync(join(root, 'serverless.yml'), 'utf8');
    const region = /region: \$\{opt:region, '([a-z0-9-]+)'\}/.exec(yml)?.[1];
    const optIn = ['af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', 'ca-west-1', 'eu-central-2', 'eu-south-1', 'eu-south-2', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1'];
    expect(deployableRegions()).toContain(region);
    expect(optIn).not.toContain(region);
  });
});

describe('after deploy, the URL to paste', () => {
  function run(token: string, outputs: Array<{ OutputKey: string; OutputValue: string }>, environment: Record<string, string> = {}): string[][] {
    const sections: string[][] = [];
    const serverless = {
      service: { provider: { environment: { CALLBACK_TOKEN: token, ...environment } }, getAllFunctions: () => ['taskCallback', 'workflowCallback'] },
      pluginManager: { plugins: [{ constructor: { name: 'AwsInfo' }, gatheredData: { outputs } }] },
      getProvider: () => ({ naming: { getLambdaFunctionUrlOutputLogicalId: (fn: string) => `${fn[0].toUpperCase()}${fn.slice(1)}LambdaFunctionUrl` } }),
      addServiceOutputSection: (_: string, lines: string[]) => sections.push(lines),
    };
    new CallbackUrl(serverless, {}, {}).hooks['after:aws:info:gatherData']();
    return sections;
  }

  test('each function URL is printed with the token as its path (the new token during a rotation)', () => {
    const outputs = [
      { OutputKey: 'TaskCallbackLambdaFunctionUrl', OutputValue: 'https://abc.lambda-url.ap-southeast-1.on.aws/' },
      { OutputKey: 'WorkflowCallbackLambdaFunctionUrl', OutputValue: 'https://def.lambda-url.ap-southeast-1.on.aws/' },
    ];
    expect(run('old-token,new-token', outputs)).toEqual([
      ['taskCallback: https://abc.lambda-url.ap-southeast-1.on.aws/new-token', 'workflowCallback: https://def.lambda-url.ap-southeast-1.on.aws/new-token'],
    ]);
  });

  test('a token kept in the secret store is not known at deploy: the URL says where it goes', () => {
    const outputs = [{ OutputKey: 'TaskCallbackLambdaFunctionUrl', OutputValue: 'https://abc.lambda-url.ap-southeast-1.on.aws/' }];
    expect(run('', outputs, { CALLBACK_SECRETS: 'ssm:/ci-receiver/prod' })).toEqual([
      ['taskCallback: https://abc.lambda-url.ap-southeast-1.on.aws/<CALLBACK_TOKEN from the secret store>'],
    ]);
  });
});

describe('which environments would answer every callback 500', () => {
  test.each([
    [{ CALLBACK_TOKEN: '' }, true],
    [{ CALLBACK_TOKEN: ' , ' }, true],
    [{ CALLBACK_TOKEN: 'a-token' }, false],
    [{ CALLBACK_TOKEN: '', CALLBACK_AUTH: 'none' }, false],
    // The token is read from SSM or Secrets Manager at cold start.
    [{ CALLBACK_TOKEN: '', CALLBACK_SECRETS: 'secretsmanager:ci-receiver' }, false],
  ])('%j refused: %s', (environment, refused) => {
    expect(tokenProblem(environment) !== undefined).toBe(refused);
  });
});

describe('serverless package refuses a stack that would answer every callback 500', () => {
  const runs: string[] = [];
  afterAll(() => runs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  test.each([
    ['no token', ['--param=callbackToken=']],
    ['a token that is only a comma', ['--param=callbackToken= , ']],
  ])('%s: refused, naming the token', async (_, args) => {
    const run = await packageInCopy(args);
    runs.push(run.dir);
    expect(run.template).toBeUndefined();
    expect(run.output).toMatch(/callbackToken/);
    expect(run.output).toMatch(/CALLBACK_TOKEN/);
  }, 180_000);

  test('callbackAuth=none packages: unauthenticated on purpose', async () => {
    const run = await packageInCopy(['--param=callbackAuth=none']);
    runs.push(run.dir);
    expect(run.template?.Resources.TaskCallbackLambdaFunction.Properties.Environment.Variables).toMatchObject({ CALLBACK_TOKEN: '', CALLBACK_AUTH: 'none' });
  }, 180_000);
});
