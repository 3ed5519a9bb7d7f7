/**
 * The one wrapper every HubSpot call goes through: takes a slot from the shared budget,
 * counts the call, applies a timeout, retries what is worth retrying (with jittered
 * exponential back-off) and turns what is left into the connector error kinds.
 *
 * The client's own retries are off (see client.ts), so one attempt here is one HTTP call
 * and the accounting is exact.
 */
import { backOff } from 'exponential-backoff';
import type { Budget } from '../budget';
import { countCall } from '../accounting';
import { AuthConfigError, PermanentError, RateLimitedError, RetryableError } from '../errors';
import { failureOf, type HttpFailure } from './http-failure';
import type { ConnectorLogger } from './logger';
import { msUntilMidnight } from './time';

export type CallKind = 'default' | 'search';

export interface RequesterOptions {
  budget: Budget;
  /** The search API's own per-second budget (shares the daily window with `budget`). */
  searchBudget: Budget;
  logger: ConnectorLogger;
  /** Retries of 5xx, timeouts and dropped connections. @defaultValue 3 */
  maxRetries?: number;
  /** Retries of ten-secondly / secondly 429s. @defaultValue 5 */
  maxRateLimitRetries?: number;
  /** One attempt's time limit. @defaultValue 30000 */
  timeoutMs?: number;
  /** First back-off delay; doubles per attempt, full jitter. @defaultValue 250 */
  backoffStartMs?: number;
  /** @defaultValue 10000 */
  backoffMaxMs?: number;
  /** IANA time zone of the portal: its daily limit resets at midnight there. @defaultValue 'UTC' */
  timeZone?: string;
  /** How a rate-limit wait is slept. @defaultValue a timer (tests record the waits instead) */
  sleep?: (ms: number) => Promise<void>;
}

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Network-level failures worth another attempt (node-fetch reports them as FetchError with a system code). */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET']);

class AttemptTimeout extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'AttemptTimeout';
  }
}

/** The code of a network failure, or undefined when `error` is something else. */
function networkCode(error: unknown): string | undefined {
  if (error instanceof AttemptTimeout) return error.code;
  const e = error as { name?: string; code?: unknown; type?: string; message?: string };
  if (typeof e?.code === 'string' && TRANSIENT_CODES.has(e.code)) return e.code;
  if (e?.name === 'FetchError') return typeof e.code === 'string' ? e.code : (e.type ?? 'network');
  // The generated client throws this when a proxy answers with an HTML error page.
  if (typeof e?.message === 'string' && e.message.includes('is not supported by ObjectSerializer.parse')) return 'NON_JSON_RESPONSE';
  return undefined;
}

function rateLimitPolicy(failure: HttpFailure): 'DAILY' | 'TEN_SECONDLY_ROLLING' | 'SECONDLY' {
  const body = failure.body;
  if (body?.policyName === 'DAILY') return 'DAILY';
  if (body?.policyName === 'TEN_SECONDLY_ROLLING') return 'TEN_SECONDLY_ROLLING';
  return /secondly limit/i.test(body?.message ?? '') ? 'SECONDLY' : 'TEN_SECONDLY_ROLLING';
}

