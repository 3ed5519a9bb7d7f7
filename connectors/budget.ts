/**
 * One API budget shared by every worker process, kept in Redis (rate-limiter-flexible).
 *
 * A budget is a set of windows (e.g. HubSpot: 17 per second so any rolling 10 s stays under
 * 190, and 625,000 per day). `take()` waits while the wait is short; when the next slot is
 * further away than `maxWaitMs` (a spent daily budget) it throws RateLimitedError so the job
 * is delayed, not a worker blocked for hours.
 */
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { apiBudgetRemaining, type System } from './accounting';
import { RateLimitedError } from './errors';

export interface BudgetWindow {
  name: string;
  limit: number;
  windowMs: number;
}

export interface BudgetOptions {
  system: System;
  redis: Redis;
  keyPrefix: string;
  windows: BudgetWindow[];
  /** Longest wait `take()` sleeps through before throwing RateLimitedError. @defaultValue 30000 */
  maxWaitMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Budget {
  private readonly limiters: Array<{ window: BudgetWindow; limiter: RateLimiterRedis }>;
  private readonly maxWaitMs: number;
  private pausedUntil = 0;

  constructor(private readonly options: BudgetOptions) {
    this.maxWaitMs = options.maxWaitMs ?? 30_000;
    this.limiters = options.windows.map((window) => ({
      window,
      limiter: new RateLimiterRedis({
        storeClient: options.redis,
        keyPrefix: `${options.keyPrefix}:budget:${options.system}:${window.name}`,
        points: window.limit,
        duration: Math.max(1, Math.round(window.windowMs / 1000)),
      }),
    }));
  }

  /**
   * Takes `points` calls from every window, in order (shortest first), waiting for the next
   * slot when it is near. A window that refuses is retried alone, so a busy per-second window
   * never burns the daily one.
   */
  async take(points = 1): Promise<void> {
    const pause = this.pausedUntil - Date.now();
    if (pause > this.maxWaitMs) throw this.limited(pause, 'paused');
    if (pause > 0) await sleep(pause);
    for (const { window, limiter } of this.limiters) {
      for (;;) {
        try {
          const res = await limiter.consume('calls', points);
          apiBudgetRemaining.set({ system: this.options.system, window: window.name }, res.remainingPoints);
          break;
        } catch (error) {
          if (!(error instanceof RateLimiterRes)) throw error;
          apiBudgetRemaining.set({ system: this.options.system, window: window.name }, 0);
          if (error.msBeforeNext > this.maxWaitMs) throw this.limited(error.msBeforeNext, window.name);
          await sleep(error.msBeforeNext);
        }
      }
    }
  }

  /** Called when the API answered 429 anyway (other apps share the portal's limit). */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }

  private limited(waitMs: number, scope: string): RateLimitedError {
    const until = new Date(Date.now() + waitMs).toISOString();
    return new RateLimitedError(`${this.options.system} ${scope} budget spent; work resumes at ${until}`, waitMs, `${this.options.system}:${scope}`);
  }
}
