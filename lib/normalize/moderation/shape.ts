import { CallbackError } from '../../errors';
import type { ModerationKind, ModerationVerdict } from '../../events';

/** The two callback contents CI's moderation offers per job (`X-Ci-Content-Version`). */
export type ModerationFormat = 'simple' | 'detail';

const KIND_BY_EVENT_NAME: Record<string, ModerationKind> = {
  ReviewImage: 'image',
  ReviewVideo: 'video',
  ReviewAudio: 'audio',
  ReviewText: 'text',
  ReviewDocument: 'document',
  ReviewHtml: 'html',
};

const VERDICT_BY_RESULT: Record<string, ModerationVerdict> = { '0': 'pass', '1': 'block', '2': 'review' };

export function isModerationEventName(name: string): boolean {
  return Object.hasOwn(KIND_BY_EVENT_NAME, name);
}

/** The header is only a hint: the body's shape decides, the header settles what the shape leaves open. */
export function formatHint(header: string | undefined): ModerationFormat | undefined {
  const value = header?.trim().toLowerCase();
  return value === 'simple' || value === 'detail' ? value : undefined;
}

/**
 * What was moderated. Live-stream moderation reports as ReviewVideo and says `Type: live_video`;
 * a Simple callback may name no event at all (null).
 */
export function kindOf(eventName: string | null, type: string | null): ModerationKind | null {
  if (eventName === null) return null;
  if (!isModerationEventName(eventName)) {
    throw new CallbackError(400, 'unsupported_event', `moderation event "${eventName}" is not one CI documents`);
  }
  const kind = KIND_BY_EVENT_NAME[eventName];
  return kind === 'video' && type === 'live_video' ? 'live' : kind;
}

/** `Result` (documents and webpages: `Suggestion`): 0, 1, 2; anything else is not a verdict. */
export function verdictOf(result: string | null): ModerationVerdict | null {
  return result !== null && Object.hasOwn(VERDICT_BY_RESULT, result) ? VERDICT_BY_RESULT[result] : null;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** A documented integer field (Score, ForbidState), or null when absent or not a number. */
export function numberOf(value: string | null): number | null {
  return value !== null && NUMBER.test(value) ? Number(value) : null;
}
