import type { Budget } from './budgets';
import type { ColdStart } from './cold-start';
import type { InProcessRow } from './in-process';
import type { Paired } from './measure';

const f = (n: number, digits = 1) => n.toFixed(digits);
const pad = (s: string, n: number) => s.padEnd(n);

/** The console table: figures with their same-run baselines and ratios, then one line per budget. */
export function formatReport(r: {
  inProcess: InProcessRow[];
  verified: Paired;
  coldStart: Record<string, ColdStart>;
  informational: Record<string, ColdStart>;
  zipBytes: Record<string, number>;
  memory: { peakRssMb: number; memorySizeMb: number; bodyBytes: number };
  throughput: {
    ceiling: { requestsPerSecond: number; p50Ms: number; p99Ms: number; errors: number };
    handled: { requestsPerSecond: number; p50Ms: number; p99Ms: number; errors: number; non2xx: number; accepted: number };
    stored: number;
    expected: number;
    ratio: number;
  };
  budgets: Budget[];
}): string {
  const lines: string[] = [];
  lines.push('1-2. in process (µs per callback, medians; ratios are medians of per-round ratios)');
  lines.push(`${pad('sample', 42)} ${pad('parse+norm', 11)} ${pad('baseline', 10)} ${pad('ratio', 6)} ${pad('handler', 10)} ratio`);
  for (const row of r.inProcess) {
    lines.push(
      `${pad(row.sample, 42)} ${pad(f(row.parse.subjectMicros), 11)} ${pad(f(row.parse.baselineMicros), 10)} ${pad(f(row.parse.ratio, 2), 6)} ${pad(f(row.handler.subjectMicros), 10)} ${f(row.handler.ratio, 2)}`,
    );
  }
  lines.push(`   baseline: xml2js.parseStringPromise (XML) or JSON.parse (JSON); handler ratio is against parse+normalize`);
  lines.push(`verified path: ${f(r.verified.subjectMicros)} µs vs ${f(r.verified.baselineMicros)} µs unverified: +${f(r.verified.subjectMicros - r.verified.baselineMicros)} µs per callback (local fake CI)`);
  lines.push('', '3. cold start (fresh node: load the packaged bundle, handle one event), medians');
  for (const [name, c] of Object.entries({ ...r.coldStart, ...r.informational })) {
    lines.push(`${pad(name, 56)} ${f(c.ms)} ms vs ${f(c.baselineMs)} ms baseline: ${f(c.ratio, 2)}×, +${f(c.addedMs)} ms`);
  }
  for (const [name, bytes] of Object.entries(r.zipBytes)) lines.push(`zip ${pad(name, 52)} ${f(bytes / 1024)} KB`);
  lines.push(`memory: peak RSS ${f(r.memory.peakRssMb)} MB for a ${f(r.memory.bodyBytes / 1024)} KB callback (memorySize ${r.memory.memorySizeMb} MB)`);
  const t = r.throughput;
  lines.push('', '4. throughput (autocannon, 10 connections, XML job sample)');
  lines.push(`bare HTTP ceiling: ${f(t.ceiling.requestsPerSecond, 0)} req/s, p50 ${t.ceiling.p50Ms} ms, p99 ${t.ceiling.p99Ms} ms, errors ${t.ceiling.errors}`);
  lines.push(`receiver:          ${f(t.handled.requestsPerSecond, 0)} req/s, p50 ${t.handled.p50Ms} ms, p99 ${t.handled.p99Ms} ms, errors ${t.handled.errors}, non-2xx ${t.handled.non2xx}; ratio ${f(t.ratio, 2)}`);
  lines.push(`events: ${t.stored} stored for ${t.handled.accepted} accepted requests (expected ${t.expected})`);
  lines.push('', 'budgets');
  for (const b of r.budgets) lines.push(`${b.pass ? 'PASS' : 'FAIL'}  ${pad(b.name, 70)} ${f(b.value, 2)} (limit ${f(b.limit, 2)}${b.unit ? ' ' + b.unit : ''})`);
  return lines.join('\n');
}
