/**
 * The org's daily API request allocation: a rolling 24-hour window kept as hourly buckets.
 * Every REST call under `/services/data` counts; OAuth and control endpoints do not.
 */

const HOUR = 3_600_000;

export class ApiUsage {
  private readonly buckets = new Map<number, number>();

  /**
   * @param max requests allowed per rolling 24 h. @defaultValue 100000 (Enterprise base)
   */
  constructor(
    public max = 100_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Requests counted in the last 24 hours. */
  used(): number {
    const oldest = Math.floor(this.clock() / HOUR) - 23;
    let total = 0;
    for (const [hour, n] of this.buckets) {
      if (hour < oldest) this.buckets.delete(hour);
      else total += n;
    }
    return total;
  }

  remaining(): number {
    return Math.max(0, this.max - this.used());
  }

  /** Counts one request; false (and nothing counted) when the allocation is spent. */
  tryConsume(): boolean {
    if (this.used() >= this.max) return false;
    const hour = Math.floor(this.clock() / HOUR);
    this.buckets.set(hour, (this.buckets.get(hour) ?? 0) + 1);
    return true;
  }

  /** Sets the count for tests and demos (all attributed to the current hour). */
  setUsed(used: number): void {
    this.buckets.clear();
    if (used > 0) this.buckets.set(Math.floor(this.clock() / HOUR), used);
  }

  /** `api-usage=USED/MAX`, the `Sforce-Limit-Info` header value. */
  header(): string {
    return `api-usage=${this.used()}/${this.max}`;
  }
}

/** The `/limits` answer: the daily allocation plus fixed figures for other limits. */
export function limitsBody(usage: ApiUsage): Record<string, { Max: number; Remaining: number }> {
  const fixed = (max: number, remaining = max) => ({ Max: max, Remaining: remaining });
  return {
    ConcurrentAsyncGetReportInstances: fixed(200),
    ConcurrentSyncReportRuns: fixed(20),
    DailyApiRequests: { Max: usage.max, Remaining: usage.remaining() },
    DailyAsyncApexExecutions: fixed(250_000),
    DailyBulkApiBatches: fixed(15_000),
    DailyBulkV2QueryFileStorageMB: fixed(976_562),
    DailyBulkV2QueryJobs: fixed(10_000),
    DailyStreamingApiEvents: fixed(1_000_000),
    DataStorageMB: fixed(1_024, 1_000),
    FileStorageMB: fixed(1_024, 1_024),
    HourlyODataCallout: fixed(20_000),
    SingleEmail: fixed(5_000),
  };
}
