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
  const dir = mkdtempSync(join(tmpdir(), 'sls-package-'));
  for (const path of ['serverless.yml', 'package.json', 'tsconfig.json', 'deploy', 'handlers', 'lib', 'examples', 'schema']) {
    cpSync(join(root, path), join(dir, path), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
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
