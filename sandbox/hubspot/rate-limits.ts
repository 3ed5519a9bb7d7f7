/**
 * HubSpot's API limits per access token: a rolling ten-second window and a daily count
 * (`X-HubSpot-RateLimit-*` headers on every answer except search), and the search
 * endpoints' own per-second limit, which answers without headers.
 */
import { randomUUID } from 'node:crypto';

export interface RateLimitConfig {
  /** Requests per rolling 10 s. @defaultValue 190 (Professional) */
  tenSecondly: number;
  /** Requests per UTC day. @defaultValue 625000 (Professional) */
  daily: number;
  /** Search requests per second. @defaultValue 5 */
  searchPerSecond: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = { tenSecondly: 190, daily: 625_000, searchPerSecond: 5 };

export type RateDecision =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; policy: 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY'; body: Record<string, string>; headers: Record<string, string> };

const WINDOW_MS = 10_000;
const DAY_MS = 86_400_000;

/** A 429 body exactly as HubSpot words it for `policy`. */
export function rateLimitBody(policy: 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY'): Record<string, string> {
  const message = policy === 'SECONDLY' ? 'You have reached your secondly limit.'
    : policy === 'DAILY' ? 'You have reached your daily limit.' : 'You have reached your ten_secondly_rolling limit.';
  return { status: 'error', message, errorType: 'RATE_LIMIT', correlationId: randomUUID(), policyName: policy };
}

export class RateLimiter {
  config: RateLimitConfig;
  private readonly recent = new Map<string, number[]>();
  private readonly searches = new Map<string, number[]>();
  private readonly days = new Map<string, { day: number; count: number }>();

  constructor(config: Partial<RateLimitConfig> = {}) {
    this.config = { ...DEFAULT_RATE_LIMITS, ...config };
  }

  /** The headers HubSpot sends with the current usage of `token`. */
  headers(token: string, now: number): Record<string, string> {
    const used = this.prune(this.recent, token, now, WINDOW_MS).length;
    const day = this.dayOf(token, now);
    return {
      'X-HubSpot-RateLimit-Max': String(this.config.tenSecondly),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, this.config.tenSecondly - used)),
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(WINDOW_MS),
      'X-HubSpot-RateLimit-Daily': String(this.config.daily),
      'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, this.config.daily - day.count)),
    };
  }

  /** Charges one request to `token`, or refuses it with the policy that was hit. */
  take(token: string, isSearch: boolean, now = Date.now()): RateDecision {
    const day = this.dayOf(token, now);
    if (day.count >= this.config.daily) {
      return { ok: false, policy: 'DAILY', body: rateLimitBody('DAILY'), headers: isSearch ? {} : this.headers(token, now) };
    }
    if (isSearch) {
      const window = this.prune(this.searches, token, now, 1000);
      if (window.length >= this.config.searchPerSecond) return { ok: false, policy: 'SECONDLY', body: rateLimitBody('SECONDLY'), headers: {} };
      window.push(now);
      day.count++;
      return { ok: true, headers: {} };
    }
    const window = this.prune(this.recent, token, now, WINDOW_MS);
    if (window.length >= this.config.tenSecondly) {
      return { ok: false, policy: 'TEN_SECONDLY_ROLLING', body: rateLimitBody('TEN_SECONDLY_ROLLING'), headers: this.headers(token, now) };
    }
    window.push(now);
    day.count++;
    return { ok: true, headers: this.headers(token, now) };
  }

  reset(): void {
    this.recent.clear();
    this.searches.clear();
    this.days.clear();
  }

  private prune(map: Map<string, number[]>, token: string, now: number, span: number): number[] {
    let window = map.get(token);
    if (!window) map.set(token, (window = []));
    let drop = 0;
    while (drop < window.length && (window[drop] ?? 0) <= now - span) drop++;
    if (drop > 0) window.splice(0, drop);
    return window;
  }

  private dayOf(token: string, now: number): { day: number; count: number } {
    const today = Math.floor(now / DAY_MS);
    let entry = this.days.get(token);
    if (!entry || entry.day !== today) this.days.set(token, (entry = { day: today, count: 0 }));
    return entry;
  }
}
