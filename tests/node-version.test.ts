import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const major = (text: string | undefined) => Number(/(\d+)/.exec(text ?? '')?.[1]);

// One Node version for development and for the code, and a Lambda runtime that runs it:
// developers and CI run Node 20 (.nvmrc; the lockfile is made there: on Node 22 npm would pick
// fauxqs 2.x), the bundle targets node20, Lambda runs it on nodejs22.x.
test('.nvmrc, package.json engines and the bundle target name one Node version, which the Lambda runtime runs', () => {
  const serverless = read('serverless.yml');
  const nvmrc = major(read('.nvmrc'));
  const engines = major((JSON.parse(read('package.json')) as { engines?: { node?: string } }).engines?.node);
  const target = major(/^\s+target:\s*node(\d+)\s*$/m.exec(serverless)?.[1]);
  const runtime = major(/^\s+runtime:\s*nodejs(\d+)\.x\s*$/m.exec(serverless)?.[1]);
  expect({ nvmrc, engines }).toEqual({ nvmrc: target, engines: target });
  expect(runtime).toBeGreaterThanOrEqual(target);
});
