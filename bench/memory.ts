import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Peak RSS (MB) of a fresh process that loads `bundle` and handles `event` once. */
export function peakRssMb(bundle: string, exportName: string, event: unknown, env: NodeJS.ProcessEnv): number {
  const dir = mkdtempSync(join(tmpdir(), 'memory-'));
  const eventFile = join(dir, 'event.json');
  writeFileSync(eventFile, JSON.stringify(event));
  const script =
    `const event = JSON.parse(require('fs').readFileSync(${JSON.stringify(eventFile)}, 'utf8'));\n` +
    `require(${JSON.stringify(bundle)})[${JSON.stringify(exportName)}](event, { awsRequestId: 'memory' }).then((res) => {\n` +
    `  if (res.statusCode !== 200) { console.error(res.body); process.exit(3); }\n` +
    `  process.stderr.write('maxrss ' + process.resourceUsage().maxRSS + '\\n');\n});\n`;
  const run = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  rmSync(dir, { recursive: true, force: true });
  const match = /maxrss (\d+)/.exec(run.stderr.toString());
  if (run.status !== 0 || !match) throw new Error(`memory run failed: ${run.stderr.toString().slice(0, 400)}`);
  return Number(match[1]) / 1024;
}
