// A load target in its own process, so the load generator does not share its event loop:
//   receiver: the handlers behind the dev server (scripts/dev-server.ts), sinks from the env;
//   bare: a Node HTTP server that reads the body and answers 200, the ceiling.
// Tells the parent its port over IPC.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCallbackHandler } from '../lib/callback-handler';
import { createDeps } from '../lib/receiver-deps';
import { startDevServer } from '../scripts/dev-server';

async function main(mode: string | undefined): Promise<number> {
  if (mode === 'bare') {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":1}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }
  if (mode === 'receiver') {
    const deps = createDeps();
    const handler = createCallbackHandler('taskCallback', () => deps);
    const dev = await startDevServer({ port: 0, routes: { '/taskCallback': handler } });
    return Number(new URL(dev.origin).port);
  }
  throw new Error(`usage: http-target.ts bare|receiver, got ${mode}`);
}

// The bench disconnects (or dies): stop with it, through a normal exit.
process.on('disconnect', () => process.exit(0));

main(process.argv[2]).then(
  (port) => process.send?.({ port }),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
