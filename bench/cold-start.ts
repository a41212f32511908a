import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './measure';

export interface ColdStart {
  ms: number;
  baselineMs: number;
  ratio: number;
  /** What our code adds to a start, in ms: what a Lambda cold start pays, whatever the baseline. */
  addedMs: number;
}

function wallMs(args: string[], env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr.toString().slice(0, 400)}`);
  return ms;
}

/**
 * A fresh node process that loads `moduleFile`, calls its `exportName` with `event` once and exits,
 * against a fresh node process running `baseline` (a script file, or `-e 0`). Pairs alternate so
 * that machine noise hits both sides alike; the ratio is the median of the per-pair ratios.
 */
export function measureColdStart(options: {
  moduleFile: string;
  exportName: string;
  event: unknown;
  env: NodeJS.ProcessEnv;
  baseline?: string[];
  runs?: number;
}): ColdStart {
  const dir = mkdtempSync(join(tmpdir(), 'cold-'));
  const eventFile = join(dir, 'event.json');
  writeFileSync(eventFile, JSON.stringify(options.event));
  const runner = join(dir, 'invoke-once.js');
  writeFileSync(
    runner,
    `const r = require(${JSON.stringify(options.moduleFile)})[${JSON.stringify(options.exportName)}](` +
      `JSON.parse(require('fs').readFileSync(${JSON.stringify(eventFile)}, 'utf8')), { awsRequestId: 'cold-start' });\n` +
      `Promise.resolve(r).then((res) => { if (res && res.statusCode >= 400) { console.error(res.body); process.exit(3); } });\n`,
  );
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  // An undefined value unsets a variable (NODE_EXTRA_CA_CERTS, say) for both processes.
  for (const [key, value] of Object.entries(options.env)) if (value === undefined) delete env[key];
  try {
    return measurePairs([runner], options.baseline ?? ['-e', '0'], env, options.runs ?? 20);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function measurePairs(runner: string[], baseline: string[], env: NodeJS.ProcessEnv, runs: number): ColdStart {
  for (let i = 0; i < 3; i++) {
    wallMs(runner, env);
    wallMs(baseline, env);
  }
  const subject: number[] = [];
  const base: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = wallMs(runner, env);
    const b = wallMs(baseline, env);
    subject.push(s);
    base.push(b);
    ratios.push(s / b);
  }
  return { ms: median(subject), baselineMs: median(base), ratio: median(ratios), addedMs: median(subject) - median(base) };
}
