import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { toArchivedRequest, type RawArchive } from './archive/archive';
import { LogArchive } from './archive/log-archive';
import { authenticate } from './auth';
import { CallbackError } from './errors';
import { summaryState, summaryTag } from './event-summary';
import type { CallbackEvent } from './events';
import { logger } from './logger';
import { publishRequestMetrics } from './metrics';
import { deliver, eventsFromRequest } from './process-callback';
import type { LeftOutEvent } from './sinks/sink';
import { localEvent, readRequest, type CallbackRequest } from './request';
import { accepted, rejected } from './response';
import { loadDeps, type ReceiverDeps } from './receiver-deps';

export type CallbackHandler = (
  event: APIGatewayProxyEventV2,
  context?: Partial<Context>,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * A Function URL handler: read → authenticate → archive raw body → parse → normalize →
 * sinks → response. Either function accepts either callback family: a CI queue may send
 * job and workflow callbacks to one URL. Dependencies are built once per container.
 */
export function createCallbackHandler(functionName: string, makeDeps: () => ReceiverDeps | Promise<ReceiverDeps> = loadDeps): CallbackHandler {
  let deps: ReceiverDeps | undefined;
  return async (event, context) => {
    const started = Date.now();
    logger.addContext((context ?? {}) as Context);
    let request: CallbackRequest | undefined;
    let events: CallbackEvent[] = [];
    let tokenIndex: number | undefined;
    try {
      deps ??= await makeDeps();
      request = readRequest(deps.config.deployed ? event : localEvent(event));
      ({ tokenIndex } = authenticate(request, deps.config));
      const archiveKey = await archiveRequest(deps.archive, request, functionName);
      const parsed = eventsFromRequest(request, deps.config.maxBodyBytes);
      events = parsed.events;
      const leftOut: LeftOutEvent[] = [];
      await deliver(events, deps, leftOut);
      logSummary('accepted', { functionName, request, tokenIndex, family: parsed.family, events, deps, archiveKey, started, leftOut });
      const everywhere = leftOut.length === 0 ? events : events.filter((e) => !leftOut.some((l) => l.id === e.id));
      publishRequestMetrics({ forwarded: everywhere, failedSinks: [] });
      return accepted(events, { test: parsed.test, leftOut });
    } catch (err) {
      const error = asCallbackError(err);
      logSummary('rejected', { functionName, request, tokenIndex, events, deps, started, error, err });
      publishRequestMetrics({ forwarded: [], rejectedWith: error.code, failedSinks: failedSinksOf(err) });
      return rejected(error);
    } finally {
      logger.resetKeys();
    }
  };
}

async function archiveRequest(archive: RawArchive, request: CallbackRequest, functionName: string): Promise<string> {
  const record = toArchivedRequest(request, functionName);
  try {
    return await archive.put(record);
  } catch (err) {
    // The archive is the promise that nothing is lost: when it fails, the function log keeps
    // the record, whatever LOG_LEVEL says, in the line `npm run replay` reads.
    const kept = await new LogArchive().put(record);
    logger.error('archive failed; raw request kept in the function log', { archive: archive.name, kept, err });
    throw new CallbackError(503, 'archive_failed', 'the request could not be archived; retry later');
  }
}

function asCallbackError(err: unknown): CallbackError {
  if (err instanceof CallbackError) return err;
  return new CallbackError(500, 'internal_error', 'internal error; see the function log');
}

function logSummary(
  outcome: 'accepted' | 'rejected',
  fields: {
    functionName: string;
    request?: CallbackRequest;
    tokenIndex?: number;
    family?: string;
    events: CallbackEvent[];
    deps?: ReceiverDeps;
    archiveKey?: string;
    started: number;
    leftOut?: LeftOutEvent[];
    error?: CallbackError;
    err?: unknown;
  },
): void {
  const { error, err, events } = fields;
  const level = !error ? 'INFO' : error.status >= 500 ? 'ERROR' : 'WARN';
  // Powertools reads the environment on every call, even for a line its level drops.
  if (!logsAt(level)) return;
  const summary = {
    outcome,
    function: fields.functionName,
    // Who called, never with what token: the query string is left out.
    sourceIp: fields.request?.sourceIp,
    userAgent: fields.request?.headers['user-agent']?.slice(0, 256),
    tokenIndex: fields.tokenIndex,
    family: fields.family,
    tags: events.map(summaryTag),
    states: events.map(summaryState),
    ids: events.map((e) => e.id),
    sinks: fields.deps?.sinks.map((s) => s.name),
    archive: fields.archiveKey,
    leftOut: fields.leftOut?.length ? fields.leftOut : undefined,
    status: error?.status ?? 200,
    code: error?.code,
    durationMs: Date.now() - fields.started,
  };
  if (!error) logger.info('callback', summary);
  else if (error.status >= 500) logger.error(`callback ${error.code}: ${error.message}`, { ...summary, err: causeOf(err) });
  else logger.warn(`callback ${error.code}: ${error.message}`, summary);
}

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];

function logsAt(level: 'INFO' | 'WARN' | 'ERROR'): boolean {
  return LEVELS.indexOf(logger.getLevelName()) <= LEVELS.indexOf(level);
}

function failedSinksOf(err: unknown): string[] {
  return (err as { failedSinks?: string[] } | undefined)?.failedSinks ?? [];
}

function causeOf(err: unknown): unknown {
  const causes = (err as { causes?: unknown[] } | undefined)?.causes;
  return causes ?? err;
}
