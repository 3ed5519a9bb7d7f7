/**
 * Awkward data on the sync path, one case per test, against the sandbox through the real
 * connectors: what happens to the odd contact, and that the rest of its batch was written.
 * Every batch pairs the odd contact with an ordinary MQL ("the neighbour").
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { syncContacts, type SyncReport } from '../../jobs/sync-contacts';
import { rngFor } from '../../sandbox/common';
import { startTestService, type TestService } from './harness';

jest.setTimeout(90_000);

const FIT = {
  jobtitle: 'Director of Manufacturing', ls_organization_type: 'biotech', ls_job_function: 'manufacturing',
  numemployees: '500-1000', country: 'Germany', ls_service_interest: 'cdmo_services',
};

/** A contact the default definition makes an MQL: core fit, a demo request and a download this week. */
function mqlContact(t: TestService, properties: Record<string, string | null>): string {
  const id = t.sandbox.hubspot.control.createContact({ firstname: 'Test', lastname: 'Contact', company: 'Helix Bio', ...FIT, ...properties });
  // Each with its own random source: the default one (clock and contact) repeats ids within a millisecond.
  t.sandbox.hubspot.control.addActivity(id, { type: 'demo_request' }, rngFor(id, 'demo'));
  t.sandbox.hubspot.control.addActivity(id, { type: 'content_download' }, rngFor(id, 'download'));
  return id;
}

const sync = (t: TestService, ids: string[]): Promise<SyncReport> => syncContacts(t.services.runtime, { ids, trigger: 'manual' }, `test-${ids.join('-')}`);
const hs = (t: TestService, id: string) => t.sandbox.hubspot.store.byId(id)!.properties;
const linked = (t: TestService, id: string) =>
  ['Lead', 'Contact'].flatMap((type) => [...t.sandbox.salesforce.store.table(type).values()].filter((r) => r.HubSpot_Contact_Id__c === id && r.IsDeleted !== true));
const tasksOf = (t: TestService, id: string) => [...t.sandbox.salesforce.store.table('Task').values()].filter((r) => String(r.Lifecycle_Sync_Key__c ?? '').startsWith(`lsync:${id}:`));

/** The neighbour of every odd case: an MQL with its Lead, its task and its HubSpot lifecycle. */
function expectWritten(t: TestService, id: string) {
  expect(hs(t, id)).toMatchObject({ lsync_stage: 'mql', lsync_definition_version: 'ls-default-2026.11' });
  const [lead] = linked(t, id);
  expect(lead).toMatchObject({ MQL__c: true, MQL_Definition_Version__c: 'ls-default-2026.11' });
  expect(hs(t, id).lsync_salesforce_id).toBe(lead!.Id);
  expect(tasksOf(t, id)).toHaveLength(1);
}

