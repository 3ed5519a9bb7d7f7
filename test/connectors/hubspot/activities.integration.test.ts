/**
 * Activities against the sandbox through the real client: a full pull of 1,000 contacts
 * compared with the data set's truth, within the call budget; the staleness refresh that
 * lets a webhook-driven sync see a new form submission; page views from the web-events API.
 */
import { startSandbox, type RunningSandbox } from '../../../sandbox';
import { generateContact } from '../../../sandbox/dataset';
import type { HubSpotContactRecord } from '../../../connectors/ports';
import type { Activity } from '../../../src/domain/types';
import { makeConnector, type TestConnector } from './harness';

/** The ids the connector must produce for each contact, from the data set (calls and page views aside). */
function expectedIds(sandbox: RunningSandbox, count: number): Map<string, Set<string>> {
  const dataset = sandbox.hubspot.store.dataset;
  const byAddress = new Map<string, string[]>();
  const own = new Map<string, string[]>();
  const emails = new Map<string, string | null>();
  for (let i = 0; i < count; i++) {
    const c = generateContact(dataset, i);
    const email = c.properties.email?.toLowerCase() ?? null;
    emails.set(c.id, email);
    const mine: string[] = [];
    for (const a of c.activities) {
      const s = a.source;
      if (s.kind === 'engagement' && s.objectType !== 'calls') mine.push(`${s.objectType}:${s.id}`);
      if (s.kind === 'marketing_event') mine.push(`event:${s.externalEventId}:${c.id}:${s.attendanceState}`);
      // Feeds that only know an address join every contact with that address (the data set has case-variant duplicates).
      if (email && s.kind === 'form') byAddress.set(email, [...(byAddress.get(email) ?? []), `form:${s.conversionId}`]);
      if (email && s.kind === 'email_event') byAddress.set(email, [...(byAddress.get(email) ?? []), `email-event:${s.eventId}`]);
    }
    own.set(c.id, mine);
  }
  const out = new Map<string, Set<string>>();
  for (const [id, mine] of own) {
    const email = emails.get(id);
    out.set(id, new Set([...mine, ...(email ? (byAddress.get(email) ?? []) : [])]));
  }
  return out;
}

async function listAll(t: TestConnector): Promise<HubSpotContactRecord[]> {
  const records: HubSpotContactRecord[] = [];
  for await (const page of t.connector.listContacts()) records.push(...page.records);
  return records;
}

describe('HubSpot activities against the sandbox', () => {
  jest.setTimeout(120_000);
  let sandbox: RunningSandbox;
  let t: TestConnector;
  afterEach(async () => {
    await t?.close();
    await sandbox?.close();
  });

  test('a full pull of 1,000 contacts matches the data set and stays within 110 calls including the write-back', async () => {
    sandbox = await startSandbox({ contacts: 1000, seed: 42 });
    t = await makeConnector({ baseUrl: sandbox.hubspotUrl });
    sandbox.hubspot.accounting.reset();
    await t.connector.refreshFeeds();
    const records = await listAll(t);
    const activities = await t.connector.activitiesFor(records);
    await t.connector.updateContacts(records.map((r) => ({ id: r.id, properties: { lsync_score: String((activities.get(r.id) ?? []).length) } })));
    const calls = sandbox.hubspot.accounting.snapshot();
    expect(calls.total).toBeLessThanOrEqual(110);
    expect(Object.keys(calls.byOutcome)).toEqual(['2xx']);

    const expected = expectedIds(sandbox, 1000);
    const mismatches: string[] = [];
    for (const record of records) {
      const got = (activities.get(record.id) ?? []).filter((a) => a.type !== 'page_view' && !a.id?.startsWith('calls:')).map((a) => a.id!);
      const want = expected.get(record.id)!;
      if (got.length !== want.size || got.some((id) => !want.has(id))) mismatches.push(record.id);
    }
    expect(mismatches).toEqual([]);
    // Only connected calls count, and each belongs to its contact.
    const calledIds = new Set(records.flatMap((r) => generateContact(sandbox.hubspot.store.dataset, Number(r.id) - 10_001).activities)
      .flatMap((a) => (a.source.kind === 'engagement' && a.source.objectType === 'calls' ? [`calls:${a.source.id}`] : [])));
    const fetchedCalls = records.flatMap((r) => (activities.get(r.id) ?? []).filter((a) => a.id?.startsWith('calls:')));
    expect(fetchedCalls.length).toBeGreaterThan(0);
    expect(fetchedCalls.every((a) => calledIds.has(a.id!) && a.type === 'call')).toBe(true);
  });

  test('a form submission that triggers a webhook-driven sync is in that sync\'s activities (read for that contact: one call, no form feed)', async () => {
    sandbox = await startSandbox({ contacts: 300, seed: 5 });
    t = await makeConnector({ baseUrl: sandbox.hubspotUrl });
    await t.connector.refreshFeeds();
    const [target] = await t.connector.readContacts(['10050']);
    const before = new Set((await t.connector.activitiesFor([target!])).get('10050')!.map((a) => a.id));
    const added = sandbox.hubspot.control.addActivity('10050', { type: 'demo_request' });
    expect(added.source.kind).toBe('form');
    // What the webhook handler's job does: read the contact (its recent_conversion_date moved), then its activities.
    const [fresh] = await t.connector.readContacts(['10050']);
    expect(Date.parse(fresh!.properties.recent_conversion_date!)).toBe(Date.parse(added.at));
    sandbox.hubspot.accounting.reset();
    const after = (await t.connector.activitiesFor([fresh!])).get('10050')!;
    const demo = after.find((a: Activity) => !before.has(a.id) && a.type === 'demo_request');
    expect(demo).toMatchObject({ id: `form:${added.source.kind === 'form' ? added.source.conversionId : ''}`, title: 'Demo request' });
    // The same submission is not counted twice once the forms feed has it too.
    await t.connector.refreshFeeds();
    const later = (await t.connector.activitiesFor([fresh!])).get('10050')!;
    expect(later.filter((a: Activity) => a.id === demo!.id)).toHaveLength(1);
    const endpoints = Object.keys(sandbox.hubspot.accounting.snapshot().byEndpoint);
    expect(endpoints.filter((e) => e.includes('/contacts/v1/contact/vids/batch'))).toHaveLength(1);
    expect(sandbox.hubspot.accounting.snapshot().byEndpoint[endpoints.find((e) => e.includes('/contacts/v1/contact/vids/batch'))!]).toBe(1);
  });

  test('with web events on, page views come from the events API, joined by contact id', async () => {
    sandbox = await startSandbox({ contacts: 200, seed: 9, enterprise: true });
    t = await makeConnector({ baseUrl: sandbox.hubspotUrl, config: { HUBSPOT_WEB_EVENTS: true } });
    const result = await t.connector.refreshFeeds();
    expect(result.items).toBeGreaterThan(0);
    const records = await listAll(t);
    const activities = await t.connector.activitiesFor(records);
    for (const record of records) {
      const truth = generateContact(sandbox.hubspot.store.dataset, Number(record.id) - 10_001).activities
        .flatMap((a) => (a.source.kind === 'web_event' ? [`web:${a.source.eventId}`] : []));
      const got = (activities.get(record.id) ?? []).filter((a) => a.type === 'page_view').map((a) => a.id);
      expect(new Set(got)).toEqual(new Set(truth));
    }
    const views = records.flatMap((r) => (activities.get(r.id) ?? []).filter((a) => a.type === 'page_view'));
    expect(views.every((v) => v.url?.startsWith('https://www.northbridge-bio.example/') && v.category)).toBe(true);
  });
});
