import { spawn } from 'node:child_process';

/** Proxies that add a delay to every request, each in front of one target port. */
export interface DelayProxies {
  /** The proxies' ports, in the order of the target ports. */
  ports: number[];
  /** Requests each proxy has passed on so far, in the same order: the calls a callback made, for the cost table. */
  counts(): Promise<number[]>;
  close(): Promise<void>;
}

// The proxies' process: plain Node (no TypeScript loader, whatever file this module was bundled into).
// It holds every request `delay` ms, then passes it on to its target over kept-alive connections.
const PROXY_PROCESS = `
const http = require('node:http');
const { delay, targets } = JSON.parse(process.argv[1]);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const counts = targets.map(() => 0);
const read = (stream) => new Promise((resolve, reject) => {
  const chunks = [];
  stream.on('data', (c) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
});
const start = (target, i) => new Promise((resolve) => {
  const server = http.createServer(async (incoming, res) => {
    counts[i]++;
    const body = await read(incoming);
    await new Promise((done) => setTimeout(done, delay));
    const headers = { ...incoming.headers, 'content-length': String(body.length) };
    const out = http.request({ host: '127.0.0.1', port: target, method: incoming.method, path: incoming.url, headers, agent }, async (answer) => {
      const { 'content-length': _l, 'transfer-encoding': _t, connection: _c, ...rest } = answer.headers;
      const payload = await read(answer);
      res.writeHead(answer.statusCode || 502, rest).end(payload);
    });
    out.on('error', () => res.writeHead(502).end());
    out.end(body);
  });
  server.listen(0, '127.0.0.1', () => resolve(server.address().port));
});
Promise.all(targets.map(start)).then((ports) => process.send({ ports }));
process.on('message', (m) => { if (m === 'counts') process.send({ counts }); });
process.on('disconnect', () => process.exit(0));
`;

/**
 * Proxies on 127.0.0.1 that hold every request `delayMs` before passing it on: about one
 * in-region AWS call (or a call to CI), in front of an emulator. They run in a process of their
 * own: AWS's latency costs the function no CPU, and proxies in the handler's process would
 * take its event loop to read, hold and forward every request (58 for a 50-job callback).
 */
export function startDelayProxies(targetPorts: number[], delayMs: number): Promise<DelayProxies> {
  const child = spawn(process.execPath, ['-e', PROXY_PROCESS, JSON.stringify({ delay: delayMs, targets: targetPorts })], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: Record<string, T>) => {
        if (!(key in message)) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message[key]);
      };
      const onExit = (code: number | null) => reject(new Error(`the delay proxies exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  return next<number[]>('ports').then((ports) => ({
    ports,
    counts: () => {
      const answer = next<number[]>('counts');
      child.send('counts');
      return answer;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  }));
}