async function createLead(t: TestService, fields: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${t.sandbox.salesforceUrl}/services/data/v60.0/sobjects/Lead`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${t.sandbox.salesforce.control.issueToken(t.sandbox.salesforce.control.salesUserId)}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ Company: 'Helix Bio', Status: 'Open - Not Contacted', ...fields }),
  });
  return ((await response.json()) as { id: string }).id;
}

describe('with the shipped mappings', () => {
  let t: TestService;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestService({ role: 'cli' });
    // Created up front: a sync refreshes the activity feeds at most once per throttle window.
    ids.mixedCase = mqlContact(t, { email: 'Anna.Berg@Helix-Bio.EXAMPLE', lastname: 'Berg' });
    ids.unicode = mqlContact(t, { email: 'zoë.müller@universität-beispiel.example', firstname: 'Zoë', lastname: 'Müller', company: 'Universität Beispiel – Zentrum für Zelltherapie' });
    ids.tooLong = mqlContact(t, { email: `${'a'.repeat(76)}@long-domain.example`, company: 'Department of Molecular and Cellular Biology, '.repeat(8), jobtitle: `Director of Manufacturing ${'and Process Development '.repeat(8)}` });
    ids.sparse = t.sandbox.hubspot.control.createContact({ email: 'only.an.address@lab.example' });
    ids.nulls = t.sandbox.hubspot.control.createContact({ email: null, firstname: '', lastname: null, company: '   ', numemployees: 'lots', ls_organization_type: null, country: '' });
    ids.deleted = mqlContact(t, { email: 'deleted.later@helix-bio.example' });
    ids.converted = mqlContact(t, { email: 'converted.later@helix-bio.example' });
    ids.goneFromHubSpot = mqlContact(t, { email: 'gone@helix-bio.example' });
    ids.mergedAway = mqlContact(t, { email: 'merged.away@helix-bio.example' });
    ids.mergedInto = mqlContact(t, { email: 'merged.into@helix-bio.example' });
    for (let i = 0; i < 7; i++) ids[`neighbour${i}`] = mqlContact(t, { email: `neighbour${i}@helix-bio.example` });
    await createLead(t, { LastName: 'Berg', Email: 'anna.berg@helix-bio.example' });
  });
  afterAll(() => t.close());

  test('e-mail in mixed case: matched to the existing Lead case-insensitively, linked, not duplicated', async () => {
    const report = await sync(t, [ids.mixedCase!, ids.neighbour0!]);
    expect(report).toMatchObject({ synced: 2, failures: 0 });
    const [lead, ...more] = linked(t, ids.mixedCase!);
    expect(more).toEqual([]);
    expect(lead).toMatchObject({ Email: 'anna.berg@helix-bio.example', MQL__c: true });
    expect(hs(t, ids.mixedCase!).lsync_salesforce_id).toBe(lead!.Id);
    expect(tasksOf(t, ids.mixedCase!)).toHaveLength(1);
    expectWritten(t, ids.neighbour0!);
  });

  test('e-mail and names with unicode: the Lead carries them unchanged; a second sync finds it again', async () => {
    expect(await sync(t, [ids.unicode!, ids.neighbour1!])).toMatchObject({ synced: 2, failures: 0 });
    const [lead] = linked(t, ids.unicode!);
    expect(lead).toMatchObject({ Email: 'zoë.müller@universität-beispiel.example', FirstName: 'Zoë', LastName: 'Müller', Company: 'Universität Beispiel – Zentrum für Zelltherapie' });
    expectWritten(t, ids.neighbour1!);
    expect(await sync(t, [ids.unicode!])).toMatchObject({ failures: 0, writes: { leadsCreated: 0, tasksCreated: 0 } });
    expect(linked(t, ids.unicode!)).toHaveLength(1);
  });

  test('values too long for Salesforce: text cut to the field length, an e-mail that does not fit left out; never a refused record', async () => {
    expect(await sync(t, [ids.tooLong!, ids.neighbour2!])).toMatchObject({ synced: 2, failures: 0 });
    const [lead] = linked(t, ids.tooLong!);
    expect(String(lead!.Company)).toHaveLength(255);
    expect(String(lead!.Title)).toHaveLength(128);
    expect(lead!.Email).toBeNull();
    expect(hs(t, ids.tooLong!).lsync_salesforce_id).toBe(lead!.Id);
    expectWritten(t, ids.neighbour2!);
  });

  test('missing and null properties: evaluated as unknown, lifecycle written, no failure', async () => {
    const report = await sync(t, [ids.sparse!, ids.nulls!, ids.neighbour3!]);
    expect(report).toMatchObject({ synced: 3, failures: 0, missing: [] });
    for (const id of [ids.sparse!, ids.nulls!]) expect(hs(t, id)).toMatchObject({ lsync_stage: 'lead', lsync_definition_version: 'ls-default-2026.11' });
    expect(linked(t, ids.nulls!)).toEqual([]);
    expectWritten(t, ids.neighbour3!);
  });

  test('the Salesforce record was deleted meanwhile: a new Lead, the deleted one left alone, no second task', async () => {
    await sync(t, [ids.deleted!]);
    const [first] = linked(t, ids.deleted!);
    const [task] = tasksOf(t, ids.deleted!);
    t.sandbox.salesforce.control.deleteRecord(String(first!.Id));
    t.sandbox.hubspot.control.updateContact(ids.deleted!, { jobtitle: 'VP Manufacturing' });
    expect(await sync(t, [ids.deleted!, ids.neighbour4!])).toMatchObject({ synced: 2, failures: 0 });
    const [second, ...more] = linked(t, ids.deleted!);
    expect(more).toEqual([]);
    expect(second!.Id).not.toBe(first!.Id);
    expect(t.sandbox.salesforce.store.get(String(first!.Id))).toMatchObject({ IsDeleted: true });
    expect(hs(t, ids.deleted!).lsync_salesforce_id).toBe(second!.Id);
    // Sales deleted the episode's task with its Lead: it is not put back (the key is in the recycle bin).
    expect(tasksOf(t, ids.deleted!).map((r) => r.Id)).toEqual([task!.Id]);
    expectWritten(t, ids.neighbour4!);
  });

  test('the Lead was converted meanwhile: writes follow it to the Contact, no CANNOT_UPDATE_CONVERTED_LEAD, still one task', async () => {
    await sync(t, [ids.converted!]);
    const [lead] = linked(t, ids.converted!);
    const { contactId } = t.sandbox.salesforce.control.convertLead(String(lead!.Id));
    t.sandbox.hubspot.control.updateContact(ids.converted!, { jobtitle: 'Head of Manufacturing' });
    expect(await sync(t, [ids.converted!, ids.neighbour5!])).toMatchObject({ synced: 2, failures: 0 });
    expect(hs(t, ids.converted!).lsync_salesforce_id).toBe(contactId);
    expect(t.sandbox.salesforce.store.get(contactId)).toMatchObject({ MQL_Reasons__c: expect.stringContaining('Head of Manufacturing') });
    expect(tasksOf(t, ids.converted!)).toHaveLength(1);
    expect(await t.services.runtime.store.failures()).toEqual([]);
    expectWritten(t, ids.neighbour5!);
  });

  test('contacts deleted or merged away in HubSpot: reported missing, nothing written for them, the rest synced', async () => {
    t.sandbox.hubspot.control.deleteContact(ids.goneFromHubSpot!);
    t.sandbox.hubspot.control.mergeContacts(ids.mergedInto!, ids.mergedAway!);
    const report = await sync(t, [ids.goneFromHubSpot!, ids.mergedAway!, ids.mergedInto!, ids.neighbour6!]);
    expect(report.missing.sort()).toEqual([ids.goneFromHubSpot!, ids.mergedAway!].sort());
    expect(report).toMatchObject({ synced: 2, failures: 0 });
    expect(linked(t, ids.goneFromHubSpot!)).toEqual([]);
    expect(linked(t, ids.mergedAway!)).toEqual([]);
    expect(hs(t, ids.mergedInto!).lsync_stage).toBe('mql');
    expectWritten(t, ids.neighbour6!);
  });
});

describe('a mapping that writes a picklist value Salesforce does not accept', () => {
  let t: TestService;
  let dir: string;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    // An admin mapped the new Lead's Status to a value the org's restricted picklist lacks.
    dir = mkdtempSync(path.join(tmpdir(), 'lsync-mappings-'));
    const shipped = path.resolve(__dirname, '..', '..', 'mappings');
    for (const file of readdirSync(shipped)) copyFileSync(path.join(shipped, file), path.join(dir, file));
    const fields = readFileSync(path.join(dir, 'fields.yaml'), 'utf8');
    expect(fields).toContain('Status: { value: "Open - Not Contacted" }');
    writeFileSync(path.join(dir, 'fields.yaml'), fields.replace('Status: { value: "Open - Not Contacted" }', 'Status: { value: "Brand New" }'));
    t = await startTestService({ role: 'cli', env: { MAPPINGS_DIR: dir } });
    ids.fresh = mqlContact(t, { email: 'fresh.lead@helix-bio.example' });
    ids.existing = mqlContact(t, { email: 'existing.lead@helix-bio.example' });
    await createLead(t, { LastName: 'Contact', Email: 'existing.lead@helix-bio.example' });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the new Lead is refused and kept as a failure with Salesforce's reason; the matched record is written", async () => {
    const report = await sync(t, [ids.fresh!, ids.existing!]);
    expect(report).toMatchObject({ synced: 2, failures: 1, retryable: [] });
    expect(linked(t, ids.fresh!)).toEqual([]);
    const [failure] = await t.services.runtime.store.failures();
    expect(failure).toMatchObject({ id: `salesforce:${ids.fresh}`, system: 'salesforce', code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', retryable: false, attempts: 1 });
    // The refused value comes from the mappings, not from a person: the admin sees what to fix.
    expect(failure!.message).toBe('Status: bad value for restricted picklist field: Brand New (fields: Status)');
    // HubSpot still shows the judgement; sales gets the record once the mapping is fixed and it is re-driven.
    expect(hs(t, ids.fresh!)).toMatchObject({ lsync_stage: 'mql' });
    expect(hs(t, ids.existing!)).toMatchObject({ lsync_stage: 'mql' });
    expect(linked(t, ids.existing!)[0]).toMatchObject({ MQL__c: true });
    expect(tasksOf(t, ids.existing!)).toHaveLength(1);
  });
});
