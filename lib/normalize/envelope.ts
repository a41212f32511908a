import { sha256Hex } from '../sha256';
import { CALLBACK_EVENT_SCHEMA, type CloudEvent } from '../events';

/**
 * Deterministic id: the same job (or run) in the same final state is the same event,
 * whichever encoding or delivery brought it, so every sink can deduplicate on it.
 */
export function eventId(type: string, subject: string, outcome: Array<string | null>): string {
  return sha256Hex([type, subject, ...outcome.map((part) => part ?? '')].join('\n')).slice(0, 32);
}

/** The producer, as far as the payload tells it: the bucket and region whose CI sent it. */
export function eventSource(region: string | null, bucket: string | null): string {
  return `urn:tencentcloud:ci:${encodeURIComponent(region ?? '')}:${encodeURIComponent(bucket ?? '')}`;
}

export function envelope<TType extends string, TData>(fields: {
  type: TType;
  subject: string;
  outcome: Array<string | null>;
  region: string | null;
  bucket: string | null;
  time: string | null;
  data: TData;
}): CloudEvent<TType, TData> {
  return {
    specversion: '1.0',
    id: eventId(fields.type, fields.subject, fields.outcome),
    source: eventSource(fields.region, fields.bucket),
    type: fields.type,
    subject: fields.subject,
    ...(fields.time === null ? {} : { time: fields.time }),
    datacontenttype: 'application/json',
    dataschema: CALLBACK_EVENT_SCHEMA,
    data: fields.data,
  };
}
