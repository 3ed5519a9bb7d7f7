/** changedContacts: paging, the 10,000 cap, equal timestamps, restarts; against a HubSpot-like fake search. */
import fc from 'fast-check';
import nock from 'nock';
import type { ContactCursor, ContactPage } from '../../../connectors/ports';
import { BASE, makeConnector, searchBackend, type FakeContact, type TestConnector } from './harness';
import { useNock } from '../../support/nock';

const T0 = Date.UTC(2026, 9, 1);

async function collect(pages: AsyncIterable<ContactPage>): Promise<ContactPage[]> {
  const out: ContactPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

/**
 * Every page's cursor is exact: at or after everything emitted so far (a resume repeats
 * nothing) and before everything emitted later (a resume loses nothing), by (time, id).
 */
function expectExactCursors(pages: ContactPage[]): void {
  const key = (t: number, id: string): [number, number] => [t, Number(id)];
  const before = (a: [number, number], b: [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  // Smallest (time, id) emitted after each page, by a scan from the end.
  let earliestLater: [number, number] = [Infinity, Infinity];
  const violations: string[] = [];
  for (let p = pages.length - 1; p >= 0; p--) {
    const page = pages[p]!;
    const cursor = key(page.cursor.modifiedAt, page.cursor.id);
    if (!before(cursor, earliestLater)) violations.push(`page ${p}: cursor ${cursor.join('/')} not before ${earliestLater.join('/')}`);
    for (const r of page.records) {
      const k = key(Date.parse(r.properties.lastmodifieddate!), r.id);
      if (before(k, earliestLater)) earliestLater = k;
    }
  }
  let latestSoFar: [number, number] = [-Infinity, -Infinity];
  pages.forEach((page, p) => {
    for (const r of page.records) {
      const k = key(Date.parse(r.properties.lastmodifieddate!), r.id);
      if (before(latestSoFar, k)) latestSoFar = k;
    }
    const cursor = key(page.cursor.modifiedAt, page.cursor.id);
    if (before(cursor, latestSoFar)) violations.push(`page ${p}: cursor ${cursor.join('/')} before emitted ${latestSoFar.join('/')}`);
  });
  expect(violations).toEqual([]);
}

describe('changedContacts', () => {
  // The cap tests page through more than 10,000 fake records.
  jest.setTimeout(30_000);
  let t: TestConnector;
  useNock();
  afterEach(() => t.close());

  test('pages a window 200 at a time, oldest first, asking for the mapped properties', async () => {
    t = await makeConnector();
    const contacts: FakeContact[] = Array.from({ length: 450 }, (_, i) => ({ id: String(5000 + i), modifiedAt: T0 + i * 1000 }));
    const backend = searchBackend(() => contacts);
    nock(BASE).post('/crm/v3/objects/contacts/search').times(3).reply(backend.reply);
    const pages = await collect(t.connector.changedContacts({ modifiedAt: T0, id: '' }, T0 + 10_000_000));
    expect(pages.flatMap((p) => p.records.map((r) => r.id))).toEqual(contacts.map((c) => c.id));
    expect(backend.requests).toHaveLength(3);
    const first = backend.requests[0]!;
    expect(first.limit).toBe(200);
    expect(first.sorts).toEqual([{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }]);
    expect(first.filterGroups![0]!.filters).toEqual([
      { propertyName: 'lastmodifieddate', operator: 'GTE', value: String(T0) },
      { propertyName: 'lastmodifieddate', operator: 'LTE', value: String(T0 + 10_000_000) },
    ]);
    expect(first.properties).toEqual(expect.arrayContaining(['email', 'numemployees', 'ls_service_interest', 'lsync_stage', 'recent_conversion_date', 'lastmodifieddate']));
    expect(backend.requests.map((r) => r.after)).toEqual([undefined, '200', '400']);
    expect(pages[pages.length - 1]!.cursor).toEqual({ modifiedAt: T0 + 449_000, id: '5449' });
    expectExactCursors(pages);
    expect(nock.isDone()).toBe(true);
  });

  test('splits a window of more than 10,000 results, with equal timestamps at the boundary, losing nothing', async () => {
    t = await makeConnector();
    // 12,000 records: 600 share the instant right where a halved window ends, the rest one per second.
    const contacts: FakeContact[] = [];
    for (let i = 0; i < 11_400; i++) contacts.push({ id: String(100_000 + i), modifiedAt: T0 + i * 1000 });
    const boundary = T0 + 5_700_000;
    for (let i = 0; i < 600; i++) contacts.push({ id: String(200_000 + i), modifiedAt: boundary });
    const backend = searchBackend(() => contacts);
    nock(BASE).post('/crm/v3/objects/contacts/search').times(200).reply(backend.reply);
    const pages = await collect(t.connector.changedContacts({ modifiedAt: T0, id: '' }, T0 + 11_400_000));
    const ids = pages.flatMap((p) => p.records.map((r) => r.id));
    expect(ids).toHaveLength(contacts.length);
    expect(new Set(ids).size).toBe(contacts.length);
    expect(backend.requests.every((r) => Number(r.after ?? 0) < 10_000)).toBe(true);
    // The first query saw 12,000 results and was narrowed rather than paged past the cap.
    expect(backend.requests[1]!.filterGroups![0]!.filters![1]!.value).not.toBe(String(T0 + 11_400_000));
    expectExactCursors(pages);
  });

  test('more than 10,000 records in one millisecond are paged by hs_object_id, resuming after the cursor id', async () => {
    t = await makeConnector();
    const instant = T0 + 42;
    const contacts: FakeContact[] = [
      { id: '10', modifiedAt: T0 },
      ...Array.from({ length: 10_050 }, (_, i) => ({ id: String(300_000 + i), modifiedAt: instant })),
      { id: '11', modifiedAt: T0 + 99 },
    ];
    const backend = searchBackend(() => contacts);
    nock(BASE).post('/crm/v3/objects/contacts/search').times(200).reply(backend.reply);
    // Resume inside the instant: the first 50 of it were already processed.
    const since: ContactCursor = { modifiedAt: instant, id: '300049' };
    const pages = await collect(t.connector.changedContacts(since, T0 + 1000));
    const ids = pages.flatMap((p) => p.records.map((r) => r.id));
    expect(ids).toHaveLength(10_001);
    expect(ids[0]).toBe('300050');
    expect(ids[ids.length - 1]).toBe('11');
    const instantQueries = backend.requests.filter((r) => r.sorts?.[0]?.propertyName === 'hs_object_id');
    expect(instantQueries.length).toBeGreaterThanOrEqual(50);
    expect(instantQueries[0]!.filterGroups![0]!.filters).toEqual([
      { propertyName: 'lastmodifieddate', operator: 'EQ', value: String(instant) },
      { propertyName: 'hs_object_id', operator: 'GT', value: '300049' },
    ]);
    expectExactCursors(pages);
  });

  test('a record modified while a window is paged (offsets shift) is not skipped: the window restarts from the last exact cursor', async () => {
    t = await makeConnector();
    const contacts: FakeContact[] = Array.from({ length: 600 }, (_, i) => ({ id: String(7000 + i), modifiedAt: T0 + i * 1000 }));
    const backend = searchBackend(() => contacts);
    let calls = 0;
    nock(BASE).post('/crm/v3/objects/contacts/search').times(20).reply((uri, body) => {
      // After the first page, an already-returned record is modified: it leaves the window.
      if (++calls === 2) contacts[5]!.modifiedAt = T0 + 99_000_000;
      return backend.reply(uri, body);
    });
    const pages = await collect(t.connector.changedContacts({ modifiedAt: T0, id: '' }, T0 + 1_000_000));
    const ids = pages.flatMap((p) => p.records.map((r) => r.id));
    expect(new Set(ids)).toEqual(new Set(contacts.map((c) => c.id)));
    expect(ids).toHaveLength(600);
    expectExactCursors(pages);
  });

  test('property: any timestamp distribution, any cap: every record exactly once, cursors exact', async () => {
    t = await makeConnector({ settings: { searchMaxResults: 30, searchPageSize: 7 } });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 0, maxLength: 150 }), async (offsets) => {
        const contacts = offsets.map((o, i) => ({ id: String(1000 + i), modifiedAt: T0 + o }));
        const backend = searchBackend(() => contacts, 30);
        nock(BASE).post('/crm/v3/objects/contacts/search').times(500).reply(backend.reply);
        const pages = await collect(t.connector.changedContacts({ modifiedAt: T0, id: '' }, T0 + 40));
        nock.cleanAll();
        const ids = pages.flatMap((p) => p.records.map((r) => r.id)).sort();
        expect(ids).toEqual(contacts.map((c) => c.id).sort());
        expectExactCursors(pages);
      }),
      { numRuns: 60 },
    );
  });
});
