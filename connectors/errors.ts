/**
 * The few error kinds every connector speaks. Jobs decide what to do by kind, never by
 * parsing messages: retry later, wait for the rate limit, give up on a record, or stop and
 * tell the admin what to fix.
 */

/** A transient failure (5xx, timeout, dropped connection, lock contention): try again. */
export class RetryableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetryableError';
  }
}

/** The API said "not now": wait `retryAfterMs`, then try again. `scope` says which budget. */
export class RateLimitedError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
    readonly scope: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RateLimitedError';
  }
}

/** The API refused this input and will refuse it again: do not retry without a fix. */
export class PermanentError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown; correlationId?: string },
  ) {
    super(message, options);
    this.name = 'PermanentError';
    this.correlationId = options?.correlationId;
  }
  readonly correlationId: string | undefined;
}

/** Credentials or configuration are wrong: stop and say what to fix. */
export class AuthConfigError extends Error {
  constructor(
    message: string,
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(`${message}. Fix: ${fix}`, options);
    this.name = 'AuthConfigError';
  }
}

export type ConnectorErrorKind = 'retryable' | 'rate_limited' | 'permanent' | 'auth';

export function errorKind(error: unknown): ConnectorErrorKind {
  if (error instanceof RateLimitedError) return 'rate_limited';
  if (error instanceof PermanentError) return 'permanent';
  if (error instanceof AuthConfigError) return 'auth';
  return 'retryable';
}

/** Outcome of one record in a batch call: one bad record never fails its neighbours. */
export type RecordResult =
  | { key: string; ok: true; id?: string; created?: boolean }
  | { key: string; ok: false; retryable: boolean; code: string; message: string; correlationId?: string };
