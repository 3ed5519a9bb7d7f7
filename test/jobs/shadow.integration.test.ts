/**
 * Shadow mode against the sandbox with the real connectors: a candidate runs alongside the
 * live definition, its verdicts reach the history and the reports, and neither HubSpot nor
 * Salesforce receives a single write for it (the simulators' request accounting says so).
 */
import { shadowHistory } from '../../jobs/reports';
import { syncContacts } from '../../jobs/sync-contacts';
import { windowOf } from '../../src/domain/reports/history';
import { looser } from '../fixtures/definitions';
import { sandboxRuntime, type SandboxRuntime } from '../fixtures/sandbox-runtime';

const ANCHOR = '2026-11-20T00:00:00.000Z';
const CANDIDATE = 'ls-loose-2026.12';
const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);

describe('shadow mode', () => {
  let s: SandboxRuntime;
  let ids: string[];
  beforeAll(async () => {
    s = await sandboxRuntime({ contacts: 200, seed: 21, anchor: ANCHOR, now: ANCHOR });
    ids = await s.contactIds();
  }, 60_000);
  afterAll(() => s?.close());

  const syncAll = async (dryRun = false) => {
    const planned = [];
    for (let i = 0; i < ids.length; i += 100) planned.push(...((await syncContacts(s.rt, { ids: ids.slice(i, i + 100), trigger: 'scheduled', dryRun }, 'test')).planned ?? []));
    return planned;
  };

  test('a shadow run writes nothing to either system; its verdicts are in the history and the shadow report', async () => {
    await syncAll();
    expect(total(s.writeCalls())).toBeGreaterThan(0); // the live definition did write
    await s.registry.upload(looser(CANDIDATE), 'ana');
    await s.registry.setShadow(CANDIDATE, 'ana');

    const before = s.writeCalls();
    const requestsBefore = s.sandbox.stats().salesforce.requests.total + s.sandbox.stats().hubspot.requests.total;
    await syncAll();
    expect(s.writeCalls()).toEqual(before);
    // The sync did run (it read both systems), it only wrote nothing.
    expect(s.sandbox.stats().salesforce.requests.total + s.sandbox.stats().hubspot.requests.total).toBeGreaterThan(requestsBefore);

    let shadowEntries = 0;
    for await (const page of s.rt.history.scan()) shadowEntries += page.filter((h) => h.entries.some((e) => e.kind === 'evaluation' && e.shadow && e.version === CANDIDATE)).length;
    expect(shadowEntries).toBe(ids.length);

    // No record in either system carries the candidate's version.
    const versions = new Set([...s.sandbox.salesforce.store.table('Lead').values(), ...s.sandbox.salesforce.store.table('Contact').values()].map((r) => r.MQL_Definition_Version__c));
    expect(versions.has(CANDIDATE)).toBe(false);
    const records = await s.rt.hubspot.readContacts(ids);
    expect(records.some((r) => r.properties.lsync_definition_version === CANDIDATE)).toBe(false);

    const report = await shadowHistory(s.rt.history, CANDIDATE, 'ls-default-2026.11', windowOf());
    expect(report.flips.gained).toBeGreaterThan(0);
    expect(report.candidate.mqls).toBeGreaterThan(report.current.mqls);
    const gained = report.flips.listed.filter((f) => f.direction === 'gained').map((f) => f.id);

    // Had the candidate been live, those contacts would have been written: go live, plan (dry run).
    await s.registry.goLive(CANDIDATE, 'carla');
    const planned = await syncAll(true);
    const plannedIds = new Set(planned.filter((p) => p.stage.to === 'mql' && p.stage.from !== 'mql').map((p) => p.hubspotId));
    expect(gained.filter((id) => plannedIds.has(id))).toEqual(gained);
  }, 120_000);
});
