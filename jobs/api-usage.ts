/**
 * API calls per system and minute, kept in Redis so the console can chart the last 24 hours
 * and say how much of each daily budget is left, across every process. The call counters
 * (connectors/accounting.ts) live in each process's memory: each process runs a flusher that
 * adds what its counters gained since the last flush to the current minute.
 *
 * `<prefix>:calls:<system>:<YYYY-MM-DD>` (UTC day) is a hash of minute-of-day -> calls, kept
 * three days: one key per system and day, and a day's count is one HGETALL.
 */
import type Redis from 'ioredis';
import type { System } from '../connectors/accounting';

export const SYSTEMS: readonly System[] = ['hubspot', 'salesforce'];
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const KEEP_SECONDS = 3 * 86_400;

/** UTC midnight of the day of `ms`. */
export const startOfUtcDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

export interface UsagePoint {
  /** Start of the bucket (ISO). */
  at: string;
  calls: number;
}

/**
 * Sums per-minute counts into buckets of `bucketMs` covering [from, to), oldest first, empty
 * buckets included so a chart's time axis has no gaps. `from` is aligned down to a bucket.
 */
export function bucketSeries(perMinute: ReadonlyMap<number, number>, fromMs: number, toMs: number, bucketMs: number): UsagePoint[] {
  const start = Math.floor(fromMs / bucketMs) * bucketMs;
  const buckets: UsagePoint[] = [];
  for (let at = start; at < toMs; at += bucketMs) buckets.push({ at: new Date(at).toISOString(), calls: 0 });
  for (const [minute, calls] of perMinute) {
    if (minute < start || minute >= toMs) continue;
    buckets[Math.floor((minute - start) / bucketMs)]!.calls += calls;
  }
  return buckets;
}

export class ApiUsage {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(system: System, dayMs: number): string {
    return `${this.prefix}:calls:${system}:${new Date(dayMs).toISOString().slice(0, 10)}`;
  }

  /** Adds calls to the minute of `atMs`. */
  async add(counts: Partial<Record<System, number>>, atMs: number): Promise<void> {
    const day = startOfUtcDay(atMs);
    const minuteOfDay = String(Math.floor((atMs - day) / MINUTE_MS));
    const tx = this.redis.multi();
    let any = false;
    for (const system of SYSTEMS) {
      const n = counts[system] ?? 0;
      if (n <= 0) continue;
      any = true;
      tx.hincrby(this.key(system, day), minuteOfDay, n).expire(this.key(system, day), KEEP_SECONDS);
    }
    if (any) await tx.exec();
    else tx.discard();
  }

  /** Calls per minute (epoch ms of the minute) in [from, to). */
  async perMinute(system: System, fromMs: number, toMs: number): Promise<Map<number, number>> {
    const days: number[] = [];
    for (let day = startOfUtcDay(fromMs); day < toMs; day += DAY_MS) days.push(day);
    const pipeline = this.redis.pipeline();
    for (const day of days) pipeline.hgetall(this.key(system, day));
    const replies = (await pipeline.exec()) ?? [];
    const out = new Map<number, number>();
    days.forEach((day, i) => {
      for (const [minute, calls] of Object.entries((replies[i]?.[1] as Record<string, string> | undefined) ?? {})) {
        const at = day + Number(minute) * MINUTE_MS;
        if (at >= Math.floor(fromMs / MINUTE_MS) * MINUTE_MS && at < toMs) out.set(at, Number(calls));
      }
    });
    return out;
  }

  async total(system: System, fromMs: number, toMs: number): Promise<number> {
    let sum = 0;
    for (const calls of (await this.perMinute(system, fromMs, toMs)).values()) sum += calls;
    return sum;
  }
}

export interface UsageFlusher {
  /** Adds what the counters gained since the last flush. */
  flush(): Promise<void>;
  /** Stops the timer after a last flush. */
  stop(): Promise<void>;
}

/**
 * Flushes the process's call counters every `intervalMs`. The first reading is the baseline,
 * so calls made before the flusher started (another service in the same process) are not
 * counted again. A failed flush (Redis down) keeps its delta for the next one.
 */
export function startUsageFlusher(usage: ApiUsage, totals: () => Promise<Record<System, { total: number }>>, intervalMs: number, onError: (error: unknown) => void): UsageFlusher {
  let last: Promise<Record<System, number>> = totals().then((t) => ({ hubspot: t.hubspot.total, salesforce: t.salesforce.total }));
  let running: Promise<void> = Promise.resolve();
  const flushOnce = async () => {
    const before = await last;
    const now = await totals();
    const delta = { hubspot: now.hubspot.total - before.hubspot, salesforce: now.salesforce.total - before.salesforce };
    await usage.add(delta, Date.now());
    last = Promise.resolve({ hubspot: now.hubspot.total, salesforce: now.salesforce.total });
  };
  // One flush at a time: two overlapping flushes would both add the same delta.
  const flush = () => (running = running.then(flushOnce).catch(onError));
  const timer = setInterval(() => void flush(), intervalMs);
  timer.unref();
  return {
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}
