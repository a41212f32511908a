import { fromArchivedRequest, type ArchivedRequest } from '../archive/archive';
import { CallbackError } from '../errors';
import { deliver, eventsFromRequest } from '../process-callback';
import type { ReceiverDeps } from '../receiver-deps';
import type { LeftOutEvent } from '../sinks/sink';
import { readArchive } from './sources';

/** What re-driving one archived request gave: the status the handler would have answered. */
export interface ReplayOutcome {
  key: string;
  /** 200, or the error status the handler would have answered; null: the record was unreadable. */
  status: number | null;
  ids: string[];
  /** Events a sink could never take (too large without a claim-check bucket): the record keeps them. */
  leftOut?: LeftOutEvent[];
  code?: string;
  message?: string;
}

/**
 * Re-drives one archived request through the handler's own path (eventsFromRequest →
 * deliver), skipping authentication (it was authenticated when archived) and the archive.
 */
async function replayRecord(key: string, record: ArchivedRequest, deps: ReceiverDeps): Promise<ReplayOutcome> {
  try {
    const { events } = eventsFromRequest(fromArchivedRequest(record), deps.config.maxBodyBytes);
    const leftOut: LeftOutEvent[] = [];
    await deliver(events, deps, leftOut);
    return { key, status: 200, ids: events.map((e) => e.id), ...(leftOut.length > 0 ? { leftOut } : {}) };
  } catch (err) {
    const error = err instanceof CallbackError ? err : new CallbackError(500, 'internal_error', String(err));
    return { key, status: error.status, ids: [], code: error.code, message: error.message };
  }
}

/** Replays every record of an archive source in order, reporting each outcome as it comes. */
export async function replayArchive(
  source: string,
  deps: ReceiverDeps,
  report: (outcome: ReplayOutcome) => void = () => undefined,
): Promise<ReplayOutcome[]> {
  const outcomes: ReplayOutcome[] = [];
  for await (const entry of readArchive(source)) {
    const outcome =
      'record' in entry
        ? await replayRecord(entry.key, entry.record, deps)
        : { key: entry.key, status: null, ids: [], code: 'unreadable_record', message: entry.error };
    outcomes.push(outcome);
    report(outcome);
  }
  return outcomes;
}

/**
 * `N records: D delivered (E events), F failed`, and `; L left out of a sink` when a sink could
 * never take some of them (the records keep those: replay them again once a bucket takes claim checks).
 */
export function replaySummary(outcomes: readonly ReplayOutcome[]): string {
  const failed = outcomes.filter((o) => o.status !== 200).length;
  const events = outcomes.reduce((n, o) => n + o.ids.length, 0);
  const leftOut = outcomes.reduce((n, o) => n + (o.leftOut?.length ?? 0), 0);
  const left = leftOut > 0 ? `; ${leftOut} left out of a sink` : '';
  return `${outcomes.length} records: ${outcomes.length - failed} delivered (${events} events), ${failed} failed${left}`;
}
