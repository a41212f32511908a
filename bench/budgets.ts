import type { ColdStart } from './cold-start';
import type { InProcessRow } from './in-process';

export interface Budget {
  name: string;
  value: number;
  limit: number;
  pass: boolean;
  unit: string;
}

const check = (name: string, value: number, limit: number, unit = '×'): Budget => ({ name, value, limit, pass: value <= limit, unit });

/** The budgets of the performance issue, each one line of PASS or FAIL. */
export function evaluate(results: {
  inProcess: InProcessRow[];
  coldStart: Record<string, ColdStart>;
  zipBytes: Record<string, number>;
  throughput: { ratio: number; errors: number; lost: number };
  memory: { peakRssMb: number; memorySizeMb: number };
}): Budget[] {
  const budgets: Budget[] = [];
  for (const row of results.inProcess) {
    budgets.push(check(`handler overhead ${row.sample}`, row.handler.ratio, 1.3));
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
    budgets.push(check(`cold start ${name}`, cold.ratio, name.includes('sqs') ? 1.15 : 1.35));
  }
  for (const [name, bytes] of Object.entries(results.zipBytes)) budgets.push(check(`zip size ${name}`, bytes / 1024, 300, 'KB'));
  budgets.push({ name: 'throughput vs bare HTTP ceiling', value: results.throughput.ratio, limit: 0.5, pass: results.throughput.ratio >= 0.5, unit: '× (at least)' });
  budgets.push(check('throughput errors', results.throughput.errors, 0, ''));
  budgets.push(check('events lost under load', results.throughput.lost, 0, ''));
  // Node itself and the Lambda runtime need room beside the callback: at most 75% of memorySize.
  budgets.push(check(`peak RSS for a 1 MiB callback (memorySize ${results.memory.memorySizeMb} MB)`, results.memory.peakRssMb, results.memory.memorySizeMb * 0.75, 'MB'));
  return budgets;
}
