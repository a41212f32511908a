// Runs a TypeScript script of this project without a build step: each .ts file is transpiled
// by the project's esbuild as Node loads it, so paths and __dirname stay those of the source.
//   node scripts/run.mjs scripts/replay.ts [args...]
import { transformSync } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run.mjs <script.ts> [args...]');
  process.exit(2);
}
const require = createRequire(import.meta.url);
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    loader: 'ts',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    sourcefile: filename,
  });
  module._compile(code, filename);
};
const file = path.resolve(entry);
process.argv = [process.argv[0], file, ...args];
require(file);
