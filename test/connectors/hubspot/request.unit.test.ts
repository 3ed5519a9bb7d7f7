/** The call wrapper seen through real connector calls: both kinds of 429, the daily limit, 5xx, resets, auth, 4xx, accounting. */
import nock from 'nock';
import { callTotals } from '../../../connectors/accounting';
import { AuthConfigError, PermanentError, RateLimitedError, RetryableError } from '../../../connectors/errors';
import { msUntilMidnight } from '../../../connectors/hubspot/time';
import { BASE, contactJson, errorBody, JSON_HEADERS, makeConnector, type TestConnector } from './harness';
import { useNock } from '../../support/nock';

const READ = '/crm/v3/objects/contacts/batch/read';
const SEARCH = '/crm/v3/objects/contacts/search';
const RATE_HEADERS = {
  ...JSON_HEADERS, 'X-HubSpot-RateLimit-Max': '190', 'X-HubSpot-RateLimit-Remaining': '0', 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
  'X-HubSpot-RateLimit-Daily': '625000', 'X-HubSpot-RateLimit-Daily-Remaining': '512000',
};
const tenSecondly = { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', correlationId: '3b1a2c4d-0000-4000-8000-000000000001', policyName: 'TEN_SECONDLY_ROLLING' };
const secondly = { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', correlationId: '3b1a2c4d-0000-4000-8000-000000000002' };
const daily = { status: 'error', message: 'You have reached your daily limit.', errorType: 'RATE_LIMIT', correlationId: '3b1a2c4d-0000-4000-8000-000000000003', policyName: 'DAILY' };
const batchOk = { status: 'COMPLETE', results: [contactJson('101', { email: null })], startedAt: '2026-11-01T10:00:00.000Z', completedAt: '2026-11-01T10:00:00.100Z' };

/** What Node reports when the server drops the connection. */
function connectionReset(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

async function countedFor(endpoint: string): Promise<number> {
  return (await callTotals()).hubspot.byEndpoint[endpoint] ?? 0;
}

describe('HubSpot call wrapper', () => {
  let t: TestConnector;
  useNock();
  afterEach(() => t.close());

  test('a ten-secondly 429 waits the advertised interval, pauses the shared budget, retries, and every attempt is counted', async () => {
    t = await makeConnector();
    const before = await countedFor(`POST ${READ}`);
    nock(BASE).post(READ).query(true).reply(429, tenSecondly, RATE_HEADERS).post(READ).query(true).reply(200, batchOk, JSON_HEADERS);
    const records = await t.connector.readContacts(['101']);
    expect(records.map((r) => r.id)).toEqual(['101']);
    expect(t.waits).toHaveLength(1);
    expect(t.waits[0]).toBeGreaterThanOrEqual(10_000);
    expect(t.waits[0]).toBeLessThanOrEqual(12_000);
    expect(t.pauses).toEqual(t.waits);
    expect((await countedFor(`POST ${READ}`)) - before).toBe(2);
    expect(nock.isDone()).toBe(true);
  });

  test('Retry-After wins over the interval header', async () => {
    t = await makeConnector();
    nock(BASE).post(READ).query(true).reply(429, tenSecondly, { ...RATE_HEADERS, 'Retry-After': '3' }).post(READ).query(true).reply(200, batchOk, JSON_HEADERS);
    await t.connector.readContacts(['101']);
    expect(t.waits[0]).toBeGreaterThanOrEqual(3000);
    expect(t.waits[0]).toBeLessThanOrEqual(3600);
  });

  test('the search API\'s secondly 429 (no rate-limit headers) waits a second and retries', async () => {
    t = await makeConnector();
    nock(BASE).post(SEARCH).reply(429, secondly, JSON_HEADERS)
      .post(SEARCH).reply(200, { total: 1, results: [contactJson('5', {}, '2026-10-01T00:00:00.000Z')] }, JSON_HEADERS);
    const pages = [];
    for await (const page of t.connector.changedContacts({ modifiedAt: 0, id: '' }, Date.parse('2026-11-01T00:00:00.000Z'))) pages.push(page);
    expect(pages.flatMap((p) => p.records.map((r) => r.id))).toEqual(['5']);
    expect(t.waits).toHaveLength(1);
    expect(t.waits[0]).toBeGreaterThanOrEqual(1000);
    expect(t.waits[0]).toBeLessThanOrEqual(1200);
  });

  test('rate limits that persist end in RateLimitedError with the wait, after a bounded number of retries', async () => {
    t = await makeConnector({ requests: { maxRateLimitRetries: 2 } });
    nock(BASE).post(READ).query(true).times(3).reply(429, tenSecondly, RATE_HEADERS);
    const error = await rejection(t.connector.readContacts(['101']));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(10_000);
    expect((error as RateLimitedError).scope).toBe('hubspot:ten_secondly');
    expect(t.waits).toHaveLength(2);
    expect(nock.isDone()).toBe(true);
  });

  test('the DAILY limit is not retried: RateLimitedError until midnight in the portal time zone, and the message says so', async () => {
    t = await makeConnector({ requests: { timeZone: 'America/New_York' } });
    nock(BASE).post(READ).query(true).reply(429, daily, RATE_HEADERS);
    const error = await rejection(t.connector.readContacts(['101']));
    expect(error).toBeInstanceOf(RateLimitedError);
    const limited = error as RateLimitedError;
    expect(limited.scope).toBe('hubspot:daily');
    const expected = msUntilMidnight(Date.now(), 'America/New_York');
    expect(Math.abs(limited.retryAfterMs - expected)).toBeLessThan(5000);
    expect(limited.message).toMatch(/daily API limit reached .* resets at \d{4}-\d\d-\d\dT.* \(midnight America\/New_York\)/);
    expect(limited.message).toContain('3b1a2c4d-0000-4000-8000-000000000003');
    expect(t.waits).toHaveLength(0);
    // Both budgets stop this process until the reset.
    expect(t.pauses).toHaveLength(2);
  });

  test('5xx and dropped connections are retried a bounded number of times, then RetryableError', async () => {
    t = await makeConnector({ requests: { maxRetries: 2 } });
    nock(BASE).post(READ).query(true).reply(502, errorBody('Bad gateway', 'INTERNAL_ERROR'), JSON_HEADERS)
      .post(READ).query(true).replyWithError(connectionReset())
      .post(READ).query(true).reply(500, errorBody('internal error', 'INTERNAL_ERROR'), JSON_HEADERS);
    const error = await rejection(t.connector.readContacts(['101']));
    expect(error).toBeInstanceOf(RetryableError);
    expect(error.message).toMatch(/answered 500 after 3 attempts/);
    expect(nock.isDone()).toBe(true);
  });

  test('a transient failure followed by success returns the result', async () => {
    t = await makeConnector();
    nock(BASE).post(READ).query(true).replyWithError(connectionReset()).post(READ).query(true).reply(200, batchOk, JSON_HEADERS);
    expect((await t.connector.readContacts(['101'])).map((r) => r.id)).toEqual(['101']);
  });

  test('a call that does not answer in time is a timeout, retried', async () => {
    t = await makeConnector({ requests: { timeoutMs: 100, maxRetries: 1 } });
    nock(BASE).post(READ).query(true).delay(1000).reply(200, batchOk, JSON_HEADERS).post(READ).query(true).reply(200, batchOk, JSON_HEADERS);
    expect((await t.connector.readContacts(['101'])).map((r) => r.id)).toEqual(['101']);
    nock.abortPendingRequests();
  });

  test('401 becomes AuthConfigError naming the fix, without the token', async () => {
    t = await makeConnector();
    nock(BASE).post(READ).query(true).reply(401, errorBody('Authentication credentials not found.', 'INVALID_AUTHENTICATION'), JSON_HEADERS);
    const error = await rejection(t.connector.readContacts(['101']));
    expect(error).toBeInstanceOf(AuthConfigError);
    expect(error.message).toMatch(/401 INVALID_AUTHENTICATION/);
    expect(error.message).toMatch(/Fix: set HUBSPOT_ACCESS_TOKEN .* scopes/);
    expect(error.message).not.toContain('pat-test-token');
  });

  test('403 missing scopes is an auth/config problem too', async () => {
    t = await makeConnector();
    nock(BASE).post(READ).query(true).reply(403, errorBody('This app hasn\'t been granted all required scopes to make this call.', 'MISSING_SCOPES'), JSON_HEADERS);
    expect(await rejection(t.connector.readContacts(['101']))).toBeInstanceOf(AuthConfigError);
  });

  test('other 4xx are permanent, carrying HubSpot\'s message, category and correlation id', async () => {
    t = await makeConnector();
    nock(BASE).post(READ).query(true).reply(400, errorBody('Invalid input JSON on line 1', 'VALIDATION_ERROR'), JSON_HEADERS);
    const error = await rejection(t.connector.readContacts(['101']));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe('VALIDATION_ERROR');
    expect((error as PermanentError).correlationId).toBe('c0ffee00-1111-4222-8333-444455556666');
    expect(error.message).toContain('Invalid input JSON on line 1');
  });
});
