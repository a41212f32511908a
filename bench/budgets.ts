import type { ColdStart } from './cold-start';
import type { SecretsColdStart } from './cold-start-secrets';
import type { InProcessRow } from './in-process';
import type { RoundTrip } from './round-trip';
import type { DevServerLoad } from './throughput';

export interface Budget {
  name: string;
  value: number;
  limit: number;
  pass: boolean;
  unit: string;
}

const check = (name: string, value: number, limit: number, unit = '×'): Budget => ({ name, value, limit, pass: value <= limit, unit });

/** JSON bodies this small are parsed in a few µs: a fixed ~5 µs of request handling weighs more on them. */
const SMALL_JSON_BYTES = 4 * 1024;
/**
 * Wall time per callback, in round trips (see RoundTrip.roundTripMs), for the default deploy
 * (CALLBACK_ARCHIVE=unforwarded with its bucket); the other variants are A/B information.
 */
const ROUND_TRIP_LIMITS: Array<[RegExp, number]> = [
  [/^1 job, CALLBACK_ARCHIVE=unforwarded$/, 1.3],
  [/^1 job, CALLBACK_VERIFY=ci/, 2.3],
  [/^50 jobs, CALLBACK_ARCHIVE=unforwarded$/, 1.5],
];

/** The budgets of the performance issues, each one line of PASS or FAIL. */
export function evaluate(results: {
  inProcess: InProcessRow[];
  coldStart: Record<string, ColdStart>;
  secretsColdStart: SecretsColdStart[];
  zipBytes: Record<string, number>;
  roundTrip: RoundTrip;
  devServer: DevServerLoad;
  memory: { peakRssMb: number; memorySizeMb: number };
}): Budget[] {
  const budgets: Budget[] = [];
  for (const row of results.inProcess) {
    const smallJson = row.format === 'json' && row.bodyBytes < SMALL_JSON_BYTES;
    budgets.push(check(`handler overhead ${row.sample}`, row.handler.ratio, smallJson ? 1.4 : 1.15));
    budgets.push(check(`parse+normalize ${row.sample} vs ${row.format === 'xml' ? 'xml2js' : 'JSON.parse'}`, row.parse.ratio, row.format === 'xml' ? 1.5 : 10));
  }
  // Linear cost: per token, the large job may cost at most 1.5× what the seed sample costs per token.
  const SEED_TOKENS = 5;
  for (const format of ['xml', 'json'] as const) {
    const seed = results.inProcess.find((r) => r.sample.startsWith('task-words-') && r.format === format);
    const large = results.inProcess.find((r) => r.sample.startsWith('generated-job-') && r.format === format);
    if (!seed || !large?.units) continue;
    const perToken = large.parse.subjectMicros / large.units / (seed.parse.subjectMicros / SEED_TOKENS);
    budgets.push(check(`linear cost ${format}: per token, ${large.units}-token job vs seed`, perToken, 1.5));
  }
  for (const [name, cold] of Object.entries(results.coldStart)) {
    const limit = name.includes('default deploy') ? 1.1 : name.includes('sqs') ? 1.15 : 1.35;
    budgets.push(check(`cold start ${name}`, cold.ratio, limit));
  }
  // The same budget for the default deploy with the token read from SSM, against the SDK clients alone making the same four calls.
  for (const secrets of results.secretsColdStart) {
    if (secrets.floor) budgets.push(check(`cold start taskCallback, default deploy, secrets=ssm (vs the four bundled SDK clients alone)`, secrets.floor.ratio, 1.1));
  }
  for (const [name, bytes] of Object.entries(results.zipBytes)) budgets.push(check(`zip size ${name}`, bytes / 1024, 300, 'KB'));
  const { roundTripMs, delayMs } = results.roundTrip;
  for (const row of results.roundTrip.rows) {
    const limit = ROUND_TRIP_LIMITS.find(([pattern]) => pattern.test(row.name))?.[1];
    if (limit === undefined) continue;
    budgets.push(check(`wall time ${row.name} (D = ${delayMs} ms)`, row.ms / roundTripMs, limit, '× one round trip'));
  }
  const load = results.devServer;
  budgets.push(check('dev server under load: errors and non-2xx', load.errors + load.non2xx, 0, ''));
  budgets.push(check('dev server under load: accepted ids missing from the sink', load.lost, 0, ''));
  budgets.push(check('dev server under load: ids stored twice', load.stored - load.storedIds, 0, ''));
  // Node itself and the Lambda runtime need room beside the callback: at most 75% of memorySize.
  budgets.push(check(`peak RSS for a 1 MiB callback (memorySize ${results.memory.memorySizeMb} MB)`, results.memory.peakRssMb, results.memory.memorySizeMb * 0.75, 'MB'));
  return budgets;
}
