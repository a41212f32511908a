import { mkdtempSync, readFileSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handler as taskCallback } from '../handlers/task-callback';
import { handler as workflowCallback } from '../handlers/workflow-callback';
import type { CallbackEvent } from '../lib/events';
import { CORPUS_ENV, HOSTILE_CASES } from './hostile/cases';

// Not a benchmark: a bound far above any real run (and far below the Lambda's 10 s timeout),
// so that a case that hangs or backtracks catastrophically fails instead of passing slowly.
const HANG_BOUND_MS = 2000;
const REFUSED_BEFORE_ARCHIVE = ['unauthorized', 'forbidden_source', 'method_not_allowed'];
const PROTOTYPES = { Object: Object.prototype, Array: Array.prototype, Function: Function.prototype, String: String.prototype };
type Descriptors = Record<string, Map<PropertyKey, PropertyDescriptor>>;

const dir = mkdtempSync(join(tmpdir(), 'hostile-'));
const sinkFile = join(dir, 'events.jsonl');
const archiveDir = join(dir, 'raw');
const savedEnv = { ...process.env };
const prototypesBefore = prototypeDescriptors();

beforeAll(() => {
  // The deployed handlers build their dependencies from the environment on their first request.
  Object.assign(process.env, CORPUS_ENV, { CALLBACK_SINKS: 'file', CALLBACK_FILE: sinkFile, CALLBACK_ARCHIVE_DIR: archiveDir });
});

afterAll(() => {
  process.env = savedEnv;
  rmSync(dir, { recursive: true, force: true });
});

test('the corpus holds at least 40 cases with distinct names', () => {
  expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(40);
  expect(new Set(HOSTILE_CASES.map((c) => c.name)).size).toBe(HOSTILE_CASES.length);
});

describe.each([
  ['taskCallback', taskCallback],
  ['workflowCallback', workflowCallback],
])('%s', (functionName, handler) => {
  test.each(HOSTILE_CASES.map((c) => [c.name, c] as const))('%s', async (_, hostile) => {
    const event = hostile.event();
    const archivesBefore = new Set(archiveFiles());
    // The file sink stores an id once: each case starts from an empty file to see what it stored.
    rmSync(sinkFile, { force: true });

    const started = performance.now();
    const res = await handler(event);
    expect(performance.now() - started).toBeLessThan(HANG_BOUND_MS);

    const body = JSON.parse(res.body ?? '');
    expect([res.statusCode, body.error?.code]).toEqual([hostile.status, hostile.code]);
    expect(res.body).not.toMatch(/\n\s+at |\.ts:\d+/);

    const archived = archiveFiles().filter((f) => !archivesBefore.has(f));
    if (REFUSED_BEFORE_ARCHIVE.includes(hostile.code ?? '')) {
      expect(archived).toEqual([]);
    } else {
      expect(archived).toHaveLength(1);
      const record = JSON.parse(readFileSync(archived[0], 'utf8'));
      expect(record).toMatchObject({ functionName, isBase64Encoded: Boolean(event.isBase64Encoded), query: {} });
      expect(record.body === (event.body ?? '')).toBe(true);
    }

    const stored = storedEvents();
    if (hostile.status === 200) {
      expect(body.ids).toEqual(stored.map((e) => e.id));
      hostile.inspect?.(stored);
    } else {
      expect(stored).toEqual([]);
    }
  });
});

test('after the whole corpus, no built-in prototype has changed', () => {
  expect(prototypeChanges(prototypesBefore, prototypeDescriptors())).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

function prototypeDescriptors(): Descriptors {
  return Object.fromEntries(
    Object.entries(PROTOTYPES).map(([name, proto]) => [name, new Map(Reflect.ownKeys(proto).map((k) => [k, Reflect.getOwnPropertyDescriptor(proto, k)!]))]),
  );
}

/** `Object.prototype.polluted`-style names of every property added, removed or replaced. */
function prototypeChanges(before: Descriptors, after: Descriptors): string[] {
  return Object.keys(PROTOTYPES).flatMap((name) => {
    const keys = new Set([...before[name].keys(), ...after[name].keys()]);
    return [...keys]
      .filter((key) => {
        const [b, a] = [before[name].get(key), after[name].get(key)];
        return !b || !a || !Object.is(b.value, a.value) || !Object.is(b.get, a.get) || !Object.is(b.set, a.set) || b.writable !== a.writable;
      })
      .map((key) => `${name}.prototype.${String(key)}`);
  });
}

function archiveFiles(): string[] {
  if (!existsSync(archiveDir)) return [];
  return readdirSync(archiveDir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

function storedEvents(): CallbackEvent[] {
  if (!existsSync(sinkFile)) return [];
  return readFileSync(sinkFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}
