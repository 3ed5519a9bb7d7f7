/** The definition and report routes of the admin API, over the in-memory systems and real Redis. */
import request from 'supertest';
import { Backfills } from '../../jobs/backfill';
import { DefinitionRegistry } from '../../jobs/definition-registry';
import { syncContacts } from '../../jobs/sync-contacts';
import { createApp } from '../../src/server/app';
import { looser } from '../fixtures/definitions';
import { contactProperties, testRuntime, type TestRuntime } from '../fixtures/runtime';
import { examples, NOW } from '../fixtures/worked-examples';

const TOKEN = 'routes-test-token-0123456789';
const CANDIDATE = 'ls-loose-2026.12';

describe('admin API: definitions and reports', () => {
  let t: TestRuntime;
  let app: ReturnType<typeof createApp>;
  const ids = ['101', '102', '103', '104', '105'];
  beforeEach(async () => {
    t = testRuntime(NOW);
    t.rt.definitions = new DefinitionRegistry(t.rt.store, t.rt.mappings.definition, () => t.rt.now());
    for (const n of [1, 2, 3, 4, 5] as const) t.hubspot.put(examples[n].contact.id, contactProperties(examples[n].contact), examples[n].activities);
    await syncContacts(t.rt, { ids, trigger: 'manual' }, 'w');
    app = createApp({
      runtime: t.rt, queues: t.queues, backfills: new Backfills(t.rt.store, t.queues), adminToken: TOKEN,
      verifyWebhook: () => ({ valid: false, reason: 'not used' }), readiness: {}, logger: t.rt.logger,
    });
  });
  afterEach(() => t.close());

  const api = (method: 'get' | 'post' | 'put' | 'delete', path: string) => request(app)[method](path).set('Authorization', `Bearer ${TOKEN}`);

  test('upload, diff, shadow, shadow report, go-live and the log', async () => {
    expect((await request(app).get('/admin/definitions')).status).toBe(401);
    expect((await api('post', '/admin/definitions').send({ yaml: looser(CANDIDATE) })).body.error).toMatch(/say who acts/);
    const created = await api('post', '/admin/definitions').send({ yaml: looser(CANDIDATE), by: 'ana' });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/admin/definitions/${CANDIDATE}`);
    expect((await api('post', '/admin/definitions').set('X-Admin-User', 'ben').send({ yaml: looser(CANDIDATE) })).status).toBe(200);
    const invalid = await api('post', '/admin/definitions').send({ yaml: 'version: x\n', by: 'ana', name: 'bad.yaml' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatch(/^bad\.yaml/);

    const list = await api('get', '/admin/definitions');
    expect(list.body.live).toBe('ls-default-2026.11');
    expect(list.body.definitions.map((d: { version: string }) => d.version).sort()).toEqual(['ls-default-2026.11', CANDIDATE]);
    const diff = await api('get', `/admin/definitions/diff?from=live&to=${CANDIDATE}&format=text`);
    expect(diff.type).toBe('text/plain');
    expect(diff.text).toContain('~ MQL thresholds: engagement 20 -> 12');
    expect((await api('get', `/admin/definitions/${CANDIDATE}`)).body).toMatchObject({ version: CANDIDATE, live: false, uploadedBy: 'ana', text: looser(CANDIDATE) });

    const shadow = await api('put', `/admin/definitions/${CANDIDATE}/shadow`).send({ by: 'ana', until: '2026-12-31T00:00:00Z' });
    expect(shadow.body).toMatchObject({ version: CANDIDATE, shadow: { from: NOW, until: '2026-12-31T00:00:00.000Z', by: 'ana' } });
    await syncContacts(t.rt, { ids, trigger: 'manual' }, 'w');
    const report = await api('get', `/admin/definitions/${CANDIDATE}/shadow-report`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ contacts: 5, current: { version: 'ls-default-2026.11' }, candidate: { version: CANDIDATE } });
    expect((await api('get', `/admin/definitions/${CANDIDATE}/shadow-report?format=text`)).text).toMatch(/^Shadow report/);

    const live = await api('post', `/admin/definitions/${CANDIDATE}/go-live`).send({ by: 'carla' });
    expect(live.body).toMatchObject({ action: 'go-live', version: CANDIDATE, previous: 'ls-default-2026.11', by: 'carla', at: NOW });
    expect((await api('get', '/admin/status')).body.definitionVersion).toBe(CANDIDATE);
    expect((await api('post', `/admin/definitions/${CANDIDATE}/go-live`).send({ by: 'carla' })).status).toBe(409);
    expect((await api('delete', `/admin/definitions/${CANDIDATE}/shadow`).send({ by: 'carla' })).status).toBe(404);
    const events = await api('get', '/admin/definitions/events');
    expect(events.body.map((e: { action: string; by: string }) => `${e.action} ${e.by}`)).toEqual(['go-live carla', 'shadow-on ana', 'upload ana']);
  });

  test('a backtest runs in the background; its result as JSON or text', async () => {
    const bad = await api('post', '/admin/backtests').send({ candidate: 'version: x\n' });
    expect(bad.status).toBe(400);
    expect((await api('post', '/admin/backtests').send({})).body.error).toMatch(/candidate/);
    const started = await api('post', '/admin/backtests').send({ candidate: looser(CANDIDATE), since: '2026-11-01' });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ current: 'ls-default-2026.11', candidate: CANDIDATE });
    let run = (await api('get', `/admin/backtests/${started.body.id}`)).body;
    for (let i = 0; run.status === 'running' && i < 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      run = (await api('get', `/admin/backtests/${started.body.id}`)).body;
    }
    expect(run).toMatchObject({ status: 'done', contacts: 5, result: { contacts: 5, current: { version: 'ls-default-2026.11' }, candidate: { version: CANDIDATE } } });
    expect((await api('get', `/admin/backtests/${started.body.id}?format=text`)).text).toContain('precision (SQL / judged)');
    expect((await api('get', '/admin/backtests/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  test('funnel and handoff reports', async () => {
    const funnel = await api('get', '/admin/reports/funnel?by=serviceLine');
    expect(funnel.body).toMatchObject({ by: 'serviceLine', total: { mqls: 4, sal: 0 }, mixedVersions: false });
    expect((await api('get', '/admin/reports/funnel?by=nope')).status).toBe(400);
    expect((await api('get', '/admin/reports/funnel?since=yesterday')).body.error).toMatch(/since: not an ISO-8601 date/);
    const handoff = await api('get', '/admin/reports/handoff');
    expect(handoff.body.total).toMatchObject({ episodes: 4, touched: 0 });
    expect((await api('get', '/admin/reports/handoff?format=text')).text).toMatch(/^Handoff SLA/);
  });
});
