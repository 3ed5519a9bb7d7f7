/** The console's sign-in, pages and data routes, over the in-memory systems and real Redis (the browser tests are in test/console). */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { SalesforceLimits } from '../../connectors/salesforce';
import { ApiUsage } from '../../jobs/api-usage';
import { Backfills } from '../../jobs/backfill';
import { syncContacts } from '../../jobs/sync-contacts';
import { createApp } from '../../src/server/app';
import { mountConsole, type ConsoleOptions } from '../../src/server/console';
import { contactProperties, testRuntime, type TestRuntime } from '../fixtures/runtime';
import { examples, NOW } from '../fixtures/worked-examples';

const TOKEN = 'console-test-token-0123456789';
const LIMITS: SalesforceLimits = { dailyApiRequests: { max: 15_000, remaining: 14_200 }, share: 0.2, serviceDailyLimit: 3_000 };

describe('console routes', () => {
  let t: TestRuntime;
  let dir: string;
  let limitsCalls: number;
  let limits: () => Promise<SalesforceLimits>;
  const ids = ['101', '102', '103', '104', '105'];

  const build = (options: Partial<ConsoleOptions> = {}) =>
    createApp({
      runtime: t.rt, queues: t.queues, backfills: new Backfills(t.rt.store, t.queues), adminToken: TOKEN,
      verifyWebhook: () => ({ valid: false, reason: 'not used' }), readiness: {}, logger: t.rt.logger,
      extra: (app) => mountConsole(app, {
        runtime: t.rt, usage: new ApiUsage(t.redis, t.prefix), adminToken: TOKEN, hubspotDailyLimit: 250_000, dir,
        salesforceLimits: () => (limitsCalls++, limits()),
        // HubSpot matches addresses case-insensitively.
        findByEmail: async (emails) => (await t.rt.hubspot.readContacts(ids)).filter((r) => emails.map((e) => e.toLowerCase()).includes(String(r.properties.email).toLowerCase())),
        ...options,
      }),
    });

  beforeEach(async () => {
    t = testRuntime(NOW);
    dir = mkdtempSync(path.join(tmpdir(), 'console-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>console</title><script defer src="/console/assets/app.js"></script>');
    writeFileSync(path.join(dir, 'assets', 'app.js'), 'document.title = "ok";');
    limitsCalls = 0;
    limits = async () => LIMITS;
    for (const n of [1, 2, 3, 4, 5] as const) t.hubspot.put(examples[n].contact.id, contactProperties(examples[n].contact), examples[n].activities);
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  test('the shell and its assets need no token, carry a same-origin CSP and are revalidated', async () => {
    const app = build();
    const page = await request(app).get('/console');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html');
    expect(page.headers['cache-control']).toBe('no-cache');
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('upgrade-insecure-requests');
    // Behind a TLS-terminating proxy on the loopback (trust proxy), the page asks for https.
    expect((await request(app).get('/console').set('X-Forwarded-Proto', 'https')).headers['content-security-policy']).toContain('upgrade-insecure-requests');
    const asset = await request(app).get('/console/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.text).toContain('document.title');
    expect((await request(app).get('/console/assets/missing.js')).status).toBe(404);
    rmSync(path.join(dir, 'index.html'));
    expect((await request(app).get('/console')).body.error).toMatch(/npm run build/);
  });

  test('sign-in checks the token and sets it in an http-only, SameSite=Strict cookie (Secure over https); sign-out clears it', async () => {
    const app = build();
    const wrong = await request(app).post('/console/login').send({ token: 'not-the-token-at-all' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatch(/not accepted/);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect((await request(app).post('/console/login').send({})).status).toBe(401);

    const ok = await request(app).post('/console/login').send({ token: TOKEN });
    expect(ok.status).toBe(204);
    const cookie = String(ok.headers['set-cookie']);
    expect(cookie).toMatch(/^lsync_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);
    const session = cookie.split(';')[0]!;
    expect((await request(app).get('/admin/status').set('Cookie', session)).status).toBe(200);
    expect((await request(app).get('/admin/status')).status).toBe(401);
    expect((await request(app).get('/admin/status').set('Cookie', 'lsync_session=wrong-token-0123456789')).status).toBe(401);

    const form = await request(app).post('/console/login').type('form').set('X-Forwarded-Proto', 'https').send({ token: TOKEN });
    expect(form.status).toBe(204);
    expect(String(form.headers['set-cookie'])).toMatch(/; Secure/);

    const out = await request(app).post('/console/logout').set('Cookie', session);
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^lsync_session=;.*Expires=Thu, 01 Jan 1970/);
  });

  test('without ADMIN_TOKEN sign-in is refused with the fix', async () => {
    const app = createApp({
      runtime: t.rt, queues: t.queues, backfills: new Backfills(t.rt.store, t.queues), adminToken: undefined,
      verifyWebhook: () => ({ valid: false, reason: 'not used' }), readiness: {}, logger: t.rt.logger,
      extra: (a) => mountConsole(a, { runtime: t.rt, usage: new ApiUsage(t.redis, t.prefix), adminToken: undefined, hubspotDailyLimit: 1, dir, salesforceLimits: limits, findByEmail: async () => [] }),
    });
    const res = await request(app).post('/console/login').send({ token: TOKEN });
    expect(res.status).toBe(503);
    expect(res.body.error).toMatch(/set ADMIN_TOKEN/);
  });

  const api = (app: ReturnType<typeof build>, p: string) => request(app).get(p).set('Authorization', `Bearer ${TOKEN}`);

  test('API usage: HubSpot today against its daily limit, Salesforce over 24 h against its share, a chart series; limits cached', async () => {
    const app = build();
    const usage = new ApiUsage(t.redis, t.prefix);
    const now = Date.parse(NOW);
    await usage.add({ hubspot: 40, salesforce: 3 }, now - 60_000);
    // Yesterday (UTC): outside HubSpot's day, inside Salesforce's 24 hours.
    await usage.add({ hubspot: 7, salesforce: 2 }, now - 13 * 3_600_000);
    expect((await request(app).get('/admin/api-usage')).status).toBe(401);
    const body = (await api(app, '/admin/api-usage?bucketMinutes=60')).body;
    expect(body.hubspot).toMatchObject({ used: 40, limit: 250_000, left: 249_960 });
    expect(body.salesforce).toMatchObject({ used: 5, limit: 3_000, left: 2_995, org: { max: 15_000, remaining: 14_200, share: 0.2 } });
    // 24 hourly buckets back from the current hour, which is the last.
    expect(body.hubspot.series).toHaveLength(25);
    expect(body.hubspot.series.reduce((n: number, p: { calls: number }) => n + p.calls, 0)).toBe(47);
    expect(body.salesforce.series.slice(-2)).toEqual([{ at: '2026-11-20T11:00:00.000Z', calls: 3 }, { at: '2026-11-20T12:00:00.000Z', calls: 0 }]);
    expect(limitsCalls).toBe(1);

    await t.redis.del(`${t.prefix}:console:sf-limits`);
    limits = async () => {
      throw new Error('Salesforce refused the session (INVALID_SESSION_ID)');
    };
    const failed = (await api(app, '/admin/api-usage')).body.salesforce;
    expect(failed).toMatchObject({ used: 5, limit: null, left: null, org: null, orgError: 'Salesforce refused the session (INVALID_SESSION_ID)' });
  });

  test('a contact by e-mail, its stored history, the definition facts and the funnel page report', async () => {
    const app = build();
    await syncContacts(t.rt, { ids, trigger: 'manual' }, 'w');
    const email = examples[2].contact.email!;
    const search = (body: unknown) => request(app).post('/admin/contacts/search').set('Authorization', `Bearer ${TOKEN}`).send(body as object);
    const found = await search({ email: email.toUpperCase() });
    expect(found.body.contacts).toEqual([{ id: examples[2].contact.id, name: `${examples[2].contact.firstName} ${examples[2].contact.lastName}`, company: examples[2].contact.company }]);
    expect((await search({ email: 'nobody@nowhere.example' })).body.contacts).toEqual([]);
    expect((await search({ email: 'not-an-address' })).status).toBe(400);
    expect((await request(app).post('/admin/contacts/search').send({ email })).status).toBe(401);

    const history = (await api(app, `/admin/contacts/${examples[2].contact.id}/history`)).body;
    expect(history.entries[0]).toMatchObject({ kind: 'evaluation', version: 'ls-default-2026.11', status: 'mql', stage: 'mql', at: NOW });
    expect((await api(app, '/admin/contacts/abc/history')).status).toBe(400);

    expect((await api(app, '/admin/console/meta')).body).toEqual({ liveVersion: 'ls-default-2026.11', serviceLines: expect.arrayContaining(['cdmo_services', 'genomics_platform', 'medical_devices']), tiers: ['A', 'B', 'C'] });

    // Worked examples 1, 2, 3 and 5 are MQLs; 4 is not (the domain brief).
    const mqls = 4;
    const report = (await api(app, '/admin/reports/dashboard?since=2026-11-01')).body;
    expect(report.weekly.total).toEqual({ '2026-11-16': mqls });
    expect(report.weekly.versions).toEqual({ 'ls-default-2026.11': mqls });
    expect(report.funnel.total).toMatchObject({ mqls, sal: 0, sql: 0 });
    expect(report.handoff.total.episodes).toBe(mqls);
    expect(report.contacts).toBe(5);
    const other = (await api(app, '/admin/reports/dashboard?version=ls-other-1')).body;
    expect(other.weekly).toMatchObject({ total: {}, weeks: [], versions: { 'ls-default-2026.11': mqls } });
    expect(other.funnel.total.mqls).toBe(0);
    expect((await api(app, '/admin/reports/dashboard?version=bad%20label')).status).toBe(400);
  });
});
