/**
 * Request accounting shared by the simulators: how many calls the service made, to which
 * endpoint, with which outcome. Benchmarks and tests read it to prove call budgets.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isControlPath } from './faults';

/** One counted cell: `endpoint` like `POST /composite/sobjects`, `outcome` like `2xx`. */
export interface AccountingRow {
  endpoint: string;
  outcome: string;
  count: number;
}

export interface AccountingSnapshot {
  system: string;
  /** ISO instant of the last reset (or creation). */
  since: string;
  total: number;
  byEndpoint: Record<string, number>;
  byOutcome: Record<string, number>;
  rows: AccountingRow[];
}

/** Outcome recorded when the connection closed before a response was sent (drop, timeout). */
export const OUTCOME_NO_RESPONSE = 'no_response';

const OUTCOME_LOCAL = 'sandboxOutcome';

/**
 * Names the outcome of the current request more precisely than its status class, e.g. a
 * system error code (`INVALID_SESSION_ID`, `RATE_LIMIT`). Call it before sending the answer.
 */
export function setOutcome(res: Response, outcome: string): void {
  res.locals[OUTCOME_LOCAL] = outcome;
}

/** `2xx`, `4xx`... for a status code. */
export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

/** Path segments that identify one resource rather than a route. */
const ID_SEGMENT: Array<[RegExp, string]> = [
  [/^[0-9]+$/, '{id}'],
  [/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, '{uuid}'],
  // Salesforce ids: 15 or 18 alphanumerics starting with a 3-character key prefix and digits.
  [/^[a-zA-Z0-9]{3}[0-9][a-zA-Z0-9]{11}([a-zA-Z0-9]{3})?$/, '{id}'],
];

/**
 * `METHOD /path` with id-like segments replaced by placeholders. Simulators with their own
 * routes (prefixes to strip, locators, external-id values) pass a custom normaliser to
 * {@link RequestAccounting.middleware}.
 */
export function normaliseEndpoint(method: string, path: string): string {
  const segments = path.split('/').map((segment) => {
    for (const [pattern, placeholder] of ID_SEGMENT) if (pattern.test(segment)) return placeholder;
    return segment;
  });
  return `${method.toUpperCase()} ${segments.join('/')}`;
}

export interface AccountingMiddlewareOptions {
  /** Endpoint label of a request. @defaultValue {@link normaliseEndpoint} of method and path */
  endpointOf?(req: Request): string;
  /** Requests not counted. @defaultValue paths under `/__sandbox` */
  isExempt?(req: Request): boolean;
}

/** Counts requests by endpoint and outcome. */
export class RequestAccounting {
  private readonly cells = new Map<string, AccountingRow>();
  private since = new Date();

  constructor(readonly system: string) {}

  record(endpoint: string, outcome: string): void {
    const key = `${endpoint}\u0000${outcome}`;
    const cell = this.cells.get(key);
    if (cell) cell.count++;
    else this.cells.set(key, { endpoint, outcome, count: 1 });
  }

  snapshot(): AccountingSnapshot {
    const byEndpoint: Record<string, number> = {};
    const byOutcome: Record<string, number> = {};
    let total = 0;
    const rows = [...this.cells.values()].map((row) => ({ ...row }));
    for (const row of rows) {
      byEndpoint[row.endpoint] = (byEndpoint[row.endpoint] ?? 0) + row.count;
      byOutcome[row.outcome] = (byOutcome[row.outcome] ?? 0) + row.count;
      total += row.count;
    }
    rows.sort((a, b) => a.endpoint.localeCompare(b.endpoint) || a.outcome.localeCompare(b.outcome));
    return { system: this.system, since: this.since.toISOString(), total, byEndpoint, byOutcome, rows };
  }

  reset(): void {
    this.cells.clear();
    this.since = new Date();
  }

  /**
   * Middleware recording each request once, after its response finished (outcome: the value
   * given to {@link setOutcome}, else the status class) or after the connection closed
   * without a response ({@link OUTCOME_NO_RESPONSE}). Mount it before the fault middleware
   * so injected faults are counted too.
   */
  middleware(options: AccountingMiddlewareOptions = {}): RequestHandler {
    const exempt = options.isExempt ?? ((req: Request) => isControlPath(req.path));
    const endpointOf = options.endpointOf ?? ((req: Request) => normaliseEndpoint(req.method, req.path));
    return (req: Request, res: Response, next: NextFunction): void => {
      if (exempt(req)) return next();
      const endpoint = endpointOf(req);
      let done = false;
      const finish = (outcome: string): void => {
        if (done) return;
        done = true;
        this.record(endpoint, outcome);
      };
      const outcome = (): string => String(res.locals[OUTCOME_LOCAL] ?? statusClass(res.statusCode));
      res.once('finish', () => finish(outcome()));
      res.once('close', () => finish(res.writableFinished ? outcome() : OUTCOME_NO_RESPONSE));
      next();
    };
  }
}
