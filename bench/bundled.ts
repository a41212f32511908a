import { buildSync } from 'esbuild';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/**
 * Loads a bench module bundled by esbuild (dependencies external), so that the in-process
 * figures measure the code as Lambda runs it: one bundle, not one transpiled module per file.
 */
export function loadBundled<T>(entry: string): T {
  const outfile = join(ROOT, 'node_modules', '.cache', 'bench', entry.replace(/[/.]/g, '-') + '.cjs');
  buildSync({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    outfile,
    logLevel: 'error',
  });
  return require(outfile) as T;
}
