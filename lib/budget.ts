import type { Context } from 'aws-lambda';

/**
 * Time kept back from Lambda's remaining time: enough to write the body to the function log
 * and answer (a 6 MB body is written to stdout in milliseconds) before Lambda ends the call.
 */
export const BUDGET_MARGIN_MS = 500;
/** Without a Lambda context (dev server, `npm run replay`, tests): the deployed 10 s timeout less the margin. */
export const DEFAULT_BUDGET_MS = 9_500;
/** Even a call with almost no time left gets a moment to answer from what is already done. */
const MIN_BUDGET_MS = 50;

/** What `race` resolves with when the budget ran out before the work. */
export const EXPIRED: unique symbol = Symbol('budget expired');

/** What a request may still spend, and a way to stop waiting when it is spent. */
export interface RequestBudget {
  /** The time the budget runs out (epoch ms). */
  readonly expiresAt: number;
  /** The work's value, or EXPIRED when the budget ran out first; the work is left to run on. */
  race<T>(work: Promise<T>): Promise<T | typeof EXPIRED>;
  /** The request is answered: its budget no longer needs watching. */
  close(): void;
}

/** The budget of one invocation: Lambda's remaining time less a margin, or the default without a context. */
export function budgetMs(context?: Partial<Context>): number {
  const remaining = context?.getRemainingTimeInMillis?.();
  if (typeof remaining !== 'number' || !Number.isFinite(remaining)) return DEFAULT_BUDGET_MS;
  return Math.max(MIN_BUDGET_MS, remaining - BUDGET_MARGIN_MS);
}

export function startBudget(ms: number, now = Date.now()): RequestBudget {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<typeof EXPIRED>((resolve) => {
    timer = setTimeout(resolve, ms, EXPIRED);
  });
  return {
    expiresAt: now + ms,
    race: (work) => Promise.race([work, expired]),
    close: () => clearTimeout(timer),
  };
}
