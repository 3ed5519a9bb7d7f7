import express from 'express';
import request from 'supertest';
import { RequestAccounting } from '../../sandbox/common/accounting';
import { createControlRouter } from '../../sandbox/common/control';
import { FaultInjector } from '../../sandbox/common/faults';

function makeApp(faults: FaultInjector) {
  const accounting = new RequestAccounting('demo');
  const app = express();
  app.use('/__sandbox', createControlRouter({ accounting, faults }));
  app.use(accounting.middleware());
  app.use(
    faults.middleware({
      serverError: () => ({ status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }] }),
      rateLimit: (_req, rng) => ({ status: 429, body: { kind: rng.pick(['a', 'b']) }, headers: { 'Retry-After': '1' } }),
    }),
  );
  app.get('/ping', (_req, res) => res.json({ ok: true }));
  return { app, accounting };
}

async function statuses(app: express.Express, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await request(app).get('/ping')).status);
  return out;
}

describe('fault injection', () => {
  it('injects seeded 5xx reproducibly and restarts the sequence when the config is set', async () => {
    const faults = new FaultInjector('demo', { seed: 11, serverErrorRate: 0.5 });
    const { app } = makeApp(faults);
    const first = await statuses(app, 30);
    expect(first).toContain(503);
    expect(first).toContain(200);
    await request(app).put('/__sandbox/faults').send({ seed: 11, serverErrorRate: 0.5 }).expect(200);
    expect(await statuses(app, 30)).toEqual(first);
    await request(app).put('/__sandbox/faults').send({ seed: 12, serverErrorRate: 0.5 }).expect(200);
    expect(await statuses(app, 30)).not.toEqual(first);

    const res = await request(app).get('/__sandbox/faults').expect(200);
    expect(res.body).toEqual({ seed: 12, serverErrorRate: 0.5 });
  });

  it('answers with the system body, never faults control endpoints, and counts by kind', async () => {
    const faults = new FaultInjector('demo', { seed: 1, serverErrorRate: 1 });
    const { app } = makeApp(faults);
    const res = await request(app).get('/ping').expect(503);
    expect(res.body).toEqual([{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }]);
    const stats = await request(app).get('/__sandbox/stats').expect(200);
    expect(stats.body.faults.injected.server_error).toBe(1);
    expect(stats.body.faults.total).toBe(1);
    expect(stats.body.requests.byOutcome).toEqual({ '5xx': 1 });
    await request(app).post('/__sandbox/stats/reset').expect(204);
    const after = await request(app).get('/__sandbox/stats').expect(200);
    expect(after.body.faults.total).toBe(0);
    expect(after.body.requests.total).toBe(0);
  });

  it('drops connections, holds timed-out requests, delays, and rate-limits via the hook', async () => {
    const faults = new FaultInjector('demo', { seed: 3, dropRate: 1 });
    const { app } = makeApp(faults);
    await expect(request(app).get('/ping')).rejects.toThrow(/socket hang up|ECONNRESET/);

    faults.set({ seed: 3, timeoutRate: 1, timeoutMs: 80 });
    let started = Date.now();
    await expect(request(app).get('/ping')).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);

    faults.set({ seed: 3, latencyMs: [60, 80] });
    started = Date.now();
    await request(app).get('/ping').expect(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);

    faults.set({ seed: 3, rateLimitRate: 1 });
    const limited = await request(app).get('/ping').expect(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(['a', 'b']).toContain(limited.body.kind);

    const injected = faults.snapshot().injected;
    expect(injected).toMatchObject({ drop: 1, timeout: 1, latency: 1, rate_limit: 1, server_error: 0 });
  });

  it('refuses an invalid configuration and keeps the seed when omitted', async () => {
    const faults = new FaultInjector('demo', { seed: 5 });
    const { app } = makeApp(faults);
    const bad = await request(app).put('/__sandbox/faults').send({ serverErrorRate: 2 }).expect(400);
    expect(bad.body.error).toBe('invalid fault configuration');
    await request(app).put('/__sandbox/faults').send({ lockRowRate: 0.2 }).expect(200);
    expect(faults.config).toEqual({ seed: 5, lockRowRate: 0.2 });
  });

  it('decides record-level faults per key and attempt, independent of other keys', () => {
    const run = (interleave: boolean) => {
      const faults = new FaultInjector('sf', { seed: 99, lockRowRate: 0.4 });
      const out: boolean[] = [];
      for (let attempt = 0; attempt < 10; attempt++) {
        if (interleave) faults.decideForKey('lock_row', 0.4, `other${attempt}`);
        out.push(faults.decideForKey('lock_row', 0.4, 'rec-1'));
      }
      return out;
    };
    const plain = run(false);
    expect(run(true)).toEqual(plain);
    expect(plain).toContain(true);
    expect(plain).toContain(false);
    const faults = new FaultInjector('sf', { seed: 99 });
    expect(faults.decideForKey('lock_row', undefined, 'x')).toBe(false);
    expect(faults.snapshot().injected.lock_row).toBe(0);
  });
});
