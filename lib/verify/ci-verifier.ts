import { CallbackError } from '../errors';
import { isJobFinished, isModerationResult, type CallbackEvent, type ModerationResultEvent } from '../events';
import { logger } from '../observability/logger';
import { CI_ID, CiUnavailableError, type CiClient } from './ci-client';
import type { CiVerifyConfig } from './config';
import { differingFields, jobEventFromCi, moderationEventFromCi, runEventFromCi } from './ci-record';
import type { CallbackVerifier } from './verifier';

/** Why CI does not confirm an event; `callback` is what the callback claims, `ci` what CI says. */
interface Mismatch {
  subject: string;
  type: string;
  mismatch: 'id' | 'not_found' | 'state' | 'code' | 'tag' | 'verdict' | 'kind';
  callback?: string | null;
  ci?: string | null;
}

type Outcome = { verified?: CallbackEvent; mismatch?: Mismatch; failure?: CiUnavailableError };

/**
 * CALLBACK_VERIFY=ci: each job, workflow run and moderation job is looked up in CI's own API,
 * and what is forwarded is the event built from CI's record, never from the callback: the
 * callback only names the ids to look up. A callback whose outcome (state, code, and for a job
 * its tag; for a moderation result the state, verdict and kind it states) differs from CI's is
 * refused: it is forged or premature. Other fields it states differently are logged and
 * replaced by CI's. One refused event refuses the whole callback.
 */
export class CiVerifier implements CallbackVerifier {
  readonly name = 'ci';

  constructor(
    private readonly client: CiClient,
    private readonly config: Pick<CiVerifyConfig, 'timeoutMs' | 'concurrency' | 'bucket'>,
  ) {}

  async confirm(events: readonly CallbackEvent[]): Promise<CallbackEvent[]> {
    // One budget for the whole callback, however many jobs and lookups it takes.
    const signal = AbortSignal.timeout(this.config.timeoutMs);
    const outcomes = await mapBounded(events, this.config.concurrency, (event) => this.check(event, signal));
    const mismatches = outcomes.flatMap((o) => (o.mismatch ? [o.mismatch] : []));
    const failures = outcomes.flatMap((o) => (o.failure ? [o.failure] : []));
    for (const mismatch of mismatches) logger.warn(`CI does not confirm ${mismatch.subject}: ${describe(mismatch)}`, { ...mismatch });
    // A contradiction is final; a lookup that failed is not, so it only decides when nothing was contradicted.
    if (mismatches.length > 0) {
      throw new CallbackError(
        403,
        'unverified_callback',
        `CI does not confirm ${mismatches.length} of ${events.length} event(s); nothing was forwarded`,
      );
    }
    if (failures.length > 0) {
      logFailure(failures[0]);
      throw Object.assign(
        new CallbackError(503, 'verification_unavailable', 'CI could not be asked to confirm the callback; retry later'),
        { causes: failures.map((f) => ({ reason: f.reason, message: f.message, ...f.detail })) },
      );
    }
    return outcomes.map((o) => ({ ...(o.verified as CallbackEvent), civerified: true }));
  }

  private async check(event: CallbackEvent, signal: AbortSignal): Promise<Outcome> {
    const base = { subject: event.subject, type: event.type };
    if (!CI_ID.test(event.subject)) return { mismatch: { ...base, mismatch: 'id' } };
    try {
      const verified = isJobFinished(event)
        ? await this.lookUpJob(event.subject, event.data.tag, signal)
        : isModerationResult(event)
          ? await this.lookUpModeration(event, signal)
          : await this.lookUpRun(event.subject, signal);
      if (verified === null) return { mismatch: { ...base, mismatch: 'not_found' } };
      const contradiction = outcomeMismatch(event, verified);
      if (contradiction) return { mismatch: { ...base, ...contradiction } };
      const replaced = differingFields(event, verified);
      if (replaced.length > 0) {
        logger.warn(`the callback for ${event.subject} differs from CI's record in ${replaced.join(', ')}: CI's values are forwarded`, {
          ...base,
          replacedFields: replaced,
        });
      }
      return { verified };
    } catch (err) {
      if (err instanceof CiUnavailableError) return { failure: err };
      throw err;
    }
  }

