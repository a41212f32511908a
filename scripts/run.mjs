// Runs a TypeScript script of this project: bundles it with the project's esbuild (dependencies
// stay external) into node_modules/.cache and runs it with the remaining arguments.
//   node scripts/run.mjs scripts/replay.ts [args...]
import { buildSync } from 'esbuild';
import { createRequire } from 'node:module';
import path from 'node:path';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run.mjs <script.ts> [args...]');
  process.exit(2);
}
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outfile = path.join(root, 'node_modules', '.cache', 'run', `${path.basename(entry, '.ts')}.cjs`);
buildSync({
  entryPoints: [path.resolve(entry)],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: 'inline',
  outfile,
  logLevel: 'error',
});
process.argv = [process.argv[0], path.resolve(entry), ...args];
createRequire(import.meta.url)(outfile);
