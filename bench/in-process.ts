import { parseStringPromise } from 'xml2js';
import type { RawArchive } from '../lib/archive/archive';
import { createCallbackHandler } from '../lib/callback-handler';
import { loadConfig } from '../lib/config';
import type { CallbackEvent } from '../lib/events';
import { normalizeCallback } from '../lib/normalize/callback';
import { parseBody } from '../lib/parse/body';
import { createDeps } from '../lib/receiver-deps';
import type { EventSink } from '../lib/sinks/sink';
import { paired, type Paired } from './measure';
import type { BenchSample } from './samples';

export interface InProcessRow {
  sample: string;
  format: 'xml' | 'json';
  units?: number;
  /** Part 1: parse + normalize against xml2js.parseStringPromise (XML) or JSON.parse (JSON). */
  parse: Paired;
  /** Part 2: the whole handler (in-memory sink and archive) against part 1's parse + normalize. */
  handler: Paired;
}

const parseAndNormalize = (body: string) => normalizeCallback(parseBody(body).tree).events;

/** A sink and an archive that only keep what they are given: the bench measures our code, not a disk. */
export function inMemoryDeps() {
  const stored: CallbackEvent[] = [];
  const sink: EventSink = { name: 'memory', send: async (events) => void stored.push(...events) };
  const archive: RawArchive = { name: 'memory', put: async (record) => (stored.length, record.requestId) };
  const deps = { ...createDeps(loadConfig({ CALLBACK_SINKS: 'log' })), sinks: [sink], archive };
  return { deps, stored };
}

export async function measureInProcess(samples: BenchSample[], options: { rounds: number }): Promise<InProcessRow[]> {
  const { deps } = inMemoryDeps();
  const handler = createCallbackHandler('bench', () => deps);
  const rows: InProcessRow[] = [];
  for (const sample of samples) {
    const baseline = sample.format === 'xml' ? () => parseStringPromise(sample.body) : () => JSON.parse(sample.body);
    const parse = await paired(() => parseAndNormalize(sample.body), baseline, options);
    const handlerRun = await paired(() => handler(sample.event), () => parseAndNormalize(sample.body), options);
    rows.push({ sample: sample.name, format: sample.format, units: sample.units, parse, handler: handlerRun });
  }
  return rows;
}
