import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** The serverless CLI's environment on a machine without an AWS account. */
export function offlineEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SLS_TELEMETRY_DISABLED: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_CONFIG_FILE: '/nonexistent',
  };
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete env[key];
  return env;
}

/**
 * A copy of the project (sources, config, samples; node_modules linked) in a temporary folder:
 * the serverless CLI builds and writes (.esbuild/, .data/) there, not in the developer's tree.
 */
export function projectCopy(prefix = 'sls-project-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const path of ['serverless.yml', 'package.json', 'tsconfig.json', 'README.md', 'deploy', 'handlers', 'lib', 'examples', 'schema', 'events']) {
    cpSync(join(root, path), join(dir, path), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

/** `serverless invoke local` offline in `dir` (a project copy); resolves with its exit code and output. */
export function invokeLocal(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = join(root, 'node_modules', '.bin', 'serverless');
  return new Promise((resolve) => {
    const child = execFile(cli, ['invoke', 'local', ...args], { cwd: dir, env: { ...offlineEnv(), ...env }, timeout: 180_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

/** The token a packaged test stack carries when the args give none. */
const PACKAGE_TOKEN = 'packaged-test-token-0123456789';

export interface PackageRun {
  /** The copy of the project; remove it when done. */
  dir: string;
  /** The folder holding the zips and CloudFormation templates. */
  out: string;
  output: string;
  /** The update-stack template, when packaging succeeded. */
  template?: any;
}

/**
 * `serverless package` offline, in a copy of the project: serverless-esbuild builds inside the
 * service directory, where another test, the benchmark or `invoke local` may be building too.
 */
export function packageInCopy(args: string[]): Promise<PackageRun> {
  // `serverless package` refuses a stack without a token (deploy/callback-url.js): a stack
  // packaged to be inspected gets one, unless the args decide the authentication themselves.
  const decidesAuth = args.some((arg) => /callbackToken=|callbackAuth=|secrets=/.test(arg));
  if (!decidesAuth) args = [...args, `--param=callbackToken=${PACKAGE_TOKEN}`];
  const dir = projectCopy('sls-package-');
  const out = join(dir, 'out');
  const cli = join(root, 'node_modules', '.bin', 'serverless');
  return new Promise((resolve) => {
    const child = execFile(cli, ['package', '--package', out, ...args], { cwd: dir, env: offlineEnv(), timeout: 180_000 }, (err, stdout, stderr) => {
      const output = stdout + stderr;
      const templateFile = join(out, 'cloudformation-template-update-stack.json');
      resolve({ dir, out, output, template: !err && existsSync(templateFile) ? JSON.parse(readFileSync(templateFile, 'utf8')) : undefined });
    });
    // No one will answer a prompt: a CLI that asks fails instead of waiting for the timeout.
    child.stdin?.end();
  });
}
