import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packageInCopy } from '../tests/support/serverless-cli';

export interface PackagedFunction {
  name: string;
  zipBytes: number;
  /** The handler file from the zip, extracted, ready for `require`. */
  bundle: string;
}

/**
 * `serverless package` for the stage params given (offline, in a copy of the project), then the
 * handler of each function extracted from its zip: the bench measures exactly what would be deployed.
 */
export async function packageStage(params: Record<string, string>): Promise<{ dir: string; functions: PackagedFunction[] }> {
  const run = await packageInCopy(['--stage', 'bench', ...Object.entries(params).map(([key, value]) => `--param=${key}=${value}`)]);
  if (!run.template) throw new Error(`serverless package failed:\n${run.output}`);
  const functions = [
    ['taskCallback', 'handlers/task-callback.js'],
    ['workflowCallback', 'handlers/workflow-callback.js'],
  ].map(([name, file]) => {
    const zip = join(run.out, `${name}.zip`);
    const unpacked = join(run.out, name);
    mkdirSync(unpacked, { recursive: true });
    // python3's zipfile: on every machine of this kind, unlike the unzip command.
    execFileSync('python3', ['-m', 'zipfile', '-e', zip, unpacked]);
    return { name, zipBytes: statSync(zip).size, bundle: join(unpacked, file) };
  });
  return { dir: run.dir, functions };
}
