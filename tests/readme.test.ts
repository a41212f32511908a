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
    // From its heading to the next one: the table and its notes.
    const start = readme.indexOf('\n## Configuration\n');
    const table = readme.slice(start, readme.indexOf('\n#', start + 1));
    expect(table).toContain('| variable | default | meaning | deploy param |');
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

  test('every link to a section names a heading, and the contents line lists every section', () => {
    const headings = headingSlugs(readme);
    const links = [...readme.matchAll(/\]\(#([^)\s]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(20);
    expect(links.filter((anchor) => !headings.has(anchor))).toEqual([]);
    const contents = /^\*\*Contents:\*\*[\s\S]*?\n\n/m.exec(readme)?.[0] ?? '';
    const sections = [...withoutCode(readme).matchAll(/^## (.+)$/gm)].map((m) => slug(m[1]));
    expect(sections.filter((section) => !contents.includes(`](#${section})`))).toEqual([]);
  });
});

/** Markdown without its fenced code blocks, where a `#` line is a shell comment, not a heading. */
function withoutCode(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '');
}

/** GitHub's anchor for a heading: lower case, markup and punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/`/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every heading's anchor; a repeated heading gets `-1`, `-2`, … as on GitHub. */
function headingSlugs(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const slugs = new Set<string>();
  for (const [, text] of withoutCode(markdown).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(text);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    slugs.add(count === 0 ? base : `${base}-${count}`);
  }
  return slugs;
}
