import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { toArchivedRequest } from './archive/archive';
import { RequestKeeper } from './archive/keep-request';
import { authenticate } from './auth';
import { budgetMs, EXPIRED, startBudget } from './budget';
import { CallbackError } from './errors';
import { LogLevelThreshold } from '@aws-lambda-powertools/logger';
import { logger } from './observability/logger';
import { publishRequestMetrics } from './observability/metrics';
import type { NormalizedCallback } from './normalize/callback';
import { deliver, eventsFromRequest } from './process-callback';
import { localEvent, readRequest } from './request';
import { accepted, rejected } from './response';
import type { LeftOutEvent } from './sinks/sink';
import { loadDeps, type ReceiverDeps } from './receiver-deps';
import { summaryOf, type SummaryFields } from './observability/request-summary';

export type CallbackHandler = (
  event: APIGatewayProxyEventV2,
  context?: Partial<Context>,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * A Function URL handler: read → authenticate → parse → normalize → (verify) → sinks →
 * response, with the raw body archived alongside (CALLBACK_ARCHIVE) so that one callback costs
 * one round trip. Everything runs against a budget taken from Lambda's remaining time: when it
 * runs out the function log holds the body and the answer is 503, before Lambda's timeout.
 * Either function accepts every callback family (job, workflow, moderation): a CI queue may
 * send job and workflow callbacks to one URL. Dependencies are built once per container.
 */
export function createCallbackHandler(functionName: string, makeDeps: () => ReceiverDeps | Promise<ReceiverDeps> = loadDeps): CallbackHandler {
  let deps: ReceiverDeps | undefined;
  // Requests that arrive together before the first build (the dev server) share it: one secret
  // store read, one set of clients. A failed build is not kept: the next request tries again.
  let building: Promise<ReceiverDeps> | undefined;
  const depsOnce = async () => {
    building ??= Promise.resolve()
      .then(makeDeps)
      .catch((err: unknown) => {
        building = undefined;
        throw err;
      });
    return building;
  };
  return async (event, context) => {
    const started = Date.now();
    const budget = startBudget(budgetMs(context), started);
    logger.addContext((context ?? {}) as Context);
    const fields: SummaryFields = { functionName, events: [], started };
    let archiveError: unknown;
    try {
      deps ??= await depsOnce();
      fields.deps = deps;
      const request = (fields.request = readRequest(deps.config.deployed ? event : localEvent(event)));
      ({ tokenIndex: fields.tokenIndex } = authenticate(request, deps.config));
      const keeper = new RequestKeeper(deps.archive, deps.config.archivePolicy, toArchivedRequest(request, functionName));
      keeper.begin();
      let parsed: NormalizedCallback;
      try {
        parsed = eventsFromRequest(request, deps.config.maxBodyBytes);
      } catch (refusal) {
        // A body parse refused (400, 413) is archived before its answer. When that archive
        // fails the function log holds it and the answer is 503: the sender's retry brings it back.
        const kept = await budget.race(keeper.settle(false));
        fields.archiveKey = kept === EXPIRED ? keeper.keepInLog() : kept.key;
        archiveError = kept === EXPIRED ? lateArchive() : kept.archiveError;
        if (archiveError === undefined) throw refusal;
        logArchiveFailure(deps, fields.archiveKey, archiveError);
        throw new CallbackError(503, 'archive_failed', 'the request could not be archived; retry later');
      }
      fields.family = parsed.family;
      fields.events = parsed.events;
      // Forwarding, then the archive as the outcome asks, watched by one race against the budget.
      let failure: unknown = undefined;
      let forwarded: boolean | undefined;
      const leftOut: LeftOutEvent[] = (fields.leftOut = []);
      const work = deliver(parsed.events, deps, leftOut).then(
        // An event a sink could never take was not forwarded: its body goes to the archive too.
        () => (forwarded = leftOut.length === 0),
        (err: unknown) => ((failure = err), (forwarded = false)),
      );
      const kept = await budget.race(work.then((ok) => keeper.settle(ok)));
      if (kept === EXPIRED) {
        fields.archiveKey = keeper.keepInLog();
        if (forwarded === undefined) throw outOfTime();
        archiveError = lateArchive();
      } else {
        fields.archiveKey = kept.key;
        archiveError = kept.archiveError;
      }
      // Logged whatever the answer: a failed forward whose archive failed too is both.
      if (archiveError) logArchiveFailure(deps, fields.archiveKey, archiveError);
      if (failure !== undefined) throw failure;
      // Stored (but the events named as left out) and kept, at least in the function log: an
      // archive failure does not change the answer.
      logSummary('accepted', fields);
      const storedEverywhere = leftOut.length === 0 ? fields.events : fields.events.filter((e) => !leftOut.some((l) => l.id === e.id));
      publishRequestMetrics({ forwarded: storedEverywhere, failedSinks: [], archiveFailed: Boolean(archiveError) });
      return accepted(fields.events, { test: parsed.test, leftOut });
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

const lateArchive = () => new Error('the archive did not answer within the time budget');

function outOfTime(): CallbackError {
  return new CallbackError(
    503,
    'forward_failed',
    'the callback could not be verified and stored within the time budget; retry later (the request is in the function log)',
  );
}

function logArchiveFailure(deps: ReceiverDeps, kept: string | undefined, err: unknown): void {
  // The archive is the promise that nothing is lost: when it fails, the function log keeps
  // the record, whatever LOG_LEVEL says, in the line `npm run replay` reads. A stored callback
  // is still answered 200, so this line, not the answer, is what the archive alarm counts
  // (`archiveFailed`, serverless.yml).
  logger.error('archive failed; raw request kept in the function log', { archive: deps.archive.name, kept, archiveFailed: true, err });
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

// The numeric level: getLevelName() searches the level table by number on every call.
function logsAt(level: 'INFO' | 'WARN' | 'ERROR'): boolean {
  return logger.level <= LogLevelThreshold[level];
}

function failedSinksOf(err: unknown): string[] {
  return (err as { failedSinks?: string[] } | undefined)?.failedSinks ?? [];
}

function causeOf(err: unknown): unknown {
  const causes = (err as { causes?: unknown[] } | undefined)?.causes;
  return causes ?? err;
}
