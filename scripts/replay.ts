// npm run replay -- <archive file | directory | s3://bucket/prefix>
// Re-drives archived callback requests through parse → normalize → the configured sinks
// (CALLBACK_SINKS and the adapters' variables, as deployed, with the secrets CALLBACK_SECRETS
// names read as the handlers read them). Prints one line per record and
// a summary; exits 1 when any record was not delivered.
import { loadDeps } from '../lib/receiver-deps';
import { replayArchive, replaySummary, type ReplayOutcome } from '../lib/replay/replay';

async function main(args: string[]): Promise<number> {
  if (args.length === 0 || args.includes('--help')) {
    console.error('usage: npm run replay -- <archive file | directory | s3://bucket/prefix> [...]');
    return 2;
  }
  const deps = await loadDeps();
  console.log(`replaying to sinks: ${deps.sinks.map((s) => s.name).join(', ')}`);
  const outcomes: ReplayOutcome[] = [];
  for (const source of args) outcomes.push(...(await replayArchive(source, deps, (o) => console.log(line(o)))));
  console.log(replaySummary(outcomes));
  return outcomes.some((o) => o.status !== 200) ? 1 : 0;
}

function line(o: ReplayOutcome): string {
  const leftOut = (o.leftOut ?? []).map((l) => ` (left out of ${l.sink}: ${l.id}: ${l.reason})`).join('');
  const what = o.status === 200 ? (o.ids.join(',') || '(no events)') + leftOut : `${o.code}: ${o.message}`;
  return `${o.key}\t${o.status ?? '-'}\t${what}`;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`replay failed: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  },
);
