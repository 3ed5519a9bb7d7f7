import { contactIdOf } from '../../sandbox/dataset';
import { rejection, startHubSpot, type HubSpotHarness } from './hubspot-harness';

describe('HubSpot simulator: authentication, rate limits and faults', () => {
  let hs: HubSpotHarness;
  beforeAll(async () => {
    hs = await startHubSpot({ contacts: 200, rateLimits: { tenSecondly: 5, searchPerSecond: 2, daily: 1_000 } });
  });
  afterAll(() => hs.close());

  it('answers 401 INVALID_AUTHENTICATION without a token', async () => {
    const response = await fetch(`${hs.server.url}/crm/v3/objects/contacts`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
  });

  it('sends the rate-limit headers and refuses the sixth call in ten seconds with TEN_SECONDLY_ROLLING', async () => {
    const client = hs.clientWith('ten-secondly');
    for (let i = 0; i < 5; i++) await client.crm.contacts.basicApi.getById(contactIdOf(i));
    const refused = await client.apiRequest({ method: 'GET', path: `/crm/v3/objects/contacts/${contactIdOf(1)}` });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-hubspot-ratelimit-max')).toBe('5');
    expect(refused.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    expect(await refused.json()).toMatchObject({
      status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING', message: 'You have reached your ten_secondly_rolling limit.',
    });
    // The typed API turns it into an ApiException carrying the same headers.
    const typed = await rejection(client.crm.contacts.basicApi.getById(contactIdOf(1)));
    expect(typed.code).toBe(429);
    expect(typed.headers['x-hubspot-ratelimit-remaining']).toBe('0');
  });

  it('limits search per second, answering "secondly limit" without rate-limit headers', async () => {
    const client = hs.clientWith('search');
    const search = () => client.apiRequest({ method: 'POST', path: '/crm/v3/objects/contacts/search', body: { filterGroups: [], limit: 1 } });
    const answers = [await search(), await search(), await search()];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(answers[0]!.headers.get('x-hubspot-ratelimit-max')).toBeNull();
    expect(answers[2]!.headers.get('x-hubspot-ratelimit-remaining')).toBeNull();
    expect(await answers[2]!.json()).toMatchObject({ message: 'You have reached your secondly limit.', policyName: 'SECONDLY' });
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect((await search()).status).toBe(200);
  });

  it('stops a token at its daily limit with policy DAILY (which the client does not retry)', async () => {
    hs.sim.control.setRateLimits({ daily: 3, tenSecondly: 100 });
    const client = hs.clientWith('daily', 3);
    for (let i = 0; i < 3; i++) await client.crm.contacts.basicApi.getById(contactIdOf(i));
    const started = Date.now();
    const refused = await rejection(client.crm.contacts.basicApi.getById(contactIdOf(4)));
    expect(refused.code).toBe(429);
    expect(refused.headers['x-hubspot-ratelimit-daily-remaining']).toBe('0');
    expect(refused.body.message).toBe('You have reached your daily limit.');
    expect(Date.now() - started).toBeLessThan(1_000);
    hs.sim.control.setRateLimits({ daily: 1_000, tenSecondly: 5 });
  });

  it('injects 429 bursts of both kinds and 5xx through sandbox/common faults, and counts them', async () => {
    const put = (body: unknown) => fetch(`${hs.server.url}/__sandbox/faults`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    await fetch(`${hs.server.url}/__sandbox/stats/reset`, { method: 'POST' });
    expect((await put({ seed: 3, rateLimitRate: 1 })).status).toBe(200);
    const client = hs.clientWith('faults');
    const list = await client.apiRequest({ method: 'GET', path: '/crm/v3/objects/contacts' });
    expect(list.status).toBe(429);
    expect(list.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect((await list.json()).policyName).toBe('TEN_SECONDLY_ROLLING');
    const search = await client.apiRequest({ method: 'POST', path: '/crm/v3/objects/contacts/search', body: { limit: 1 } });
    expect(search.status).toBe(429);
    expect(search.headers.get('x-hubspot-ratelimit-max')).toBeNull();
    expect((await search.json()).message).toBe('You have reached your secondly limit.');
    await put({ seed: 3, serverErrorRate: 1 });
    const failed = await rejection(client.crm.contacts.basicApi.getById(contactIdOf(2)));
    expect(failed.code).toBe(500);
    expect(failed.body.category).toBe('INTERNAL_ERROR');
    await put({ seed: 3 });
    const stats = (await (await fetch(`${hs.server.url}/__sandbox/stats`)).json()) as { requests: { total: number; byOutcome: Record<string, number> }; faults: { injected: Record<string, number> } };
    expect(stats.faults.injected.rate_limit).toBe(2);
    expect(stats.faults.injected.server_error).toBe(1);
    expect(stats.requests.total).toBe(3);
  });

  it('lets the client\'s own retry (numberOfApiCallRetries) get through injected 5xx answers', async () => {
    hs.sim.control.setRateLimits({ tenSecondly: 190 });
    hs.sim.faults.set({ seed: 11, serverErrorRate: 0.5 });
    const client = hs.clientWith('retrying', 6);
    // 5xx answers are retried by the client after 200 ms, 400 ms...: with six attempts all succeed.
    for (let i = 0; i < 3; i++) expect((await client.crm.contacts.basicApi.getById(contactIdOf(i))).id).toBe(contactIdOf(i));
    expect(hs.sim.faults.snapshot().injected.server_error).toBeGreaterThan(0);
    hs.sim.faults.set({ seed: 11 });
  });
});
