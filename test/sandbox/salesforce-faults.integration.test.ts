import type { SaveResult } from 'jsforce';
import { rejection, seedLeads, startSalesforce, type Harness } from './salesforce-harness';

const seeds = seedLeads(60);
const ids = seeds.map((s) => s.id);

/** Two collection updates over the seeded Leads; the per-record success pattern. */
async function lockPattern(seed: number): Promise<{ pattern: boolean[]; injected: number }> {
  const h = await startSalesforce({ seedRecords: seeds, faults: { seed, lockRowRate: 0.3 } });
  try {
    const conn = h.connect();
    const pattern: boolean[] = [];
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < ids.length; i += 30) {
        const batch = ids.slice(i, i + 30).map((Id) => ({ Id, MQL__c: true }));
        const results = (await conn.sobject('Lead').update(batch)) as SaveResult[];
        pattern.push(...results.map((r) => r.success));
        for (const r of results.filter((x) => !x.success)) expect(r.errors[0]).toMatchObject({ statusCode: 'UNABLE_TO_LOCK_ROW' });
      }
    }
    return { pattern, injected: h.control.stats().faults.injected.lock_row };
  } finally {
    await h.close();
  }
}

describe('seeded faults', () => {
  it('fails the same records with UNABLE_TO_LOCK_ROW for the same seed', async () => {
    const a = await lockPattern(42);
    const b = await lockPattern(42);
    const c = await lockPattern(43);
    expect(a.pattern).toEqual(b.pattern);
    expect(a.pattern).not.toEqual(c.pattern);
    const failures = a.pattern.filter((ok) => !ok).length;
    expect(failures).toBeGreaterThan(10);
    expect(failures).toBeLessThan(60);
    expect(a.injected).toBe(failures);
  });

  describe('request-level faults, changed at run time over HTTP', () => {
    let h: Harness;
    const putFaults = (body: object) =>
      fetch(`${h.url}/__sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    beforeAll(async () => {
      h = await startSalesforce({ seedRecords: seeds });
    });
    afterAll(() => h.close());
    afterEach(async () => {
      await putFaults({ seed: 1 });
    });

    it('answers single writes with a 400 UNABLE_TO_LOCK_ROW', async () => {
      await putFaults({ seed: 5, lockRowRate: 1 });
      const error = await rejection(h.connect().sobject('Lead').update({ Id: ids[0]!, Title: 'x' }));
      expect(error.data).toEqual({ errorCode: 'UNABLE_TO_LOCK_ROW', message: `unable to obtain exclusive access to this record or 1 records: ${ids[0]}`, fields: [] });
    });

    // jsforce 3.10 itself retries GET/PUT/DELETE on 5xx and dropped sockets (5 times, backoff
    // from 500 ms): PATCH and POST are not retried, so they show each injected fault directly.
    const touch = () => h.connect().sobject('Lead').update({ Id: ids[1]!, Title: 'x' });

    it('injects Salesforce-shaped 5xx answers but never on control endpoints', async () => {
      expect((await putFaults({ seed: 5, serverErrorRate: 1 })).status).toBe(200);
      const error = await rejection(touch());
      expect(['SERVER_UNAVAILABLE', 'UNKNOWN_EXCEPTION']).toContain(error.errorCode);
      const stats = await fetch(`${h.url}/__sandbox/stats`);
      expect(stats.status).toBe(200);
      const body = (await stats.json()) as { faults: { injected: Record<string, number>; config: object } };
      expect(body.faults.injected.server_error).toBe(1);
      expect(body.faults.config).toEqual({ seed: 5, serverErrorRate: 1 });
    });

    it('drops connections, holds requests past timeoutMs, and refuses with the concurrent-request limit', async () => {
      await putFaults({ seed: 5, dropRate: 1 });
      expect((await rejection(touch())).message).toMatch(/socket hang up|ECONNRESET/i);
      await putFaults({ seed: 5, timeoutRate: 1, timeoutMs: 150 });
      const started = Date.now();
      expect((await rejection(touch())).message).toMatch(/socket hang up|ECONNRESET/i);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      await putFaults({ seed: 5, rateLimitRate: 1 });
      const limited = await rejection(touch());
      expect(limited.data).toEqual({ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'ConcurrentPerOrgLongTxn Limit exceeded.' });
      const injected = h.control.stats().faults.injected;
      expect(injected).toMatchObject({ drop: 1, timeout: 1, rate_limit: 1 });
    });
  });
});
