import type { Budget } from './budgets';
import type { ColdStart } from './cold-start';
import type { SecretsColdStart } from './cold-start-secrets';
import type { InProcessRow } from './in-process';
import type { Paired } from './measure';
import type { CostLine } from './cost';
import { FLOOR, type RoundTrip } from './round-trip';
import type { DevServerLoad } from './throughput';

const f = (n: number, digits = 1) => n.toFixed(digits);
const pad = (s: string, n: number) => s.padEnd(n);

/** The console table: figures with their same-run baselines and ratios, then one line per budget. */
export function formatReport(r: {
  inProcess: InProcessRow[];
  verified: Paired;
  coldStart: Record<string, ColdStart>;
  informational: Record<string, ColdStart>;
  secretsColdStart: SecretsColdStart[];
  zipBytes: Record<string, number>;
  memory: { peakRssMb: number; memorySizeMb: number; bodyBytes: number };
  roundTrip: RoundTrip;
  cost: Record<string, CostLine[]>;
  devServer: DevServerLoad;
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
  lines.push('cold start with secrets=ssm:/… (the token from SSM Parameter Store, one GetParameters), each stage against itself without the option:');
  for (const c of r.secretsColdStart) {
    const floor = c.floor ? `; vs the four SDK clients alone ${f(c.floor.ms)} ms: ${f(c.floor.ratio, 2)}×` : '';
    lines.push(
      `  ${pad(`sinks ${c.sinks}`, 54)} ${f(c.withSsmMs)} ms vs ${f(c.plainMs)} ms without: +${f(c.addedMs)} ms (median of paired runs), bundle +${f((c.bundleBytes.withSsm - c.bundleBytes.plain) / 1024, 0)} KB${floor}`,
    );
  }
  for (const [name, bytes] of Object.entries(r.zipBytes)) lines.push(`zip ${pad(name, 52)} ${f(bytes / 1024)} KB`);
  lines.push(`memory: peak RSS ${f(r.memory.peakRssMb)} MB for a ${f(r.memory.bodyBytes / 1024)} KB callback (memorySize ${r.memory.memorySizeMb} MB)`);
  const rt = r.roundTrip;
  lines.push('', `1. one round trip: wall time per callback, D = ${rt.delayMs} ms added to every call (medians, variants interleaved)`);
  lines.push(`one round trip on this machine (${FLOOR}): ${f(rt.roundTripMs)} ms = ${f(rt.roundTripMs / rt.delayMs, 2)} D`);
  for (const row of rt.rows) {
    const c = row.calls;
    lines.push(
      `${pad(row.name, 58)} ${pad(f(row.ms) + ' ms', 10)} ${pad(f(row.ms / rt.roundTripMs, 2) + '× round trip', 16)} ${pad(f(row.perD, 2) + ' D', 8)} cpu ${pad(f(row.cpuMs) + ' ms', 8)} calls S3 ${c.s3}, SQS ${c.sqs}, DynamoDB ${c.dynamodb}, CI ${c.ci}; log ${row.logBytes} B`,
    );
  }
  const row = (prefix: string) => rt.rows.find((x) => x.name.startsWith(prefix));
  const fifty = row('50 jobs, CALLBACK_ARCHIVE=unforwarded');
  const fiftyFloor = row('floor, 50 jobs');
  if (fifty && fiftyFloor) {
    lines.push(`50 jobs against the 50-job floor (the bare SDK making the same calls at once, same rounds): ${f(fifty.ms / fiftyFloor.ms, 2)}×`);
  }
  for (const [name, costLines] of Object.entries(r.cost)) {
    lines.push('', `cost per million one-job callbacks, ${name}`);
    for (const c of costLines) lines.push(`  ${pad(c.component, 18)} $${pad(f(c.perMillion, 2), 8)} ${c.basis}`);
  }
  const d = r.devServer;
  lines.push('', '4. the dev server under load (autocannon, 10 connections, XML job sample, a new JobId per request; information)');
  lines.push(`${f(d.requestsPerSecond, 0)} req/s, p50 ${d.p50Ms} ms, p99 ${d.p99Ms} ms, errors ${d.errors}, non-2xx ${d.non2xx}`);
  lines.push(
    `${d.accepted} accepted (${d.acceptedIds} ids), ${d.stored} stored (${d.storedIds} distinct ids): ${d.lost} accepted ids missing; ` +
      `${d.answeredAfterStop} stored ids answered after autocannon stopped counting (distinct callbacks, not copies)`,
  );
  lines.push('', 'what each change bought (A/B in this run: both sides measured in the same rounds)');
  for (const ab of abLines(r)) lines.push(`  ${ab}`);
  lines.push('', 'budgets');
  for (const b of r.budgets) lines.push(`${b.pass ? 'PASS' : 'FAIL'}  ${pad(b.name, 70)} ${f(b.value, 2)} (limit ${f(b.limit, 2)}${b.unit ? ' ' + b.unit : ''})`);
  return lines.join('\n');
}

/** Each change of the performance issues against what it replaced, from this run's own figures. */
function abLines(r: Parameters<typeof formatReport>[0]): string[] {
  const rt = r.roundTrip;
  const row = (prefix: string) => rt.rows.find((x) => x.name.startsWith(prefix));
  const trips = (x: { ms: number }) => `${f(x.ms / rt.roundTripMs, 2)} round trips (${f(x.ms)} ms)`;
  const lines: string[] = [];
  const before = row('1 job, archive then sinks');
  const always = row('1 job, CALLBACK_ARCHIVE=always');
  const unforwarded = row('1 job, CALLBACK_ARCHIVE=unforwarded');
  if (before && always) lines.push(`archive alongside forwarding: one-job callback ${trips(before)} -> ${trips(always)}`);
  const total = (name: string) => r.cost[name]?.find((c) => c.component === 'total')?.perMillion;
  if (always && unforwarded) {
    const [a, u] = [total(always.name), total(unforwarded.name)];
    const money = a !== undefined && u !== undefined ? `, $${f(a, 2)} -> $${f(u, 2)} per million` : '';
    lines.push(`CALLBACK_ARCHIVE=unforwarded instead of always: ${trips(always)} -> ${trips(unforwarded)}${money}`);
  }
  const puts16 = row('50 jobs, CALLBACK_ARCHIVE=unforwarded, DynamoDB puts');
  const fifty = rt.rows.find((x) => x.name === '50 jobs, CALLBACK_ARCHIVE=unforwarded');
  if (puts16 && fifty) lines.push(`DynamoDB puts 50 at a time instead of 16: 50-job callback ${trips(puts16)} -> ${trips(fifty)}`);
  const verified = row('1 job, CALLBACK_VERIFY=ci');
  if (verified && unforwarded) lines.push(`CALLBACK_VERIFY=ci (CI's answer, then the sinks): ${trips(unforwarded)} -> ${trips(verified)}`);
  for (const c of r.secretsColdStart) lines.push(`secrets=ssm:/… on the ${c.sinks} stage: cold start ${f(c.plainMs)} -> ${f(c.withSsmMs)} ms (+${f(c.addedMs)} ms)`);
  return lines;
}
