/**
 * This service's share of the org's daily API allocation, shared by every worker through
 * Redis. The allocation (`DailyApiRequests.Max`) is read from `/limits` once and then kept
 * current from the `Sforce-Limit-Info` header every answer carries.
 */
import type Redis from 'ioredis';
import { Budget } from '../budget';

const DAY_MS = 24 * 3_600_000;

export interface SalesforceBudgetOptions {
  redis: Redis;
  keyPrefix: string;
  /** Share of the allocation this service may use, (0, 1]. */
  share: number;
  maxWaitMs: number;
}

export class SalesforceBudget {
  private budget: Budget | undefined;
  private allocation: number | undefined;
  private pausedUntil = 0;

  constructor(private readonly options: SalesforceBudgetOptions) {}

  /** The org's daily allocation, once known. */
  get orgAllocation(): number | undefined {
    return this.allocation;
  }

  /** Calls per 24 h this service may make, once the allocation is known. */
  get dailyLimit(): number | undefined {
    return this.allocation === undefined ? undefined : limitFor(this.allocation, this.options.share);
  }

  /** Sets the org's allocation; the shared counter in Redis carries over. */
  setAllocation(max: number): void {
    if (max <= 0 || max === this.allocation) return;
    this.allocation = max;
    this.budget = new Budget({
      system: 'salesforce',
      redis: this.options.redis,
      keyPrefix: this.options.keyPrefix,
      windows: [{ name: 'daily', limit: limitFor(max, this.options.share), windowMs: DAY_MS }],
      maxWaitMs: this.options.maxWaitMs,
    });
    this.budget.pauseFor(this.pausedUntil - Date.now());
  }

  /** Takes one call; throws RateLimitedError (with the wait) when the share is spent. */
  async take(): Promise<void> {
    if (!this.budget) throw new Error('the Salesforce allocation must be known before calls are budgeted');
    await this.budget.take(1);
  }

  /** Stops calls for `ms` (the org itself refused one), in this process. */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
    this.budget?.pauseFor(ms);
  }
}

function limitFor(max: number, share: number): number {
  return Math.max(1, Math.floor(max * share));
}
