/**
 * Turns what jsforce and the transport throw into the connector's four error kinds, with
 * messages that carry Salesforce's code and text but never a record's values.
 */
import { AuthConfigError, PermanentError, RateLimitedError, RetryableError } from '../errors';
import { ServerError, TransportError } from './transport';

export interface ClassifyContext {
  /** What the admin must set for the connector to log in again (depends on the auth mode). */
  authFix: string;
  orgLimitPauseMs: number;
  concurrencyPauseMs: number;
}

/** jsforce's HttpApiError and OAuth errors, structurally. */
interface ApiErrorLike {
  name?: unknown;
  message?: unknown;
  errorCode?: unknown;
}

/** Messages of the transport's ServerError and TransportError, as jsforce passes them on. */
const TRANSIENT_LOGIN = /^Salesforce answered 5\d\d |: (no answer within the timeout|connection failed)$/;

/** OAuth token endpoint refusals (`{error, error_description}`), which jsforce names by `error`. */
const OAUTH_ERRORS = new Set(['invalid_grant', 'invalid_client_id', 'invalid_client', 'unsupported_grant_type', 'invalid_request', 'inactive_user', 'inactive_org']);

/**
 * The connector error for `error`. The original is not kept as `cause`: jsforce errors carry
 * response bodies and SOQL, which may hold personal data, and causes end up in logs.
 */
export function classify(error: unknown, context: ClassifyContext): Error {
  if (error instanceof RetryableError || error instanceof RateLimitedError || error instanceof PermanentError || error instanceof AuthConfigError) {
    return error;
  }
  if (error instanceof ServerError || error instanceof TransportError) return new RetryableError(error.message, { cause: error });
  if (!(error instanceof Error)) return new RetryableError('unexpected failure calling Salesforce');
  const { errorCode, name } = error as ApiErrorLike;
  const code = typeof errorCode === 'string' ? errorCode : typeof name === 'string' ? name : 'UNKNOWN';
  const message = redact(error.message);
  if (error.message.startsWith('Unable to refresh session due to:')) {
    const reason = message.replace('Unable to refresh session due to: ', '');
    // The login itself got no proper answer (5xx, timeout, dropped): nothing is known to be
    // wrong with the credentials, so this is retried like any transient failure.
    if (TRANSIENT_LOGIN.test(reason)) return new RetryableError(`Salesforce session expired and logging in again failed for now (${reason})`);
    return new AuthConfigError(`Salesforce session expired and logging in again failed (${reason})`, context.authFix);
  }
  if (code === 'INVALID_SESSION_ID' || code === 'ERROR_HTTP_401') {
    return new AuthConfigError('Salesforce rejected the session and the connector has no way to log in again', context.authFix);
  }
  if (OAUTH_ERRORS.has(code)) {
    return new AuthConfigError(`Salesforce login refused (${code}: ${message})`, context.authFix);
  }
  if (code === 'REQUEST_LIMIT_EXCEEDED') {
    // "TotalRequests Limit exceeded." is the org's rolling 24 h allocation; the other
    // variants ("ConcurrentPerOrgLongTxn ...") clear within seconds.
    const daily = /TotalRequests/i.test(error.message);
    const wait = daily ? context.orgLimitPauseMs : context.concurrencyPauseMs;
    return new RateLimitedError(`Salesforce refused the call: ${message}`, wait, daily ? 'salesforce:org_daily' : 'salesforce:concurrent');
  }
  if (typeof errorCode === 'string') return new PermanentError(`Salesforce ${code}: ${message}`, code);
  return error;
}

/**
 * Record values Salesforce echoes in its messages, hidden: a too-long value, an invalid
 * e-mail, and any e-mail address (SOQL errors quote the query around the error). Field
 * and object names stay: they are what the admin needs.
 */
export function redact(message: string): string {
  return message
    .replace(/(data value too large: )[\s\S]*?( \(max length=\d+\))/g, '$1[value hidden]$2')
    .replace(/(invalid email address: )\S+/gi, '$1[value hidden]')
    .replace(/[^\s'"<>()@,]+@[^\s'"<>(),]+/g, '[email hidden]');
}
