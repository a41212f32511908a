// The load target in its own process, so the load generator does not share its event loop:
// the handlers behind the dev server (scripts/dev-server.ts), sinks from the env.
// Tells the parent its port over IPC.
import { createCallbackHandler } from '../lib/callback-handler';
import { createDeps } from '../lib/receiver-deps';
import { startDevServer } from '../scripts/dev-server';

async function main(): Promise<number> {
  const deps = createDeps();
  const handler = createCallbackHandler('taskCallback', () => deps);
  const dev = await startDevServer({ port: 0, routes: { '/taskCallback': handler } });
  return Number(new URL(dev.origin).port);
}

// The bench disconnects (or dies): stop with it, through a normal exit.
process.on('disconnect', () => process.exit(0));

main().then(
  (port) => process.send?.({ port }),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
