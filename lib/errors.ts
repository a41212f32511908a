/** The one error type a request can end with; everything else is a bug and becomes a 500. */
export type CallbackErrorCode =
  | 'malformed_body'
  | 'missing_id'
  | 'unsupported_event'
  | 'payload_too_large'
  | 'method_not_allowed'
  | 'unauthorized'
  | 'forbidden_source'
  | 'unverified_callback'
  | 'misconfigured'
  | 'archive_failed'
  | 'forward_failed'
  | 'verification_unavailable'
  | 'secrets_unavailable'
  | 'internal_error';

export class CallbackError extends Error {
  constructor(
    readonly status: number,
    readonly code: CallbackErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CallbackError';
  }
}

export const malformed = (message: string) => new CallbackError(400, 'malformed_body', message);

/** The deployment's settings are wrong: every request fails closed until they are fixed. */
export const misconfigured = (message: string) => new CallbackError(500, 'misconfigured', message);
