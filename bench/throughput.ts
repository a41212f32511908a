import { fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';

export interface Load {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  accepted: number;
}

const RUNNER = join(__dirname, '..', 'scripts', 'run.mjs');

/** Starts bench/http-target.ts in `mode` and resolves with its port and a stop function. */
async function startTarget(mode: 'bare' | 'receiver', env: NodeJS.ProcessEnv) {
  const child = fork(RUNNER, [join(__dirname, 'http-target.ts'), mode], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`load target ${mode} exited ${code}`)));
  });
  return { port, stop: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGKILL'))) };
}

async function load(url: string, body: string, contentType: string, seconds: number): Promise<Load> {
  const result = await autocannon({ url, method: 'POST', body, headers: { 'content-type': contentType }, connections: 10, duration: seconds });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    accepted: result['2xx'],
  };
}

/**
 * The bare ceiling first, then the receiver (file sink and archive on `dir`), each for `seconds`.
 * Returns both, and how many distinct events the sink holds afterwards: nothing accepted may be lost.
 */
export async function measureThroughput(options: { body: string; contentType: string; seconds: number; dir: string; eventsPerRequest: number }) {
  const bare = await startTarget('bare', {});
  const ceiling = await load(`http://127.0.0.1:${bare.port}/`, options.body, options.contentType, options.seconds);
  await bare.stop();

  const sinkFile = join(options.dir, 'events.jsonl');
  const receiver = await startTarget('receiver', {
    CALLBACK_SINKS: 'file',
    CALLBACK_FILE: sinkFile,
    CALLBACK_ARCHIVE_DIR: join(options.dir, 'raw'),
    LOG_LEVEL: 'INFO',
  });
  const handled = await load(`http://127.0.0.1:${receiver.port}/taskCallback`, options.body, options.contentType, options.seconds);
  await receiver.stop();
  // The same body every time: the file sink, idempotent, holds its events once.
  const ids = existsSync(sinkFile) ? readFileSync(sinkFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line).id) : [];
  return { ceiling, handled, stored: new Set(ids).size, expected: handled.accepted > 0 ? options.eventsPerRequest : 0 };
}
