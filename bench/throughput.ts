import { fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';

/** The dev server under load: information, not a budget (Lambda runs one request per instance). */
export interface DevServerLoad {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /** 2xx answers autocannon counted, and the event ids they named. */
  accepted: number;
  acceptedIds: number;
  /** Lines in the sink, distinct ids among them. */
  stored: number;
  storedIds: number;
  /** Accepted ids missing from the sink: must be 0. */
  lost: number;
  /**
   * Stored ids with no counted answer: requests autocannon had sent when its time was up, which
   * the server finished but autocannon no longer counted. Each is a distinct callback, not a copy.
   */
  answeredAfterStop: number;
}

const RUNNER = join(__dirname, '..', 'scripts', 'run.mjs');

async function startReceiver(env: NodeJS.ProcessEnv) {
  const child = fork(RUNNER, [join(__dirname, 'http-target.ts')], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`load target exited ${code}`)));
  });
  return { port, stop: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGKILL'))) };
}

/**
 * The handlers behind the dev server (file sink and archive on `dir`), loaded by autocannon with
 * 10 connections for `seconds`. Every request carries its own JobId, so every accepted request
 * must show up in the sink as its own id: the check is exact, id by id.
 */
export async function measureDevServer(options: { body: string; contentType: string; seconds: number; dir: string }): Promise<DevServerLoad> {
  const sinkFile = join(options.dir, 'events.jsonl');
  const receiver = await startReceiver({ CALLBACK_SINKS: 'file', CALLBACK_FILE: sinkFile, CALLBACK_ARCHIVE_DIR: join(options.dir, 'raw'), LOG_LEVEL: 'INFO' });
  const acceptedIds = new Set<string>();
  let n = 0;
  const [head, tail] = splitAtJobId(options.body);
  try {
    const result = await autocannon({
      url: `http://127.0.0.1:${receiver.port}/taskCallback`,
      method: 'POST',
      headers: { 'content-type': options.contentType },
      connections: 10,
      duration: options.seconds,
      requests: [
        {
          setupRequest: (request) => ({ ...request, body: `${head}-load${n++}${tail}` }),
          onResponse: (status, body) => {
            if (status === 200) for (const id of (JSON.parse(body) as { ids: string[] }).ids) acceptedIds.add(id);
          },
        },
      ],
    });
    const lines = existsSync(sinkFile) ? readFileSync(sinkFile, 'utf8').split('\n').filter(Boolean) : [];
    const storedIds = new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id));
    return {
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
      accepted: result['2xx'],
      acceptedIds: acceptedIds.size,
      stored: lines.length,
      storedIds: storedIds.size,
      lost: [...acceptedIds].filter((id) => !storedIds.has(id)).length,
      answeredAfterStop: [...storedIds].filter((id) => !acceptedIds.has(id)).length,
    };
  } finally {
    await receiver.stop();
  }
}

/** The body around the end of its first JobId's text, where a per-request suffix goes. */
function splitAtJobId(body: string): [string, string] {
  const at = body.indexOf('</JobId>');
  if (at < 0) throw new Error('the load sample needs an XML JobId');
  return [body.slice(0, at), body.slice(at)];
}
