import { setTimeout as sleep } from 'node:timers/promises';
import { startProxy, type Proxy } from '../tests/support/servers/proxy';

/**
 * A proxy on 127.0.0.1 that holds every request `delayMs` before passing it on: about one
 * in-region AWS call (or a call to CI), in front of an emulator that answers in a fraction of a
 * millisecond. Its request log counts the calls a callback makes, for the cost table.
 */
export function startDelayProxy(targetPort: number, delayMs: number): Promise<Proxy> {
  return startProxy(targetPort, async (_req, forward) => {
    await sleep(delayMs);
    return forward();
  });
}
