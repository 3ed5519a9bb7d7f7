/** The daily share with nock and the real Redis: /limits, Sforce-Limit-Info, REQUEST_LIMIT_EXCEEDED. */
import nock from 'nock';
import { RateLimitedError } from '../../../connectors/errors';
import { baseConfig, connector, redisFixture, rejection, type RedisFixture } from './helpers';
import { apiError, INSTANCE, JSON_HEADERS, limitsBody, queryPage, V, useNock } from './fixtures';

let redis: RedisFixture;
useNock();
beforeEach(() => {
  redis = redisFixture();
});
afterEach(async () => {
  await redis.close();
});
const config = (share: number) => baseConfig({ SALESFORCE_INSTANCE_URL: INSTANCE, SALESFORCE_ACCESS_TOKEN: '00Dxx!token', SALESFORCE_DAILY_SHARE: share });
const headers = (used: number, max: number) => ({ ...JSON_HEADERS, 'sforce-limit-info': `api-usage=${used}/${max}` });

describe('daily share', () => {
  it('allows share x DailyApiRequests.Max calls a day (the /limits read included), then waits with RateLimitedError', async () => {
    const scope = nock(INSTANCE)
      .get(`${V}/limits`)
      .reply(200, limitsBody(20, 15), headers(5, 20))
      .get(`${V}/query`)
      .query(true)
      .times(3)
      .reply(200, queryPage('Lead', []), headers(6, 20));
    // 20% of 20 = 4 calls: /limits and two queries, then one more query; the fifth call waits.
    const sf = connector(redis, config(0.2));
    await sf.match([{ hubspotId: '1', email: null }]);
    const error = await rejection(sf.match([{ hubspotId: '1', email: null }]));
    expect(scope.isDone()).toBe(true);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBeGreaterThan(23 * 3_600_000);
    const keys = await redis.redis.keys(`${redis.prefix}:budget:salesforce:daily*`);
    expect(keys.length).toBeGreaterThan(0);
  });

  it('REQUEST_LIMIT_EXCEEDED (org allocation spent) is a RateLimitedError with the configured pause', async () => {
    nock(INSTANCE)
      .get(`${V}/limits`)
      .reply(200, limitsBody(100_000, 1), headers(99_999, 100_000))
      .get(`${V}/query`)
      .query(true)
      .reply(403, apiError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), headers(100_000, 100_000));
    const sf = connector(redis, config(0.2), { orgLimitPauseMs: 1_800_000 });
    const error = await rejection(sf.match([{ hubspotId: '1', email: null }]));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryAfterMs: 1_800_000, scope: 'salesforce:org_daily' });
  });

  it('a concurrency refusal asks for a short wait and does not stop the process', async () => {
    nock(INSTANCE)
      .get(`${V}/limits`)
      .reply(200, limitsBody(100_000, 90_000), headers(10_000, 100_000))
      .get(`${V}/query`)
      .query(true)
      .reply(403, apiError('REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'), headers(10_001, 100_000))
      .get(`${V}/query`)
      .query(true)
      .twice()
      .reply(200, queryPage('Lead', []), headers(10_002, 100_000));
    const sf = connector(redis, config(0.2), { concurrencyPauseMs: 2000 });
    const error = await rejection(sf.match([{ hubspotId: '1', email: null }]));
    expect(error).toMatchObject({ retryAfterMs: 2000, scope: 'salesforce:concurrent' });
    await sf.match([{ hubspotId: '1', email: null }]);
  });
});