/** How long HubSpot asks us to wait: Retry-After (s), else the rate-limit interval, else the policy's window. */
function waitOf(failure: HttpFailure, policy: 'TEN_SECONDLY_ROLLING' | 'SECONDLY'): number {
  const retryAfter = Number(failure.headers['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter * 1000;
  const interval = Number(failure.headers['x-hubspot-ratelimit-interval-milliseconds']);
  if (policy === 'TEN_SECONDLY_ROLLING' && Number.isFinite(interval) && interval > 0) return interval;
  return policy === 'SECONDLY' ? 1000 : 10_000;
}

function outcomeOf(error: unknown): string {
  const failure = failureOf(error);
  if (failure) return failure.status === 429 ? `429_${rateLimitPolicy(failure)}` : `${Math.floor(failure.status / 100)}xx`;
  const code = networkCode(error);
  return code === 'ETIMEDOUT' ? 'timeout' : code ? 'network' : 'error';
}

const AUTH_FIX =
  'set HUBSPOT_ACCESS_TOKEN to a private app token of this portal, and give the app the scopes crm.objects.contacts.read/write, ' +
  'crm.schemas.contacts.read/write, forms, content (marketing e-mail events) and crm.objects.marketing_events.read ' +
  '(web events need an Enterprise portal, else set HUBSPOT_WEB_EVENTS=false)';

export class Requester {
  private readonly maxRetries: number;
  private readonly maxRateLimitRetries: number;
  private readonly timeoutMs: number;
  private readonly timeZone: string;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RequesterOptions) {
    this.maxRetries = options.maxRetries ?? 3;
    this.maxRateLimitRetries = options.maxRateLimitRetries ?? 5;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.timeZone = options.timeZone ?? 'UTC';
    this.sleep = options.sleep ?? timer;
  }

  /**
   * Runs `fn` (one HTTP call) under the budget, counted as `endpoint` (e.g.
   * `POST /crm/v3/objects/contacts/search`), retried as needed. Throws only connector errors
   * (or a programming error unchanged).
   */
  async call<T>(endpoint: string, fn: () => Promise<T>, kind: CallKind = 'default'): Promise<T> {
    const budget = kind === 'search' ? this.options.searchBudget : this.options.budget;
    let transient = 0;
    let limited = 0;
    const attempt = async (): Promise<T> => {
      await budget.take();
      try {
        const result = await this.withTimeout(fn());
        countCall('hubspot', endpoint, 'ok');
        return result;
      } catch (error) {
        countCall('hubspot', endpoint, outcomeOf(error));
        throw error;
      }
    };
    try {
      return await backOff(attempt, {
        numOfAttempts: this.maxRetries + this.maxRateLimitRetries + 1,
        startingDelay: this.options.backoffStartMs ?? 250,
        maxDelay: this.options.backoffMaxMs ?? 10_000,
        jitter: 'full',
        retry: async (error: unknown) => {
          const failure = failureOf(error);
          if (failure?.status === 429) {
            const policy = rateLimitPolicy(failure);
            if (policy === 'DAILY' || limited >= this.maxRateLimitRetries) return false;
            limited++;
            // Other apps share the portal's limit: everyone in this process waits, plus jitter so workers do not return together.
            const wait = Math.round(waitOf(failure, policy) * (1 + Math.random() * 0.2));
            budget.pauseFor(wait);
            this.options.logger.warn({ endpoint, policy, waitMs: wait, attempt: limited }, 'HubSpot rate limit hit; waiting');
            await this.sleep(wait);
            return true;
          }
          const transientFailure = (failure !== undefined && failure.status >= 500) || (failure === undefined && networkCode(error) !== undefined);
          if (!transientFailure || transient >= this.maxRetries) return false;
          transient++;
          this.options.logger.warn({ endpoint, status: failure?.status, code: networkCode(error), retry: transient }, 'HubSpot call failed; retrying');
          return true;
        },
      });
    } catch (error) {
      throw this.classify(error, endpoint, transient);
    }
  }

  private async withTimeout<T>(promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new AttemptTimeout(this.timeoutMs)), this.timeoutMs)))]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The connector error for what was left after retries. */
  private classify(error: unknown, endpoint: string, transient: number): unknown {
    if (error instanceof RateLimitedError || error instanceof RetryableError || error instanceof PermanentError || error instanceof AuthConfigError) return error;
    const failure = failureOf(error);
    if (!failure) {
      const code = networkCode(error);
      if (!code) return error;
      const hint = code === 'NON_JSON_RESPONSE' ? ' (the answer was not JSON: check HUBSPOT_BASE_URL)' : '';
      return new RetryableError(`HubSpot ${endpoint} failed after ${transient + 1} attempts: ${code}${hint}`, { cause: error });
    }
    const { status, body } = failure;
    const correlation = body?.correlationId ? ` (correlationId ${body.correlationId})` : '';
    if (status === 429) {
      const policy = rateLimitPolicy(failure);
      if (policy === 'DAILY') {
        const waitMs = msUntilMidnight(Date.now(), this.timeZone);
        this.options.budget.pauseFor(waitMs);
        this.options.searchBudget.pauseFor(waitMs);
        const resetAt = new Date(Date.now() + waitMs).toISOString();
        return new RateLimitedError(`HubSpot daily API limit reached on ${endpoint}; it resets at ${resetAt} (midnight ${this.timeZone})${correlation}`, waitMs, 'hubspot:daily');
      }
      const waitMs = waitOf(failure, policy);
      return new RateLimitedError(`HubSpot ${policy.toLowerCase()} limit still hit on ${endpoint} after ${this.maxRateLimitRetries} retries${correlation}`, waitMs, policy === 'SECONDLY' ? 'hubspot:search' : 'hubspot:ten_secondly');
    }
    if (status === 401 || status === 403) {
      return new AuthConfigError(`HubSpot refused ${endpoint} with ${status} ${body?.category ?? ''}${correlation}`.replace(/ +\(/, ' ('), AUTH_FIX);
    }
    if (status >= 500) return new RetryableError(`HubSpot ${endpoint} answered ${status} after ${transient + 1} attempts${correlation}`);
    return new PermanentError(`HubSpot refused ${endpoint} (${status}): ${body?.message ?? 'no message'}${correlation}`, body?.category ?? `HTTP_${status}`, body?.correlationId ? { correlationId: body.correlationId } : {});
  }
}
