/**
 * Every REST call of the connector goes through `SalesforceApi.request`: one point of the
 * shared daily budget per attempt, bounded retries with jittered backoff for 5xx answers
 * and lost connections, and Salesforce's errors turned into the connector's error kinds.
 */
import type { Connection, HttpRequest } from 'jsforce';
import { RateLimitedError, RetryableError } from '../errors';
import type { SalesforceBudget } from './budget';
import { classify, type ClassifyContext } from './classify';
import { backoffDelay, sleep, type ConnectorLogger, type SalesforceTuning } from './config';
import type { SalesforceSession } from './session';

export interface QueryPage<T> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

/** One record's failure in a save result (sObject Collections say `statusCode`). */
export interface SaveError {
  statusCode: string;
  message: string;
  fields?: string[];
}

export interface SaveResult {
  id?: string | null;
  success: boolean;
  errors: SaveError[];
  created?: boolean;
}

/** A record as the query API returns it. */
export type SfRow = { attributes?: { type: string; url?: string }; Id: string } & Record<string, unknown>;

export interface LimitsBody {
  DailyApiRequests?: { Max: number; Remaining: number };
}

export interface ApiDeps {
  session: SalesforceSession;
  budget: SalesforceBudget;
  tuning: SalesforceTuning;
  classifyContext: ClassifyContext;
  logger: ConnectorLogger;
}

export class SalesforceApi {
  private allocationKnown: Promise<LimitsBody> | undefined;

  constructor(private readonly deps: ApiDeps) {}

  /** A REST call: budgeted, retried when transient, errors classified. */
  async request<T>(request: HttpRequest | string): Promise<T> {
    const conn = await this.deps.session.connection();
    await this.knowAllocation(conn);
    return this.send<T>(conn, request, true);
  }

  query<T extends SfRow>(soql: string, options: { includeDeleted?: boolean } = {}): Promise<QueryPage<T>> {
    return this.request<QueryPage<T>>(`/${options.includeDeleted ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`);
  }

  queryMore<T extends SfRow>(nextRecordsUrl: string): Promise<QueryPage<T>> {
    return this.request<QueryPage<T>>(nextRecordsUrl);
  }

  /** Every page of a query, in order (2,000 rows each unless the org says otherwise). */
  async *pages<T extends SfRow>(soql: string, options: { includeDeleted?: boolean } = {}): AsyncGenerator<QueryPage<T>> {
    let page = await this.query<T>(soql, options);
    yield page;
    while (!page.done && page.nextRecordsUrl) {
      page = await this.queryMore<T>(page.nextRecordsUrl);
      yield page;
    }
  }

  async queryAllRows<T extends SfRow>(soql: string, options: { includeDeleted?: boolean } = {}): Promise<T[]> {
    const rows: T[] = [];
    for await (const page of this.pages<T>(soql, options)) rows.push(...page.records);
    return rows;
  }

  /** One sObject Collections call (at most 200 records), `allOrNone: false`. */
  collection(method: 'POST' | 'PATCH', records: Array<Record<string, unknown>>): Promise<SaveResult[]> {
    return this.request<SaveResult[]>({
      method,
      url: '/composite/sobjects',
      body: JSON.stringify({ allOrNone: false, records }),
      headers: { 'content-type': 'application/json' },
    });
  }

  /** `GET /limits`, also refreshing the allocation the budget is computed from. */
  async limits(): Promise<LimitsBody> {
    const conn = await this.deps.session.connection();
    const first = await this.knowAllocation(conn);
    const body = first ?? (await this.send<LimitsBody>(conn, '/limits', true));
    if (body.DailyApiRequests) this.deps.budget.setAllocation(body.DailyApiRequests.Max);
    return body;
  }

  /**
   * Reads the allocation once per process before the first budgeted call, and charges that
   * read; returns the `/limits` answer when this call made it.
   */
  private knowAllocation(conn: Connection): Promise<LimitsBody | undefined> {
    if (this.deps.budget.orgAllocation !== undefined) return Promise.resolve(undefined);
    this.allocationKnown ??= (async () => {
      const body = await this.send<LimitsBody>(conn, '/limits', false);
      const max = body.DailyApiRequests?.Max ?? conn.limitInfo.apiUsage?.limit;
      if (!max) throw new RetryableError('Salesforce /limits did not say the daily API allocation');
      this.deps.budget.setAllocation(max);
      await this.take();
      return body;
    })().finally(() => {
      this.allocationKnown = undefined;
    });
    return this.allocationKnown;
  }

  private async send<T>(conn: Connection, request: HttpRequest | string, budgeted: boolean): Promise<T> {
    const { tuning, logger } = this.deps;
    for (let attempt = 1; ; attempt++) {
      if (budgeted) await this.take();
      try {
        const body = await conn.request<T>(request);
        this.observeAllocation(conn);
        return body;
      } catch (error) {
        this.observeAllocation(conn);
        const mapped = classify(error, this.deps.classifyContext);
        if (mapped instanceof RetryableError && attempt < tuning.requestAttempts) {
          const delay = backoffDelay(tuning, attempt);
          logger.debug({ attempt, delayMs: delay, reason: mapped.message }, 'Salesforce call failed; retrying');
          await sleep(delay);
          continue;
        }
        if (mapped instanceof RateLimitedError) {
          if (mapped.scope === 'salesforce:org_daily') this.deps.budget.pauseFor(mapped.retryAfterMs);
          logger.warn({ retryAfterMs: mapped.retryAfterMs, scope: mapped.scope }, 'Salesforce refused the call for its API limit; work waits');
        }
        throw mapped;
      }
    }
  }

  private async take(): Promise<void> {
    try {
      await this.deps.budget.take();
    } catch (error) {
      if (error instanceof RateLimitedError) {
        this.deps.logger.warn({ retryAfterMs: error.retryAfterMs, dailyLimit: this.deps.budget.dailyLimit }, 'Salesforce daily share spent; work waits');
      }
      throw error;
    }
  }

  /** `Sforce-Limit-Info` (parsed by jsforce) keeps the allocation current without extra calls. */
  private observeAllocation(conn: Connection): void {
    const limit = conn.limitInfo.apiUsage?.limit;
    if (limit) this.deps.budget.setAllocation(limit);
  }
}
