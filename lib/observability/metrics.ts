import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { summaryState, summaryTag } from './event-summary';
import type { CallbackEvent, ModerationKind } from '../events';
import { SERVICE_NAME } from './logger';
import { JOB_FAMILIES } from '../verify/job-paths';

/** What one request did, as far as the metrics care. */
export interface RequestOutcome {
  /** Events every sink stored (empty when the request was refused or a sink failed). */
  forwarded: readonly CallbackEvent[];
  /** The error code a refused request ended with. */
  rejectedWith?: string;
  /** Sinks that failed to store the events. */
  failedSinks: readonly string[];
  /** The archive failed (or did not answer in time): the function log kept the request. */
  archiveFailed?: boolean;
}

/**
 * Dimension values are bounded: each distinct set is a custom metric CloudWatch bills, so a
 * callback with 5,000 made-up tags must not create 5,000 of them. Tags CI documents
 * (lib/verify/job-paths.ts) and job states stand for themselves; anything else counts as `other`.
 */
const MODERATION_KINDS: readonly ModerationKind[] = ['image', 'video', 'audio', 'text', 'document', 'html', 'live'];
const KNOWN_TAGS: ReadonlySet<string> = new Set([
  'Workflow',
  ...JOB_FAMILIES.flatMap((family) => family.tags),
  ...MODERATION_KINDS.map((kind) => `Moderation:${kind}`),
  'Moderation:unknown',
]);
// Job and run states, and a moderation result's verdict (or, without one, its State).
const KNOWN_STATES: ReadonlySet<string> = new Set(['Submitted', 'Running', 'Success', 'Failed', 'Pause', 'Cancel', 'Auditing', 'pass', 'block', 'review']);
const OTHER = 'other';

let instance: Metrics | undefined;

/**
 * Built on first use so that POWERTOOLS_METRICS_* are read when the first request arrives;
 * the namespace defaults to the service name.
 */
function metrics(): Metrics {
  instance ??= new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? SERVICE_NAME, serviceName: SERVICE_NAME });
  return instance;
}

// Powertools would still collect and serialize every metric only to drop it at the end.
// EMF lines mean something only in Lambda's log: anywhere else (`invoke local`, which sets
// IS_LOCAL, `npm run dev`, a script or harness running the handlers) they stay quiet unless
// POWERTOOLS_METRICS_DISABLED=false asks for them.
const disabled = () => {
  const setting = process.env.POWERTOOLS_METRICS_DISABLED?.toLowerCase();
  const inLambda = Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME) && process.env.IS_LOCAL !== 'true';
  return setting === 'true' || (setting === undefined && !inLambda);
};

/**
 * Emits the request's metrics as CloudWatch EMF lines on stdout, all at the end of the request:
 * EventsForwarded by tag and state; CallbacksRejected by error code; SinkFailures by sink;
 * ArchiveFailures; CallbacksReceived. One EMF line carries one value per dimension, so each
 * dimensioned count is its own line; one instance writes them all (a singleMetric() per line costs more).
 */
export function publishRequestMetrics(outcome: RequestOutcome): void {
  if (disabled()) return;
  const m = metrics();
  const publish = (name: string, count: number, dimensions: Record<string, string>) => {
    for (const [key, value] of Object.entries(dimensions)) m.addDimension(key, value);
    m.addMetric(name, MetricUnit.Count, count);
    m.publishStoredMetrics();
  };
  for (const { tag, state, count } of countByTagAndState(outcome.forwarded)) publish('EventsForwarded', count, { tag, state });
  if (outcome.rejectedWith !== undefined) publish('CallbacksRejected', 1, { code: outcome.rejectedWith });
  for (const sink of outcome.failedSinks) publish('SinkFailures', 1, { sink });
  if (outcome.archiveFailed) publish('ArchiveFailures', 1, {});
  publish('CallbacksReceived', 1, {});
}

function countByTagAndState(events: readonly CallbackEvent[]): Array<{ tag: string; state: string; count: number }> {
  const counts = new Map<string, { tag: string; state: string; count: number }>();
  for (const event of events) {
    const tag = bounded(summaryTag(event), KNOWN_TAGS);
    const state = bounded(summaryState(event), KNOWN_STATES);
    const key = `${tag}\n${state}`;
    const entry = counts.get(key) ?? { tag, state, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()];
}

/** `none` for a value the callback lacks, the value itself when known, else `other`. */
function bounded(value: string | null, known: ReadonlySet<string>): string {
  if (!value) return 'none';
  return known.has(value) ? value : OTHER;
}
