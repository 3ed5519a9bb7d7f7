/**
 * Contacts against the sandbox through the real client: changed contacts across the
 * 10,000-result cap (the data set's bulk updates share timestamps), instant paging when a
 * millisecond holds more than the cap, the full listing, batch reads, write-back with 207.
 */
import { startSandbox, type RunningSandbox } from '../../../sandbox';
import type { ContactPage } from '../../../connectors/ports';
import { makeConnector, type TestConnector } from './harness';

const ANCHOR = '2026-11-20T00:00:00.000Z';

async function collect(pages: AsyncIterable<ContactPage>): Promise<ContactPage[]> {
  const out: ContactPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('HubSpot contacts against the sandbox', () => {
  jest.setTimeout(120_000);
  let sandbox: RunningSandbox;
  let t: TestConnector;
  afterEach(async () => {
    await t?.close();
    await sandbox?.close();
  });

  test('changed contacts of a 12,000-contact portal: every one exactly once, in order, though one query cannot page past 10,000', async () => {
    sandbox = await startSandbox({ contacts: 12_000, seed: 7, anchor: ANCHOR, hubspotRateLimit: { searchPerSecond: 1000, tenSecondly: 100_000 } });
    t = await makeConnector({ baseUrl: sandbox.hubspotUrl });
    const store = sandbox.hubspot.store;
    const truth = new Map<string, number>();
    for (let i = 0; i < store.size; i++) truth.set(store.record(i)!.id, Date.parse(store.record(i)!.properties.lastmodifieddate!));
    const until = Date.parse(ANCHOR);
    const pages = await collect(t.connector.changedContacts({ modifiedAt: 0, id: '' }, until));
    const ids = pages.flatMap((p) => p.records.map((r) => r.id));
    expect(ids).toHaveLength(truth.size);
    expect(new Set(ids)).toEqual(new Set(truth.keys()));
    const times = pages.flatMap((p) => p.records.map((r) => Date.parse(r.properties.lastmodifieddate!)));
    expect(times.every((time, i) => i === 0 || time >= times[i - 1]!)).toBe(true);
    // Shared timestamps exist in the data set, so the ordering of ties mattered.
    expect(new Set(times).size).toBeLessThan(times.length);
    const outcomes = sandbox.hubspot.accounting.snapshot().byOutcome;
    expect(Object.keys(outcomes)).toEqual(['2xx']);
  });

  test('resuming from any page cursor gives exactly the rest; a millisecond holding more than the cap is paged by id', async () => {
    sandbox = await startSandbox({ contacts: 2000, seed: 11, anchor: ANCHOR, hubspotRateLimit: { searchPerSecond: 1000, tenSecondly: 100_000 } });
    // A cap of 40 makes the data set's bulk-update instants (dozens of contacts each) larger than one query can page.
    sandbox.hubspot.portal.search.limits = { ...sandbox.hubspot.portal.search.limits, maxResults: 40 };
    t = await makeConnector({ baseUrl: sandbox.hubspotUrl, settings: { searchMaxResults: 40, searchPageSize: 20 } });
    const perInstant = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const stamp = sandbox.hubspot.store.record(i)!.properties.lastmodifieddate!;
      perInstant.set(stamp, (perInstant.get(stamp) ?? 0) + 1);
    }
    expect(Math.max(...perInstant.values())).toBeGreaterThan(40);
    const until = Date.parse(ANCHOR);
    const all = (await collect(t.connector.changedContacts({ modifiedAt: 0, id: '' }, until))).flatMap((p) => p.records.map((r) => r.id));
    expect(all).toHaveLength(2000);
    expect(new Set(all).size).toBe(2000);
    const pages = await collect(t.connector.changedContacts({ modifiedAt: 0, id: '' }, until));
    for (const index of [3, Math.floor(pages.length / 2), pages.length - 2]) {
      const before = pages.slice(0, index + 1).flatMap((p) => p.records.map((r) => r.id));
      const rest = (await collect(t.connector.changedContacts(pages[index]!.cursor, until))).flatMap((p) => p.records.map((r) => r.id));
      expect(new Set([...before, ...rest]).size).toBe(2000);
      expect(before.length + rest.length).toBe(2000);
    }
  });

  test('full listing streams 100 per page; batch reads 100 per call and skip unknown ids; write-back answers per record (207)', async () => {
    sandbox = await startSandbox({ contacts: 1000, seed: 3, anchor: ANCHOR });
    t = await makeConnector({ baseUrl: sandbox.hubspotUrl });
    sandbox.hubspot.accounting.reset();
    const sizes: number[] = [];
    for await (const page of t.connector.listContacts()) sizes.push(page.records.length);
    expect(sizes).toEqual(Array.from({ length: 10 }, () => 100));
    expect(sandbox.hubspot.accounting.snapshot().byEndpoint).toEqual({ 'GET /crm/v3/objects/contacts': 10 });

    const ids = Array.from({ length: 250 }, (_, i) => String(10_001 + i * 3));
    const records = await t.connector.readContacts([...ids, '99999999']);
    expect(records.map((r) => r.id)).toEqual(ids);
    const contact = t.connector.toContact(records[0]!);
    expect(contact.id).toBe('10001');
    expect(sandbox.hubspot.accounting.snapshot().byEndpoint['POST /crm/v3/objects/contacts/batch/read']).toBe(3);

    const results = await t.connector.updateContacts([
      { id: '10001', properties: { lsync_stage: 'mql', lsync_score: '72.5' } },
      { id: '10002', properties: { lsync_tier: 'Z' } },
      { id: '99999999', properties: { lsync_stage: 'lead' } },
    ]);
    expect(results[0]).toEqual({ key: '10001', ok: true, id: '10001' });
    expect(results[1]).toMatchObject({ key: '10002', ok: false, retryable: false, code: 'VALIDATION_ERROR' });
    expect(results[1]!.ok === false && results[1]!.message).toMatch(/lsync_tier/);
    expect(results[2]).toMatchObject({ key: '99999999', ok: false, retryable: false, code: 'OBJECT_NOT_FOUND' });
    const [written] = await t.connector.readContacts(['10001']);
    expect(written!.properties.lsync_stage).toBe('mql');
    expect(written!.properties.lsync_score).toBe('72.5');
  });
});