  private async lookUpJob(jobId: string, tag: string | null, signal: AbortSignal): Promise<CallbackEvent | null> {
    const record = await this.client.describeJob(jobId, tag, signal);
    return record && fromRecord(() => jobEventFromCi(record), jobId);
  }

  /** A Detail result's JobId, or a Simple result's trace_id (the JobId it was submitted as), under its kind's API first. */
  private async lookUpModeration(event: ModerationResultEvent, signal: AbortSignal): Promise<CallbackEvent | null> {
    const found = await this.client.describeModerationJob(event.subject, event.data.kind, signal);
    return found && fromRecord(() => moderationEventFromCi(found.record, found.eventName, this.config.bucket), event.subject);
  }

  private async lookUpRun(runId: string, signal: AbortSignal): Promise<CallbackEvent | null> {
    const record = await this.client.describeWorkflowExecution(runId, signal);
    return record && fromRecord(() => runEventFromCi(record, this.config.bucket), runId);
  }
}

/** The fields that decide an event's id and meaning: a callback that states them otherwise is refused. */
function outcomeMismatch(claimed: CallbackEvent, verified: CallbackEvent): Pick<Mismatch, 'mismatch' | 'callback' | 'ci'> | null {
  if (isModerationResult(claimed) && isModerationResult(verified)) return moderationMismatch(claimed, verified);
  if (claimed.data.state !== verified.data.state) return { mismatch: 'state', callback: claimed.data.state, ci: verified.data.state };
  if (isJobFinished(claimed) && isJobFinished(verified)) {
    if (claimed.data.code !== verified.data.code) return { mismatch: 'code', callback: claimed.data.code, ci: verified.data.code };
    if (claimed.data.tag !== verified.data.tag) return { mismatch: 'tag', callback: claimed.data.tag, ci: verified.data.tag };
  }
  return null;
}

/**
 * A moderation result is confirmed on what the callback states of it: a Simple callback states
 * no State and may name no kind or verdict, and what it leaves out cannot be contradicted.
 */
function moderationMismatch(claimed: ModerationResultEvent, verified: ModerationResultEvent): Pick<Mismatch, 'mismatch' | 'callback' | 'ci'> | null {
  const { state, verdict, kind } = claimed.data;
  if (state !== null && state !== verified.data.state) return { mismatch: 'state', callback: state, ci: verified.data.state };
  if (verdict !== null && verdict !== verified.data.verdict) return { mismatch: 'verdict', callback: verdict, ci: verified.data.verdict };
  if (kind !== null && kind !== verified.data.kind) return { mismatch: 'kind', callback: kind, ci: verified.data.kind };
  return null;
}

/** A record CI returned that the normalizer cannot read is an answer nothing can be concluded from. */
function fromRecord(build: () => CallbackEvent, id: string): CallbackEvent {
  try {
    return build();
  } catch (err) {
    if (!(err instanceof CallbackError)) throw err;
    throw new CiUnavailableError('unexpected_answer', `CI's record of ${id} cannot be read: ${err.message}`, { path: id });
  }
}

function describe(m: Mismatch): string {
  switch (m.mismatch) {
    case 'id':
      return 'the id is not a CI id';
    case 'not_found':
      return 'CI does not know this id';
    default:
      return `the callback says ${m.mismatch} ${JSON.stringify(m.callback)}, CI says ${JSON.stringify(m.ci)}`;
  }
}

function logFailure(failure: CiUnavailableError): void {
  const fields = { reason: failure.reason, ...failure.detail };
  if (failure.reason === 'credentials_refused') {
    logger.error(
      `CI refused the credentials${failure.detail.ciCode ? ` (${failure.detail.ciCode})` : ''}: check TENCENTCLOUD_SECRET_ID / ` +
        `TENCENTCLOUD_SECRET_KEY and that the key may call ${failure.detail.action ?? 'the CI describe and moderation query APIs'}`,
      fields,
    );
  } else {
    logger.error(`CI verification unavailable: ${failure.message}`, fields);
  }
}

/** Runs `task` over `items` with at most `limit` in flight; results in input order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
