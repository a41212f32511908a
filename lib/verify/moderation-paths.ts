import type { ModerationKind } from '../events';

/**
 * Where CI serves each kind of content-moderation job ("query … moderation job result",
 * GET /<kind>/auditing/<jobId> on the bucket's CI endpoint, answering `Response/JobsDetail`
 * with the fields of a Detail callback). The callback's kind picks the path tried first; the
 * others follow while CI does not know the id, so a Simple callback that names no kind is
 * still found.
 */
export interface ModerationApi {
  path: string;
  /** The EventName a Detail callback of this API carries: CI's record is normalized under it. */
  eventName: string;
  kinds: readonly ModerationKind[];
  /** The CAM action a sub-account key needs to call it. */
  action: string;
}

export const MODERATION_APIS: readonly ModerationApi[] = [
  { path: '/image/auditing', eventName: 'ReviewImage', kinds: ['image'], action: 'ci:DescribeAuditingPictureJob' },
  // Live-stream moderation is queried where video moderation is; its record says Type live_video.
  { path: '/video/auditing', eventName: 'ReviewVideo', kinds: ['video', 'live'], action: 'ci:DescribeAuditingVideoJob' },
  { path: '/audio/auditing', eventName: 'ReviewAudio', kinds: ['audio'], action: 'ci:DescribeAuditingAudioJob' },
  { path: '/text/auditing', eventName: 'ReviewText', kinds: ['text'], action: 'ci:DescribeAuditingTextJob' },
  { path: '/document/auditing', eventName: 'ReviewDocument', kinds: ['document'], action: 'ci:DescribeAuditingDocumentJob' },
  { path: '/webpage/auditing', eventName: 'ReviewHtml', kinds: ['html'], action: 'ci:DescribeAuditingHtmlJob' },
];

/** The APIs to ask, in order: the kind's first, then every other one. */
export function moderationApisFor(kind: ModerationKind | null): ModerationApi[] {
  const own = MODERATION_APIS.find((api) => kind !== null && api.kinds.includes(kind));
  return own ? [own, ...MODERATION_APIS.filter((api) => api !== own)] : [...MODERATION_APIS];
}
