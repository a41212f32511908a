/** Timing helpers: medians over rounds, with subject and baseline interleaved in every round. */

export interface Paired {
  subjectMicros: number;
  baselineMicros: number;
  /** Median of the per-round ratios: noise from the shared machine hits both sides of a round alike. */
  ratio: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function timeBatch(fn: () => unknown, batch: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < batch; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1000 / batch;
}

/** Picks a batch size that makes one batch last about `targetMs`, so timer resolution does not matter. */
async function batchSize(fn: () => unknown, targetMs: number): Promise<number> {
  const once = await timeBatch(fn, 3);
  return Math.max(1, Math.min(10_000, Math.round((targetMs * 1000) / Math.max(once, 0.01))));
}

export async function paired(
  subject: () => unknown,
  baseline: () => unknown,
  { rounds = 15, warmup = 3, targetMs = 20 } = {},
): Promise<Paired> {
  const subjectBatch = await batchSize(subject, targetMs);
  const baselineBatch = await batchSize(baseline, targetMs);
  for (let i = 0; i < warmup; i++) {
    await timeBatch(subject, subjectBatch);
    await timeBatch(baseline, baselineBatch);
  }
  const s: number[] = [];
  const b: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const sv = await timeBatch(subject, subjectBatch);
    const bv = await timeBatch(baseline, baselineBatch);
    s.push(sv);
    b.push(bv);
    r.push(sv / bv);
  }
  return { subjectMicros: median(s), baselineMicros: median(b), ratio: median(r) };
}
