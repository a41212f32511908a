import { isJobFinished, isModerationResult, type CallbackEvent } from '../events';

/**
 * How the log summary and the metrics name an event in one word: a job's Tag, `Workflow` for
 * a workflow run, `Moderation:<kind>` (`Moderation:image`, …) for a moderation result.
 */
export function summaryTag(event: CallbackEvent): string | null {
  if (isJobFinished(event)) return event.data.tag;
  if (isModerationResult(event)) return `Moderation:${event.data.kind ?? 'unknown'}`;
  return 'Workflow';
}

/**
 * A job's or run's State; for a moderation result its verdict (pass, block, review), what an
 * alarm watches, else its State: a Simple callback has no State, a Failed job no verdict.
 */
export function summaryState(event: CallbackEvent): string | null {
  return isModerationResult(event) ? (event.data.verdict ?? event.data.state) : event.data.state;
}
