import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { summaryState, summaryTag } from './event-summary';
import type { CallbackEvent } from './events';
import { SERVICE_NAME } from './logger';

/** What one request did, as far as the metrics care. */
export interface RequestOutcome {
  /** Events every sink stored (empty when the request was refused or a sink failed). */
  forwarded: readonly CallbackEvent[];
  /** The error code a refused request ended with. */
  rejectedWith?: string;
  /** Sinks that failed to store the events. */
  failedSinks: readonly string[];
}

// CloudWatch caps dimension values at 1024 characters; a tag or state is never near that.
const MAX_DIMENSION_LENGTH = 128;

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
// Local runs (`invoke local` sets IS_LOCAL; `npm run dev` too) stay quiet unless
// POWERTOOLS_METRICS_DISABLED=false asks for the metric lines.
const disabled = () => {
  const setting = process.env.POWERTOOLS_METRICS_DISABLED?.toLowerCase();
  return setting === 'true' || (setting === undefined && process.env.IS_LOCAL === 'true');
};

/**
 * Emits the request's metrics as CloudWatch EMF lines on stdout, all at the end of the request:
 * EventsForwarded by tag and state; CallbacksRejected by error code; SinkFailures by sink;
 * CallbacksReceived. One EMF line carries one value per dimension, so each dimensioned
 * count is its own line; one instance writes them all (a singleMetric() per line costs more).
 */
export function publishRequestMetrics(outcome: RequestOutcome): void {
  if (disabled()) return;
  const m = metrics();
  const publish = (name: string, count: number, dimensions: Record<string, string>) => {
    for (const [key, value] of Object.entries(dimensions)) m.addDimension(key, dimension(value));
    m.addMetric(name, MetricUnit.Count, count);
    m.publishStoredMetrics();
  };
  for (const { tag, state, count } of countByTagAndState(outcome.forwarded)) publish('EventsForwarded', count, { tag, state });
  if (outcome.rejectedWith !== undefined) publish('CallbacksRejected', 1, { code: outcome.rejectedWith });
  for (const sink of outcome.failedSinks) publish('SinkFailures', 1, { sink });
  publish('CallbacksReceived', 1, {});
}

function countByTagAndState(events: readonly CallbackEvent[]): Array<{ tag: string; state: string; count: number }> {
  const counts = new Map<string, { tag: string; state: string; count: number }>();
  for (const event of events) {
    const tag = summaryTag(event) ?? 'none';
    const state = summaryState(event) ?? 'none';
    const key = JSON.stringify([tag, state]);
    const entry = counts.get(key) ?? { tag, state, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()];
}

function dimension(value: string): string {
  return value.slice(0, MAX_DIMENSION_LENGTH) || 'none';
}
