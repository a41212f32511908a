import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A server process a test started; the test stops it by its PID. */
export interface RunningProcess {
  readonly pid: number;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A test that dies half-way must not leave its servers behind.
process.on('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/**
 * Spawns a server asynchronously (a blocking spawn would freeze the test's event loop) and
 * resolves once a line of its output satisfies `ready`; rejects if it exits before that.
 */
export function spawnServer<T>(
  command: string,
  args: string[],
  options: { stream: 'stdout' | 'stderr'; ready: (line: string) => T | undefined; stopSignal?: NodeJS.Signals } & SpawnOptions,
): Promise<RunningProcess & { ready: T }> {
  const { stream, ready, stopSignal = 'SIGTERM', ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => running.delete(child));
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child[stream]?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const value = ready(line);
        if (value === undefined) continue;
        resolve({
          pid: child.pid as number,
          ready: value,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill(stopSignal);
            await exited;
          },
        });
      }
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`${command} exited (${code ?? signal}) before it was ready:\n${output.join('').slice(-2000)}`)),
    );
  });
}

/** A node server script of tests/support/servers that prints {"port": N} once listening. */
export async function startNodeServer(script: string, port = 0): Promise<RunningProcess & { port: number }> {
  const server = await spawnServer(process.execPath, [join(__dirname, script), String(port)], {
    stream: 'stdout',
    ready: (line) => (line.startsWith('{') ? (JSON.parse(line) as { port: number }).port : undefined),
  });
  return { pid: server.pid, port: server.ready, stop: server.stop };
}

/** A port free right now on 127.0.0.1, for a server that must come back on the same port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
