/**
 * Rate limits and faults against the sandbox through the real client: the shared budget
 * keeps the connector under the portal's limit, ten-secondly and secondly 429s are waited
 * out, the daily limit stops with RateLimitedError, 5xx and dropped connections are retried.
 */
import { RateLimitedError } from '../../../connectors/errors';
import { startSandbox, type RunningSandbox } from '../../../sandbox';
import { makeConnector, type TestConnector } from './harness';

describe('HubSpot limits against the sandbox', () => {
  jest.setTimeout(60_000);
  let sandbox: RunningSandbox;
  let t: TestConnector;
  afterEach(async () => {
    await t?.close();
    await sandbox?.close();
  });

  test('the budget paces calls under the portal limit: no 429 at all', async () => {
    sandbox = await startSandbox({ contacts: 300, seed: 1, hubspotRateLimit: { tenSecondly: 22 } });
    // 22 per 10 s -> 2 per second: any rolling ten seconds sees at most 22.
    t = await makeConnector({ baseUrl: sandbox.hubspotUrl, config: { HUBSPOT_RATE_LIMIT_PER_10S: 22 } });
    sandbox.hubspot.accounting.reset();
    const started = Date.now();
    for (let i = 0; i < 6; i++) await t.connector.readContacts([String(10_001 + i)]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(sandbox.hubspot.accounting.snapshot().byOutcome).toEqual({ '2xx': 6 });
  });

  test('injected ten-secondly 429s (with HubSpot\'s headers) are waited out and retried; nothing is lost', async () => {
    sandbox = await startSandbox({ contacts: 1000, seed: 2, faults: { rateLimitRate: 0.4, seed: 12 } });
    t = await makeConnector({ baseUrl: sandbox.hubspotUrl, requests: { maxRateLimitRetries: 10 } });
    const ids: string[] = [];
    for await (const page of t.connector.listContacts()) ids.push(...page.records.map((r) => r.id));
    expect(new Set(ids).size).toBe(1000);
    const outcomes = sandbox.hubspot.accounting.snapshot().byOutcome;
    expect(outcomes['2xx']).toBe(10);
    expect(t.waits.length).toBeGreaterThan(0);
    // The sandbox sends X-HubSpot-RateLimit-Interval-Milliseconds: 10000 and no Retry-After.
    expect(t.waits.every((w) => w >= 10_000 && w <= 12_000)).toBe(true);
  });

  test('the search API\'s secondly limit is waited out (real one-second waits)', async () => {
    sandbox = await startSandbox({ contacts: 600, seed: 3, hubspotRateLimit: { searchPerSecond: 1 } });
    t = await makeConnector({ baseUrl: sandbox.hubspotUrl, settings: { searchPageSize: 200 }, requests: { sleep: (ms) => new Promise((r) => setTimeout(r, ms)) } });
    const ids: string[] = [];
    for await (const page of t.connector.changedContacts({ modifiedAt: 0, id: '' }, Date.now())) ids.push(...page.records.map((r) => r.id));
    expect(new Set(ids).size).toBe(600);
    expect(Object.keys(sandbox.hubspot.accounting.snapshot().byOutcome).sort()).toEqual(['2xx', 'RATE_LIMIT_SECONDLY']);
  });

  test('the daily limit ends in RateLimitedError naming the reset, without retrying', async () => {
    sandbox = await startSandbox({ contacts: 100, seed: 4, hubspotRateLimit: { daily: 3 } });
    t = await makeConnector({ baseUrl: sandbox.hubspotUrl });
    for (let i = 0; i < 3; i++) await t.connector.readContacts(['10001']);
    const error = await t.connector.readContacts(['10001']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).scope).toBe('hubspot:daily');
    expect((error as RateLimitedError).retryAfterMs).toBeGreaterThan(0);
    expect((error as RateLimitedError).retryAfterMs).toBeLessThanOrEqual(86_400_000);
    expect(sandbox.hubspot.accounting.snapshot().byOutcome).toEqual({ '2xx': 3, RATE_LIMIT_DAILY: 1 });
  });

  test('5xx answers and dropped connections are retried until the batch reads succeed', async () => {
    sandbox = await startSandbox({ contacts: 1000, seed: 5, faults: { serverErrorRate: 0.25, dropRate: 0.1, seed: 8 } });
    t = await makeConnector({ baseUrl: sandbox.hubspotUrl, requests: { maxRetries: 8 } });
    const ids = Array.from({ length: 1000 }, (_, i) => String(10_001 + i));
    const records = await t.connector.readContacts(ids);
    expect(records).toHaveLength(1000);
    const outcomes = sandbox.hubspot.accounting.snapshot().byOutcome;
    expect(outcomes['2xx']).toBe(10);
    expect((outcomes.INTERNAL_ERROR ?? 0) + (outcomes.no_response ?? 0)).toBeGreaterThan(0);
  });
});
