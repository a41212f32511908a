import { parseStringPromise } from 'xml2js';
import type { RawArchive } from '../lib/archive/archive';
import { createCallbackHandler } from '../lib/callback-handler';
import { loadConfig } from '../lib/config';
import { normalizeCallback } from '../lib/normalize/callback';
import { parseBody } from '../lib/parse/body';
import { createDeps } from '../lib/receiver-deps';
import type { EventSink } from '../lib/sinks/sink';
import { paired, type Paired } from './measure';
import type { BenchSample } from './samples';

export interface InProcessRow {
  sample: string;
  format: 'xml' | 'json';
  bodyBytes: number;
  units?: number;
  /** Part 1: parse + normalize against xml2js.parseStringPromise (XML) or JSON.parse (JSON). */
  parse: Paired;
  /** Part 2: the whole handler (in-memory sink and archive) against part 1's parse + normalize. */
  handler: Paired;
}

const parseAndNormalize = (body: string) => normalizeCallback(parseBody(body)).events;

/**
 * A sink and an archive that only count what they are given: the bench measures our code, not
 * a disk, and keeping millions of events would measure the garbage collector instead.
 */
export function inMemoryDeps() {
  const counts = { events: 0, archived: 0 };
  const sink: EventSink = { name: 'memory', send: async (events) => void (counts.events += events.length) };
  const archive: RawArchive = { name: 'memory', put: async (record) => (counts.archived++, record.requestId) };
  const deps = { ...createDeps(loadConfig({ CALLBACK_SINKS: 'log' })), sinks: [sink], archive };
  return { deps, counts };
}

export async function measureInProcess(samples: BenchSample[], options: { rounds: number }): Promise<InProcessRow[]> {
  const { deps } = inMemoryDeps();
  const handler = createCallbackHandler('bench', () => deps);
  // Every code path hot before the first figure: the first sample measured would otherwise pay
  // for optimizing the code that all samples share.
  for (let pass = 0; pass < 3; pass++) {
    for (const sample of samples) {
      const runs = sample.units ? 2 : 200;
      for (let i = 0; i < runs; i++) {
        parseAndNormalize(sample.body);
        await handler(sample.event);
      }
    }
  }
  const rows: InProcessRow[] = [];
  for (const sample of samples) {
    const baseline = sample.format === 'xml' ? () => parseStringPromise(sample.body) : () => JSON.parse(sample.body);
    const parse = await paired(() => parseAndNormalize(sample.body), baseline, options);
    const handlerRun = await paired(() => handler(sample.event), () => parseAndNormalize(sample.body), options);
    rows.push({ sample: sample.name, format: sample.format, bodyBytes: Buffer.byteLength(sample.body), units: sample.units, parse, handler: handlerRun });
  }
  return rows;
}
