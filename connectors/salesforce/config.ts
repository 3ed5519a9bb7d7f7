/**
 * What the Salesforce connector is configured with: the `SALESFORCE_*` settings of the parsed
 * environment (pass the `Env` from `src/config/env.ts` as is) and tuning knobs with defaults.
 */
import type { Env } from '../../src/config/env';

export type SalesforceConnectorConfig = Pick<
  Env,
  | 'SALESFORCE_INSTANCE_URL'
  | 'SALESFORCE_ACCESS_TOKEN'
  | 'SALESFORCE_LOGIN_URL'
  | 'SALESFORCE_CLIENT_ID'
  | 'SALESFORCE_CLIENT_SECRET'
  | 'SALESFORCE_USERNAME'
  | 'SALESFORCE_PASSWORD'
  | 'SALESFORCE_PRIVATE_KEY'
  | 'SALESFORCE_API_VERSION'
  | 'SALESFORCE_DAILY_SHARE'
> & {
  /**
   * The integration user's id, for recognising the service's own changes when it cannot be
   * learned from a login or the identity URL (e.g. an access token without the `id` scope).
   */
  SALESFORCE_INTEGRATION_USER_ID?: string;
};

export interface SalesforceTuning {
  /**
   * Longest SOQL statement sent. Salesforce allows 100,000 characters; in a GET URL the
   * encoded length below binds first. @defaultValue 100000
   */
  maxSoqlLength: number;
  /** Longest URL-encoded `q` parameter sent; Salesforce refuses URIs over 16,384. @defaultValue 14000 */
  maxEncodedQueryLength: number;
  /** Attempts of a call that failed with a 5xx, a timeout or a dropped connection. @defaultValue 4 */
  requestAttempts: number;
  /** Attempts of a record that failed with UNABLE_TO_LOCK_ROW. @defaultValue 5 */
  lockAttempts: number;
  /** First backoff delay; doubled per attempt, full jitter. @defaultValue 500 */
  backoffBaseMs: number;
  /** Longest backoff delay. @defaultValue 10000 */
  backoffMaxMs: number;
  /** A call without an answer after this long is abandoned (and retried). @defaultValue 60000 */
  requestTimeoutMs: number;
  /** Longest wait for the shared budget before RateLimitedError. @defaultValue 30000 */
  budgetMaxWaitMs: number;
  /** How long to stop after REQUEST_LIMIT_EXCEEDED (the org's 24 h allocation is spent). @defaultValue 3600000 */
  orgLimitPauseMs: number;
  /** Wait suggested after a concurrent-request limit refusal. @defaultValue 5000 */
  concurrencyPauseMs: number;
}

export const DEFAULT_TUNING: SalesforceTuning = {
  maxSoqlLength: 100_000,
  maxEncodedQueryLength: 14_000,
  requestAttempts: 4,
  lockAttempts: 5,
  backoffBaseMs: 500,
  backoffMaxMs: 10_000,
  requestTimeoutMs: 60_000,
  budgetMaxWaitMs: 30_000,
  orgLimitPauseMs: 3_600_000,
  concurrencyPauseMs: 5_000,
};

/** A full-jitter exponential delay for attempt `n` (1-based). */
export function backoffDelay(tuning: Pick<SalesforceTuning, 'backoffBaseMs' | 'backoffMaxMs'>, attempt: number): number {
  const ceiling = Math.min(tuning.backoffMaxMs, tuning.backoffBaseMs * 2 ** (attempt - 1));
  return Math.floor(Math.random() * ceiling);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The minimal logger the connector writes to (pino's Logger fits). */
export interface ConnectorLogger {
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export const silentLogger: ConnectorLogger = { debug() {}, info() {}, warn() {} };
