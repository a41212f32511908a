import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { toArchivedRequest } from './archive/archive';
import { RequestKeeper, type KeptRequest } from './archive/keep-request';
import { authenticate } from './auth';
import { budgetMs, startBudget, type RequestBudget } from './budget';
import { CallbackError } from './errors';
import { logger } from './logger';
import { publishRequestMetrics } from './metrics';
import { deliver, eventsFromRequest, type ParsedCallback } from './process-callback';
import { readRequest, type CallbackRequest } from './request';
import { accepted, rejected } from './response';
import { createDeps, type ReceiverDeps } from './receiver-deps';
import { summaryOf, type SummaryFields } from './request-summary';

export type CallbackHandler = (
  event: APIGatewayProxyEventV2,
  context?: Partial<Context>,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * A Function URL handler: read → authenticate → parse → normalize → (verify) → sinks →
 * response, with the raw body archived alongside (CALLBACK_ARCHIVE) so that one callback costs
 * one round trip. Everything runs against a budget taken from Lambda's remaining time: when it
 * runs out the function log holds the body and the answer is 503, before Lambda's timeout.
 * Either function accepts either callback family: a CI queue may send job and workflow
 * callbacks to one URL. Dependencies are built once per container.
 */
export function createCallbackHandler(functionName: string, makeDeps: () => ReceiverDeps = createDeps): CallbackHandler {
  let deps: ReceiverDeps | undefined;
  return async (event, context) => {
    const started = Date.now();
    const budget = startBudget(budgetMs(context), started);
    logger.addContext((context ?? {}) as Context);
    const fields: SummaryFields = { functionName, events: [], started };
    let archiveError: unknown;
    try {
      deps ??= makeDeps();
      fields.deps = deps;
      const request = (fields.request = readRequest(event));
      ({ tokenIndex: fields.tokenIndex } = authenticate(request, deps.config));
      const keeper = new RequestKeeper(deps.archive, deps.config.archivePolicy, toArchivedRequest(request, functionName));
      keeper.begin();
      const parsed = await parseOrKeep(request, deps, keeper, budget, fields);
      fields.family = parsed.family;
      fields.events = parsed.events;
      const failure = await budget.race(deliver(parsed.events, deps).then(() => null, (err: unknown) => err));
      if (failure.expired) {
        fields.archiveKey = keeper.keepInLog();
        throw outOfTime();
      }
      const kept = await keptWithin(keeper, failure.value === null, budget);
      fields.archiveKey = kept.key;
      archiveError = kept.archiveError;
      if (archiveError) logArchiveFailure(deps, kept);
      if (failure.value !== null) throw failure.value;
      // Stored by every sink and kept in the function log: an archive failure does not change the answer.
      logSummary('accepted', fields);
      publishRequestMetrics({ forwarded: fields.events, failedSinks: [], archiveFailed: Boolean(archiveError) });
      return accepted(fields.events);
    } catch (err) {
      const error = asCallbackError(err);
      logSummary('rejected', { ...fields, error, err });
      publishRequestMetrics({ forwarded: [], rejectedWith: error.code, failedSinks: failedSinksOf(err), archiveFailed: Boolean(archiveError) });
      return rejected(error);
    } finally {
      budget.close();
      logger.resetKeys();
    }
  };
}

/**
 * Parse is synchronous and comes first; a body it refuses (400, 413) is archived before the
 * answer. When that archive fails the record is in the function log and the answer is
 * 503 archive_failed, as before the refusal: the sender's retry brings the body back.
 */
async function parseOrKeep(
  request: CallbackRequest,
  deps: ReceiverDeps,
  keeper: RequestKeeper,
  budget: RequestBudget,
  fields: SummaryFields,
): Promise<ParsedCallback> {
  try {
    return eventsFromRequest(request, deps.config.maxBodyBytes);
  } catch (refusal) {
    const kept = await keptWithin(keeper, false, budget);
    fields.archiveKey = kept.key;
    if (kept.archiveError === undefined) throw refusal;
    logArchiveFailure(deps, kept);
    throw new CallbackError(503, 'archive_failed', 'the request could not be archived; retry later');
  }
}

/** The keeper's outcome, or the function log's copy when the archive has not answered within the budget. */
async function keptWithin(keeper: RequestKeeper, forwarded: boolean, budget: RequestBudget): Promise<KeptRequest> {
  const kept = await budget.race(keeper.settle(forwarded));
  if (!kept.expired) return kept.value;
  return { key: keeper.keepInLog(), archiveError: new Error('the archive did not answer within the time budget') };
}

function outOfTime(): CallbackError {
  return new CallbackError(
    503,
    'forward_failed',
    'the callback could not be verified and stored within the time budget; retry later (the request is in the function log)',
  );
}

function logArchiveFailure(deps: ReceiverDeps, kept: KeptRequest): void {
  // The archive is the promise that nothing is lost: when it fails, the function log keeps
  // the record, whatever LOG_LEVEL says, in the line `npm run replay` reads.
  logger.error('archive failed; raw request kept in the function log', { archive: deps.archive.name, kept: kept.key, err: kept.archiveError });
}

function asCallbackError(err: unknown): CallbackError {
  if (err instanceof CallbackError) return err;
  return new CallbackError(500, 'internal_error', 'internal error; see the function log');
}

function logSummary(outcome: 'accepted' | 'rejected', fields: SummaryFields): void {
  const { error } = fields;
  const level = !error ? 'INFO' : error.status >= 500 ? 'ERROR' : 'WARN';
  // Powertools reads the environment on every call, even for a line its level drops.
  if (!logsAt(level)) return;
  const summary = summaryOf(outcome, fields);
  if (!error) logger.info('callback', summary);
  else if (error.status >= 500) logger.error(`callback ${error.code}: ${error.message}`, { ...summary, err: causeOf(fields.err) });
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
