import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { eventOfSampleFile, README_EXAMPLE } from '../scripts/contract-examples';

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const scripts = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts);

/** Every file of lib/ and scripts/, to find the environment variables the code reads. */
function sourceText(dir: string): string {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.(ts|mjs)$/.test(d.name))
    .map((d) => readFileSync(join(d.parentPath, d.name), 'utf8'))
    .join('\n');
}

describe('the README stays true', () => {
  test('every npm script it names exists', () => {
    const named = [...readme.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((name) => !scripts.includes(name))).toEqual([]);
  });

  test('every repository path it names exists', () => {
    const paths = [...readme.matchAll(/`((?:events|examples|lib|schema|sql|deploy|scripts|tests|bench|handlers)\/[\w./-]+)`/g)].map((m) => m[1]);
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.filter((path) => !existsSync(join(root, path.replace(/\/$/, ''))))).toEqual([]);
  });

  // Every field an example shows has the value its sample produces; a field a later minor version
  // adds does not make the README wrong, and `npm run examples` shows it.
  test('each example event shows what its sample produces', () => {
    const examples = [...readme.matchAll(README_EXAMPLE)];
    expect(examples.length).toBe(3);
    for (const [, , path, json] of examples) {
      expect(eventOfSampleFile(root, path)).toMatchObject(JSON.parse(json));
    }
  });

  test('the configuration table lists every variable the code reads, and only those', () => {
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Adapters'));
    const documented = new Set([...table.matchAll(/^\| `([A-Z_]+)`(?:, `(_?[A-Z_]+)`)?(?:, `(_[A-Z_]+)`)?/gm)].flatMap((m) => m.slice(1).filter(Boolean)));
    const code = sourceText('lib') + sourceText('scripts');
    const read = new Set([...code.matchAll(/env\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]));
    // Set by Lambda or by the build, not by the user.
    for (const internal of ['AWS_LAMBDA_FUNCTION_NAME', 'IS_LOCAL', 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_LOG_LEVEL']) read.delete(internal);
    for (const name of [...read]) if (name.startsWith('RECEIVER_BUNDLE_')) read.delete(name);
    expect([...read].filter((name) => !documented.has(name))).toEqual([]);
    const readAnywhere = (name: string) => code.includes(name) || name.startsWith('AWS_') || name.startsWith('_');
    expect([...documented].filter((name) => !readAnywhere(name))).toEqual([]);
  });
});
