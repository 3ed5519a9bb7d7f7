/** The daily share against the simulator's allocation, shared by workers through the real Redis. */
import { RateLimitedError } from '../../../connectors/errors';
import { baseConfig, connector, redisFixture, rejection, type RedisFixture } from './helpers';
import { simCalls, startSimulator, type RunningSimulator } from './sim';

let sim: RunningSimulator;
let redis: RedisFixture;
beforeEach(() => {
  redis = redisFixture();
});
afterEach(async () => {
  await sim.close();
  await redis.close();
});
const config = (share = 0.2) => baseConfig({ SALESFORCE_INSTANCE_URL: sim.url, SALESFORCE_ACCESS_TOKEN: 'sim-token', SALESFORCE_DAILY_SHARE: share });
const probe = [{ hubspotId: '1', email: null }];

describe('daily budget', () => {
  it('stops every worker when the share is spent and says how long to wait', async () => {
    sim = await startSimulator({ dailyLimit: 50 });
    const workerA = connector(redis, config());
    const workerB = connector(redis, config());
    // 20% of 50 = 10 calls a day: /limits and one query per object for each match.
    for (let i = 0; i < 2; i++) await workerA.match(probe);
    for (let i = 0; i < 2; i++) await workerB.match(probe);
    expect(simCalls(sim)).toEqual({ 'GET /limits': 2, 'GET /query': 8 });
    const error = await rejection(workerB.match(probe));
    expect(error).toBeInstanceOf(RateLimitedError);
    const limited = error as RateLimitedError;
    expect(limited.scope).toBe('salesforce:daily');
    expect(limited.retryAfterMs).toBeGreaterThan(23 * 3_600_000);
    expect(limited.message).toContain('work resumes at');
    await expect(workerA.match(probe)).rejects.toBeInstanceOf(RateLimitedError);
    expect(simCalls(sim)['GET /query']).toBe(8);
  });

  it('follows the allocation in Sforce-Limit-Info when the org gets more', async () => {
    sim = await startSimulator({ dailyLimit: 20 });
    const sf = connector(redis, config(0.5));
    await sf.match(probe);
    sim.control.usage.max = 1000;
    for (let i = 0; i < 10; i++) await sf.match(probe);
    expect(simCalls(sim)['GET /query']).toBe(22);
    expect((await sf.limits()).serviceDailyLimit).toBe(500);
  });

  it('REQUEST_LIMIT_EXCEEDED from the org is a RateLimitedError, and this process stops calling', async () => {
    sim = await startSimulator({ dailyLimit: 1000 });
    const sf = connector(redis, config(), { orgLimitPauseMs: 3_600_000 });
    await sf.match(probe);
    sim.control.usage.setUsed(1000);
    const error = await rejection(sf.match(probe));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).scope).toBe('salesforce:org_daily');
    expect((error as RateLimitedError).retryAfterMs).toBe(3_600_000);
    sim.control.resetStats();
    await expect(sf.match(probe)).rejects.toBeInstanceOf(RateLimitedError);
    expect(sim.control.stats().requests.total).toBe(0);
  });

  it('reports the allocation and this service\'s share', async () => {
    sim = await startSimulator({ dailyLimit: 15_000 });
    const limits = await connector(redis, config(0.25)).limits();
    expect(limits).toEqual({ dailyApiRequests: { max: 15_000, remaining: 15_000 - 1 }, share: 0.25, serviceDailyLimit: 3750 });
  });
});
