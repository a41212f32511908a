import type { CallbackError } from '../errors';
import { summaryState, summaryTag } from './event-summary';
import type { CallbackEvent } from '../events';
import type { ReceiverDeps } from '../receiver-deps';
import type { CallbackRequest } from '../request';
import type { LeftOutEvent } from '../sinks/sink';

/** What the handler knows of a request when it writes the summary line. */
export interface SummaryFields {
  functionName: string;
  request?: CallbackRequest;
  tokenIndex?: number;
  family?: string;
  events: CallbackEvent[];
  deps?: ReceiverDeps;
  archiveKey?: string;
  leftOut?: LeftOutEvent[];
  started: number;
  error?: CallbackError;
  err?: unknown;
}

/**
 * The summary line stays small whatever the callback holds: the first events' tags, states and
 * ids (with the total in `eventCount`), each value cut short. A 5,000-job callback would
 * otherwise write a line of hundreds of KB, past what one log event holds.
 */
const MAX_LISTED_EVENTS = 20;
const MAX_VALUE_LENGTH = 64;

export function summaryOf(outcome: 'accepted' | 'rejected', fields: SummaryFields): Record<string, unknown> {
  const listed = fields.events.slice(0, MAX_LISTED_EVENTS);
  return {
    outcome,
    function: fields.functionName,
    // Who called, never with what token: the query string is left out.
    sourceIp: fields.request?.sourceIp,
    userAgent: fields.request?.headers['user-agent']?.slice(0, 256),
    tokenIndex: fields.tokenIndex,
    family: fields.family,
    eventCount: fields.events.length,
    tags: listed.map((e) => short(summaryTag(e))),
    states: listed.map((e) => short(summaryState(e))),
    ids: listed.map((e) => e.id),
    sinks: fields.deps?.sinks.map((s) => s.name),
    archive: fields.archiveKey,
    leftOut: fields.leftOut?.length ? fields.leftOut.slice(0, MAX_LISTED_EVENTS) : undefined,
    status: fields.error?.status ?? 200,
    code: fields.error?.code,
    durationMs: Date.now() - fields.started,
  };
}

function short(value: string | null): string | null {
  return value === null || value.length <= MAX_VALUE_LENGTH ? value : `${value.slice(0, MAX_VALUE_LENGTH)}…`;
}
