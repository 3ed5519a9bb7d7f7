/** API calls per minute in Redis: buckets by UTC day, series with empty buckets, and the flusher's deltas. */
import { randomUUID } from 'node:crypto';
import IORedis from 'ioredis';
import { ApiUsage, bucketSeries, startUsageFlusher } from '../../jobs/api-usage';
import { deletePrefix } from '../e2e/harness';

const URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const MIN = 60_000;

describe('API usage per minute', () => {
  let redis: IORedis;
  let prefix: string;
  let usage: ApiUsage;
  beforeEach(() => {
    redis = new IORedis(URL);
    prefix = `lsync-usage-${randomUUID().slice(0, 8)}`;
    usage = new ApiUsage(redis, prefix);
  });
  afterEach(async () => {
    await redis.quit();
    await deletePrefix(URL, prefix);
  });

  test('adds per minute across a UTC midnight; totals and series read both days', async () => {
    const midnight = Date.parse('2026-11-17T00:00:00.000Z');
    await usage.add({ hubspot: 5, salesforce: 1 }, midnight - 30_000);
    await usage.add({ hubspot: 2 }, midnight - 10_000);
    await usage.add({ hubspot: 7, salesforce: 0 }, midnight + 61_000);
    const keys = (await redis.keys(`${prefix}:calls:*`)).sort();
    expect(keys).toEqual([`${prefix}:calls:hubspot:2026-11-16`, `${prefix}:calls:hubspot:2026-11-17`, `${prefix}:calls:salesforce:2026-11-16`]);
    expect(await redis.ttl(keys[0]!)).toBeGreaterThan(2 * 86_400);

    expect([...(await usage.perMinute('hubspot', midnight - 10 * MIN, midnight + 10 * MIN))]).toEqual([[midnight - MIN, 7], [midnight + MIN, 7]]);
    expect(await usage.total('hubspot', midnight, midnight + 86_400_000)).toBe(7);
    expect(await usage.total('hubspot', midnight - 86_400_000, midnight + 86_400_000)).toBe(14);
    expect(await usage.total('salesforce', midnight - 86_400_000, midnight + 86_400_000)).toBe(1);

    const series = bucketSeries(await usage.perMinute('hubspot', midnight - 15 * MIN, midnight + 15 * MIN), midnight - 15 * MIN, midnight + 15 * MIN, 15 * MIN);
    expect(series).toEqual([{ at: '2026-11-16T23:45:00.000Z', calls: 7 }, { at: '2026-11-17T00:00:00.000Z', calls: 7 }]);
  });

  test('bucketSeries lists empty buckets and aligns the start down', () => {
    const t0 = Date.parse('2026-11-17T10:07:00.000Z');
    const series = bucketSeries(new Map([[t0, 3], [t0 + 20 * MIN, 4]]), t0, t0 + 40 * MIN, 15 * MIN);
    expect(series.map((p) => [p.at.slice(11, 16), p.calls])).toEqual([['10:00', 3], ['10:15', 4], ['10:30', 0], ['10:45', 0]]);
  });

  test('the flusher adds what the counters gained since its first reading, and keeps a failed delta for the next flush', async () => {
    const totals = { hubspot: { total: 100 }, salesforce: { total: 40 } };
    const errors: unknown[] = [];
    const flusher = startUsageFlusher(usage, async () => structuredClone(totals), 60_000, (e) => errors.push(e));
    totals.hubspot.total = 103;
    await flusher.flush();
    totals.salesforce.total = 42;
    const add = jest.spyOn(usage, 'add').mockRejectedValueOnce(new Error('Connection is closed'));
    await flusher.flush();
    expect(errors).toHaveLength(1);
    add.mockRestore();
    totals.hubspot.total = 104;
    await flusher.stop();
    const now = Date.now();
    expect(await usage.total('hubspot', now - 3_600_000, now + MIN)).toBe(4);
    expect(await usage.total('salesforce', now - 3_600_000, now + MIN)).toBe(2);
  });
});
