import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCallback } from '../lib';

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

  test('each example event is exactly what its sample produces', () => {
    const examples = [...readme.matchAll(/<!-- example: ([\w./-]+) -->\n```json\n([\s\S]*?)\n```/g)];
    expect(examples.length).toBe(3);
    for (const [, path, json] of examples) {
      const event = JSON.parse(readFileSync(join(root, path), 'utf8'));
      expect(JSON.parse(json)).toEqual(parseCallback(event.body)[0]);
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
