import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

export interface PackagedFunction {
  name: string;
  zipBytes: number;
  /** The handler file from the zip, extracted, ready for `require`. */
  bundle: string;
}

/**
 * `serverless package` for the stage params given (offline), then the handler of each function
 * extracted from its zip: the bench measures exactly what would be deployed.
 */
export function packageStage(label: string, params: Record<string, string>, outDir: string): PackagedFunction[] {
  const dir = join(outDir, label);
  rmSync(dir, { recursive: true, force: true });
  // serverless-esbuild reuses its build folder: a stale file there would end up in the zip.
  rmSync(join(ROOT, '.esbuild'), { recursive: true, force: true });
  const args = ['--no-install', 'serverless', 'package', '--stage', 'bench', '--package', dir];
  for (const [key, value] of Object.entries(params)) args.push(`--param=${key}=${value}`);
  execFileSync('npx', args, {
    cwd: ROOT,
    env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', AWS_EC2_METADATA_DISABLED: 'true' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return [
    ['taskCallback', 'handlers/task-callback.js'],
    ['workflowCallback', 'handlers/workflow-callback.js'],
  ].map(([name, file]) => {
    const zip = join(dir, `${name}.zip`);
    const unpacked = join(dir, name);
    mkdirSync(unpacked, { recursive: true });
    // python3's zipfile: on every machine of this kind, unlike the unzip command.
    execFileSync('python3', ['-m', 'zipfile', '-e', zip, unpacked]);
    return { name, zipBytes: statSync(zip).size, bundle: join(unpacked, file) };
  });
}
