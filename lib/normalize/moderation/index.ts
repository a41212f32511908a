import { CallbackError } from '../../errors';
import type { CanonicalObject, ModerationResultEvent } from '../../events';
import { asObject, text } from '../../parse/canonical';
import { objectsOf } from '../elements';
import { detailResult, simpleResult } from './result';
import type { ModerationFormat } from './shape';

export { formatHint, isModerationEventName, type ModerationFormat } from './shape';

/** The trace_id of the request CI's console sends when a moderation callback URL is saved. */
const CONSOLE_TEST_TRACE_ID = 'test_trace_id';

export interface ModerationCallback {
  events: ModerationResultEvent[];
  /** A console test request: nothing to forward, and the console saves the URL only after a 200. */
  test: boolean;
}

/** A content-moderation callback (canonical tree, shape already told) to its events. */
export function normalizeModeration(callback: CanonicalObject, format: ModerationFormat): ModerationCallback {
  if (format === 'detail') {
    const eventName = text(callback.EventName);
    return { events: objectsOf(callback.JobsDetail, 'JobsDetail').map((job) => detailResult(eventName, job)), test: false };
  }
  // The shape was told by `data` being an object: absent now, it held only empty values.
  const data = asObject(callback.data);
  if (data === undefined) throw new CallbackError(400, 'missing_id', 'moderation callback data is empty');
  if (text(data.trace_id) === CONSOLE_TEST_TRACE_ID) return { events: [], test: true };
  return { events: [simpleResult(callback, data)], test: false };
}
