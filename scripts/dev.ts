// `npm run dev`: the two callback handlers on http://127.0.0.1:$PORT (default 3000), with the
// configuration, sinks, archive and token the environment selects (and the secrets
// CALLBACK_SECRETS names), as deployed functions have.
// PORT=0 picks a free port; the URLs printed carry the port actually bound.
import { relative } from 'node:path';
import { createCallbackHandler } from '../lib/callback-handler';
import type { ReceiverConfig } from '../lib/config';
import { logger } from '../lib/observability/logger';
import { loadDeps, type ReceiverDeps } from '../lib/receiver-deps';
import { startDevServer, type AnsweredRequest } from './dev-server';

// The console line per callback says what the info and warning logs would; errors stay on,
// with their causes. LOG_LEVEL=INFO shows the structured logs as deployed.
if (!process.env.LOG_LEVEL && !process.env.POWERTOOLS_LOG_LEVEL) logger.setLogLevel('ERROR');
// No CloudWatch metric (EMF) lines either, unless POWERTOOLS_METRICS_DISABLED=false asks for them.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${process.env.PORT}"`);
  const deps = await loadDeps();
  const { config } = deps;
  const taskCallback = createCallbackHandler('taskCallback', () => deps);
  const workflowCallback = createCallbackHandler('workflowCallback', () => deps);
  const dev = await startDevServer({
    port,
    routes: { '/': taskCallback, '/taskCallback': taskCallback, '/workflowCallback': workflowCallback },
    onResponse: (answered) => console.log(responseLine(answered)),
  });
  // The token as the path, as in the deployed URL (`…on.aws/<token>`); `?token=` works too.
  const tokenPath = config.tokens.length > 0 ? `/${config.tokens[0]}` : '';
  console.log(`CI callback receiver on ${dev.origin}`);
  console.log(`  taskCallback      ${dev.origin}/taskCallback${tokenPath}`);
  console.log(`  workflowCallback  ${dev.origin}/workflowCallback${tokenPath}`);
  console.log(describe(config, deps));
  const boundPort = new URL(dev.origin).port;
  const portPrefix = boundPort === '3000' ? '' : `PORT=${boundPort} `;
  console.log(`Send the samples: ${portPrefix}npm run trigger -- all   Stop: Ctrl-C`);
  stopOnSignals(dev.close);
}

function describe(config: ReceiverConfig, deps: ReceiverDeps): string {
  const sinks = deps.sinks.map((s) => (s.name === 'file' ? `file (${shortPath(config.file)})` : s.name));
  const archive = config.archiveBucket ? `s3://${config.archiveBucket}` : config.archiveDir ? shortPath(config.archiveDir) : 'log';
  const auth = config.tokens.length > 0 ? 'token required (URL path or ?token=)' : 'no token (set CALLBACK_TOKEN to require one)';
  return `  sinks: ${sinks.join(', ') || 'none'}; raw bodies: ${archive}; auth: ${auth}`;
}

function shortPath(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return fromHere.startsWith('..') ? path : fromHere;
}

/**
 * `12:00:01 POST /taskCallback 200 accepted 1: <ids>`, `… 200 moderation console test: nothing forwarded`
 * or `… 400 malformed_body: <message>`.
 */
function responseLine({ method, path, status, body }: AnsweredRequest): string {
  const time = new Date().toISOString().slice(11, 19);
  let outcome = body;
  try {
    const parsed = JSON.parse(body);
    if (parsed.error) outcome = `${parsed.error.code}: ${parsed.error.message}`;
    else if (parsed.test === true) outcome = 'moderation console test: nothing forwarded';
    else if (Array.isArray(parsed.ids)) outcome = `accepted ${parsed.accepted}: ${parsed.ids.join(' ')}`;
  } catch {
    // Not JSON: shown as it is.
  }
  return `${time} ${method} ${path} ${status} ${outcome}`;
}

/**
 * The first Ctrl-C (or SIGTERM) lets requests in flight finish, for a few seconds at most
 * (startDevServer's drain), then exits 0; a second one does not wait.
 */
function stopOnSignals(close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`${signal}: stopping`);
    close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: NodeJS.ErrnoException) => {
  const port = process.env.PORT ?? 3000;
  console.error(err.code === 'EADDRINUSE' ? `port ${port} is in use: set PORT to another port (PORT=0 picks a free one)` : `dev server failed: ${err.message}`);
  process.exit(1);
});
