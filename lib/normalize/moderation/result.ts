import { CallbackError } from '../../errors';
import { MODERATION_RESULT, type CanonicalObject, type CanonicalValue, type ModerationResultEvent } from '../../events';
import { asObject, text } from '../../parse/canonical';
import { cosHeaderMap } from '../cos-headers';
import { envelope } from '../envelope';
import { toIsoUtc } from '../time';
import { cosLocation } from '../cos-url';
import { resultDigest } from './result-digest';
import { kindOf, numberOf, verdictOf } from './shape';

/**
 * A Simple callback: `{code, message, data: {event, trace_id, url, result, …}}`. It names the
 * object only by URL, carries no state and no creation time.
 */
export function simpleResult(callback: CanonicalObject, data: CanonicalObject): ModerationResultEvent {
  const traceId = text(data.trace_id);
  if (traceId === null) throw new CallbackError(400, 'missing_id', 'moderation callback data has no trace_id');
  const url = text(data.url);
  const location = cosLocation(url);
  return envelope({
    type: MODERATION_RESULT,
    subject: traceId,
    outcome: ['simple', resultDigest(callback)],
    region: location?.region ?? null,
    bucket: location?.bucket ?? null,
    time: null,
    data: {
      jobId: traceId,
      kind: kindOf(text(data.event), null),
      format: 'simple',
      state: null,
      verdict: verdictOf(text(data.result)),
      label: text(data.label),
      score: numberOf(text(data.score)),
      bucketId: location?.bucket ?? null,
      region: location?.region ?? null,
      object: location?.key ?? null,
      url,
      forbidState: numberOf(text(data.forbidden_status)),
      dataId: text(data.data_id),
      code: text(callback.code),
      message: text(callback.message),
      cosHeaders: headerMap(data.cos_headers),
      creationTime: null,
      detail: data,
    },
  });
}

/** A Detail callback: `{EventName: ReviewImage|…, JobsDetail: {JobId, State, Result, …}}`, one JobsDetail element. */
export function detailResult(eventName: string | null, job: CanonicalObject): ModerationResultEvent {
  const jobId = text(job.JobId);
  if (jobId === null) throw new CallbackError(400, 'missing_id', 'JobsDetail has no JobId');
  const creationTime = toIsoUtc(text(job.CreationTime));
  const bucketId = text(job.BucketId);
  const region = text(job.Region);
  return envelope({
    type: MODERATION_RESULT,
    subject: jobId,
    outcome: ['detail', resultDigest([eventName ?? '', job])],
    region,
    bucket: bucketId,
    time: creationTime,
    data: {
      jobId,
      kind: kindOf(eventName, text(job.Type)),
      format: 'detail',
      state: text(job.State),
      // Documents and webpages say Suggestion where the other kinds say Result.
      verdict: verdictOf(text(job.Result) ?? text(job.Suggestion)),
      label: text(job.Label),
      score: numberOf(text(job.Score)),
      bucketId,
      region,
      object: text(job.Object),
      url: text(job.Url),
      forbidState: numberOf(text(job.ForbidState)),
      dataId: text(job.DataId),
      code: text(job.Code),
      message: text(job.Message),
      cosHeaders: headerMap(job.CosHeaders),
      creationTime,
      detail: job,
    },
  });
}

/** Moderation callbacks send CosHeaders as a map; a {Key, Value} list, as jobs send it, is read too. */
function headerMap(value: CanonicalValue | undefined): Record<string, string> {
  const map = asObject(value);
  if (map === undefined || Object.hasOwn(map, 'Key')) return cosHeaderMap(value);
  const headers: Record<string, string> = {};
  for (const [name, header] of Object.entries(map)) {
    const headerValue = text(header);
    if (headerValue !== null) headers[name] = headerValue;
  }
  return headers;
}
