import type { Client } from '@hubspot/api-client';
import { EVENTS_ACCOUNT_ID, FIXTURES, FORMS, contactIdOf, generateContact, type SeedContact } from '../../sandbox/dataset';
import { ANCHOR, rejection, startHubSpot, type HubSpotHarness } from './hubspot-harness';

const COUNT = 600;
const seeded: SeedContact[] = Array.from({ length: COUNT }, (_, i) => generateContact({ seed: 42, anchor: ANCHOR }, i));
const truth = (predicate: (a: SeedContact['activities'][number]) => boolean): number =>
  seeded.reduce((n, c) => n + c.activities.filter(predicate).length, 0);

async function getJson<T>(client: Client, path: string, qs: Record<string, string | number> = {}): Promise<T> {
  const response = await client.apiRequest({ method: 'GET', path, qs: Object.fromEntries(Object.entries(qs).map(([k, v]) => [k, String(v)])) });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as T;
}

describe('HubSpot simulator: engagements, associations and activity feeds', () => {
  let hs: HubSpotHarness;
  beforeAll(async () => {
    hs = await startHubSpot({ contacts: COUNT });
  });
  afterAll(() => hs.close());

  it('reads engagement ids by association (v4 batch, 207 for contacts without any) and the engagements by batch read', async () => {
    const inputs = seeded.slice(0, 300).map((c) => ({ id: c.id }));
    const expected = seeded.slice(0, 300).flatMap((c) => c.activities.filter((a) => a.source.kind === 'engagement' && a.source.objectType === 'emails'));
    const assoc = await hs.client.crm.associations.v4.batchApi.getPage('contacts', 'emails', { inputs });
    const ids = assoc.results.flatMap((r) => r.to.map((t) => String(t.toObjectId)));
    expect(ids).toHaveLength(expected.length);
    expect((assoc as unknown as { numErrors?: number }).numErrors).toBe(300 - assoc.results.length);
    expect(assoc.results[0]?.to[0]?.associationTypes[0]).toMatchObject({ category: 'HUBSPOT_DEFINED', typeId: 197 });
    const emails = await hs.client.crm.objects.batchApi.read('emails', { inputs: ids.slice(0, 100).map((id) => ({ id })), properties: ['hs_email_direction', 'hs_email_subject', 'hs_timestamp'], propertiesWithHistory: [] });
    expect(emails.results).toHaveLength(Math.min(100, ids.length));
    for (const e of emails.results) expect(e.properties.hs_email_direction).toBe('INCOMING_EMAIL');
    const director = await hs.client.crm.associations.v4.batchApi.getPage('contacts', 'emails', { inputs: [{ id: contactIdOf(FIXTURES.directorTechTransfer) }] });
    const reply = await hs.client.crm.objects.basicApi.getById('emails', String(director.results[0]?.to[0]?.toObjectId), ['hs_email_subject']);
    expect(reply.properties.hs_email_subject).toBe('Re: Analytical method validation timelines');
    const tooMany = await rejection(hs.client.crm.associations.v4.batchApi.getPage('contacts', 'calls', { inputs: Array.from({ length: 1001 }, (_, i) => ({ id: String(i) })) }));
    expect(tooMany.code).toBe(400);
  });

  it('serves meetings, calls and notes with their realistic properties', async () => {
    const withCalls = seeded.find((c) => c.activities.some((a) => a.source.kind === 'engagement' && a.source.objectType === 'calls'));
    expect(withCalls).toBeDefined();
    const calls = await hs.client.crm.associations.v4.batchApi.getPage('contacts', 'calls', { inputs: [{ id: withCalls!.id }] });
    const call = await hs.client.crm.objects.batchApi.read('calls', { inputs: calls.results[0]!.to.map((t) => ({ id: String(t.toObjectId) })), properties: ['hs_call_title', 'hs_call_disposition', 'hs_timestamp'], propertiesWithHistory: [] });
    expect(call.results[0]?.properties.hs_call_title).toMatch(/^Call about /);
    expect(call.results[0]?.properties.hs_call_disposition).toMatch(/^[0-9a-f-]{36}$/);
    const missing = await hs.client.crm.objects.batchApi.read('meetings', { inputs: [{ id: '1' }], properties: [], propertiesWithHistory: [] });
    expect((missing as unknown as { numErrors: number }).numErrors).toBe(1);
  });

  it('lists the forms and pages each form\'s submissions newest first, 50 at a time, exactly as seeded', async () => {
    const forms = await hs.client.marketing.forms.formsApi.getPage();
    expect(forms.results.map((f) => f.id).sort()).toEqual(FORMS.map((f) => f.guid).sort());
    const demo = FORMS.find((f) => f.meaning === 'content_download')!;
    const seen: Array<{ conversionId: string; submittedAt: number; values: Array<{ name: string; value: string }> }> = [];
    let after: string | undefined;
    do {
      const page: { results: typeof seen; paging?: { next?: { after: string } } } = await getJson(hs.client, `/form-integrations/v1/submissions/forms/${demo.guid}`, { limit: 50, ...(after ? { after } : {}) });
      expect(page.results.length).toBeLessThanOrEqual(50);
      seen.push(...page.results);
      after = page.paging?.next?.after;
    } while (after);
    expect(seen).toHaveLength(truth((a) => a.source.kind === 'form' && a.source.formGuid === demo.guid));
    expect(new Set(seen.map((s) => s.conversionId)).size).toBe(seen.length);
    for (let i = 1; i < seen.length; i++) expect(seen[i - 1]!.submittedAt).toBeGreaterThanOrEqual(seen[i]!.submittedAt);
    expect(seen[0]?.values.find((v) => v.name === 'email')?.value).toMatch(/@/);
  });

  it('returns each contact\'s form submissions from the legacy batch read by id (all, newest, none), leaving unknown ids out', async () => {
    const withForms = seeded.filter((c) => c.activities.filter((a) => a.source.kind === 'form').length >= 2).slice(0, 5);
    expect(withForms.length).toBeGreaterThan(0);
    const ids = [...withForms.map((c) => c.id), '999999999'];
    const path = (mode: string) => `/contacts/v1/contact/vids/batch/?${ids.map((id) => `vid=${id}`).join('&')}&formSubmissionMode=${mode}&property=email`;
    type Answer = Record<string, { vid: number; properties: Record<string, { value: string }>; 'form-submissions': Array<{ 'conversion-id': string; timestamp: number; 'form-id': string }> }>;
    // The query is in the path (vid repeats), so no `qs`: the client would append a second '?'.
    const read = async (mode: string) => {
      const response = await hs.client.apiRequest({ method: 'GET', path: path(mode) });
      expect(response.status).toBe(200);
      return (await response.json()) as Answer;
    };
    const all = await read('all');
    expect(Object.keys(all).sort()).toEqual(withForms.map((c) => c.id).sort());
    for (const c of withForms) {
      const forms = c.activities.flatMap((a) => (a.source.kind === 'form' ? [{ 'conversion-id': a.source.conversionId, timestamp: Date.parse(a.at), 'form-id': a.source.formGuid }] : []));
      const got = all[c.id]!['form-submissions'];
      expect(got.map((f) => ({ 'conversion-id': f['conversion-id'], timestamp: f.timestamp, 'form-id': f['form-id'] })).sort((x, y) => y.timestamp - x.timestamp))
        .toEqual(forms.sort((x, y) => y.timestamp - x.timestamp));
      expect(got.map((f) => f.timestamp)).toEqual([...got.map((f) => f.timestamp)].sort((x, y) => y - x));
      expect(Object.keys(all[c.id]!.properties)).toEqual(['email']);
    }
    const newest = await read('newest');
    expect(newest[withForms[0]!.id]!['form-submissions']).toEqual([all[withForms[0]!.id]!['form-submissions'][0]]);
    const none = await read('none');
    expect(none[withForms[0]!.id]!['form-submissions']).toEqual([]);
    const tooMany = await hs.client.apiRequest({ method: 'GET', path: `/contacts/v1/contact/vids/batch/?${Array.from({ length: 101 }, (_, i) => `vid=${i + 1}`).join('&')}` });
    expect(tooMany.status).toBe(400);
  });

  it('pages marketing-event participations with attendance states and contact associations', async () => {
    const events = await hs.client.marketing.events.basicApi.getAll();
    expect(events.results.length).toBeGreaterThan(10);
    const eventId = 'wbn-csv-data-integrity';
    const rows: Array<{ associations: { contact: { contactId: string } }; properties: { attendanceState: string; occurredAt: number } }> = [];
    let after: string | undefined;
    let total = -1;
    do {
      const page = await hs.client.marketing.events.retrieveParticipantStateApi.getParticipationsBreakdownByExternalEventId(EVENTS_ACCOUNT_ID, eventId, undefined, undefined, 25, after);
      total = page.total;
      rows.push(...(page.results as unknown as typeof rows));
      after = page.paging?.next?.after;
    } while (after);
    expect(rows).toHaveLength(truth((a) => a.source.kind === 'marketing_event' && a.source.externalEventId === eventId));
    expect(total).toBe(rows.length);
    expect(rows.map((r) => r.associations.contact.contactId)).toContain(contactIdOf(FIXTURES.opsGuideAndWebinar));
    // A past webinar: attendees and registrants who did not show up.
    expect(new Set(rows.map((r) => r.properties.attendanceState))).toEqual(new Set(['ATTENDED', 'NO_SHOW']));
    const attended = await hs.client.marketing.events.retrieveParticipantStateApi.getParticipationsBreakdownByExternalEventId(EVENTS_ACCOUNT_ID, 'wbn-device-setup', undefined, 'REGISTERED', 100);
    expect(attended.results.map((r) => r.associations.contact.contactId)).toContain(contactIdOf(FIXTURES.hospitalPurchasing));
  });

  it('pages marketing e-mail opens within a time window (newest first, 1000 at most per page)', async () => {
    const start = Date.parse('2026-06-01T00:00:00Z');
    const end = Date.parse(ANCHOR);
    const events: Array<{ id: string; type: string; created: number; recipient: string; emailCampaignId: number }> = [];
    let offset: string | undefined;
    for (;;) {
      const page: { events: typeof events; hasMore: boolean; offset?: string } = await getJson(hs.client, '/email/public/v1/events', { eventType: 'OPEN', startTimestamp: start, endTimestamp: end, limit: 100, ...(offset ? { offset } : {}) });
      events.push(...page.events);
      if (!page.hasMore) break;
      offset = page.offset;
    }
    const expected = truth((a) => a.source.kind === 'email_event' && a.source.eventType === 'OPEN' && Date.parse(a.at) >= start && Date.parse(a.at) <= end);
    expect(events).toHaveLength(expected);
    expect(new Set(events.map((e) => e.id)).size).toBe(expected);
    for (const e of events) {
      expect(e.type).toBe('OPEN');
      expect(e.created).toBeGreaterThanOrEqual(start);
    }
  });

  it('pages web analytics page views (Enterprise) with the typed events API', async () => {
    const after = new Date('2026-10-01T00:00:00Z');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await hs.client.events.eventsApi.getPage('contact', 'e_visited_page', cursor, undefined, 200, undefined, after);
      for (const e of page.results) {
        expect(e.occurredAt.getTime()).toBeGreaterThanOrEqual(after.getTime());
        expect(e.properties?.hs_url).toMatch(/^https:\/\//);
      }
      seen.push(...page.results.map((e) => e.id));
      cursor = page.paging?.next?.after;
    } while (cursor);
    expect(seen).toHaveLength(truth((a) => a.source.kind === 'web_event' && Date.parse(a.at) >= after.getTime()));
    // One contact's page views, five per page.
    const mine: string[] = [];
    cursor = undefined;
    do {
      const page = await hs.client.events.eventsApi.getPage('contact', 'e_visited_page', cursor, undefined, 5, undefined, undefined, undefined, Number(contactIdOf(FIXTURES.labTechReader)));
      mine.push(...page.results.map((e) => e.id));
      cursor = page.paging?.next?.after;
    } while (cursor);
    expect(new Set(mine).size).toBe(18);
  });
});

describe('HubSpot simulator: a non-Enterprise portal', () => {
  let hs: HubSpotHarness;
  beforeAll(async () => {
    hs = await startHubSpot({ contacts: 50, enterprise: false });
  });
  afterAll(() => hs.close());

  it('answers the web events API with 403; the hs_analytics_* properties remain the page-view evidence', async () => {
    const refused = await rejection(hs.client.events.eventsApi.getPage('contact', 'e_visited_page'));
    expect(refused.code).toBe(403);
    const c = await hs.client.crm.contacts.basicApi.getById(contactIdOf(FIXTURES.labTechReader), ['hs_analytics_num_page_views', 'hs_analytics_last_url', 'hs_analytics_last_timestamp']);
    expect(Number(c.properties.hs_analytics_num_page_views)).toBe(18);
    expect(c.properties.hs_analytics_last_url).toMatch(/\/genomics\//);
  });
});
