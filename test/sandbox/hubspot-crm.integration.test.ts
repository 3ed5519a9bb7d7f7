import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import { FIXTURES, contactIdOf, generateContact } from '../../sandbox/dataset';
import { ANCHOR, rejection, startHubSpot, type HubSpotHarness } from './hubspot-harness';

const since = (iso: string): string => String(Date.parse(iso));

describe('HubSpot simulator: contacts through @hubspot/api-client', () => {
  let hs: HubSpotHarness;
  beforeAll(async () => {
    // Search's own per-second limit is tested in hubspot-limits; here it must not interfere.
    hs = await startHubSpot({ contacts: 1000, withLifecycleProperties: false, rateLimits: { searchPerSecond: 1000 } });
  });
  afterAll(() => hs.close());

  it('pages the whole list with `after` (getAll) and returns the generated properties', async () => {
    const all = await hs.client.crm.contacts.getAll(100, undefined, ['email', 'ls_organization_type']);
    expect(all).toHaveLength(1000);
    expect(new Set(all.map((c) => c.id)).size).toBe(1000);
    const seeded = generateContact({ seed: 42, anchor: ANCHOR }, 17);
    const listed = all.find((c) => c.id === seeded.id);
    expect(listed?.properties.email).toBe(seeded.properties.email);
    expect(listed?.properties.ls_organization_type).toBe(seeded.properties.ls_organization_type);
    expect(listed?.createdAt).toEqual(new Date(seeded.properties.createdate ?? ''));
  });

  it('reads one contact by id or by e-mail (case-insensitive) and answers 404 when absent', async () => {
    const c = await hs.client.crm.contacts.basicApi.getById(contactIdOf(FIXTURES.directorTechTransfer), ['jobtitle']);
    expect(c.properties.jobtitle).toBe('Director of Manufacturing');
    const byEmail = await hs.client.crm.contacts.basicApi.getById('JUERGEN.WEISS@rhenova-biopharma.de', ['email'], undefined, undefined, false, 'email');
    expect(byEmail.id).toBe(contactIdOf(FIXTURES.directorTechTransfer));
    const missing = await rejection(hs.client.crm.contacts.basicApi.getById('999999999'));
    expect(missing.code).toBe(404);
    expect(missing.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
    expect(missing.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a batch of 101 inputs and answers 207 for missing ids in a batch read', async () => {
    const tooMany = await rejection(hs.client.crm.contacts.batchApi.read({ inputs: Array.from({ length: 101 }, (_, i) => ({ id: contactIdOf(i) })), properties: [], propertiesWithHistory: [] }));
    expect(tooMany.code).toBe(400);
    expect(tooMany.body.category).toBe('VALIDATION_ERROR');
    const partial = await hs.client.crm.contacts.batchApi.read({ inputs: [{ id: contactIdOf(1) }, { id: '424242424' }], properties: ['email'], propertiesWithHistory: [] });
    expect(partial.results).toHaveLength(1);
    expect((partial as unknown as { numErrors: number }).numErrors).toBe(1);
  });

  it('validates writes against the property definitions: unknown property, bad option, read-only', async () => {
    const id = contactIdOf(30);
    const unknown = await rejection(hs.client.crm.contacts.basicApi.update(id, { properties: { lsync_stage: 'mql' } }));
    expect(unknown.code).toBe(400);
    expect(unknown.body.message).toContain('PROPERTY_DOESNT_EXIST');
    const batch = await hs.client.crm.contacts.batchApi.update({
      inputs: [
        { id, properties: { jobtitle: 'Head of Quality Assurance, EMEA' } },
        { id: contactIdOf(31), properties: { ls_service_interest: 'space_travel' } },
        { id: contactIdOf(32), properties: { createdate: '0' } },
        { id: '999999999', properties: { jobtitle: 'x' } },
      ],
    });
    expect(batch.results.map((r) => r.id)).toEqual([id]);
    const errors = (batch as unknown as { numErrors: number; errors: Array<{ message: string; category: string }> });
    expect(errors.numErrors).toBe(3);
    expect(errors.errors.map((e) => e.category).sort()).toEqual(['OBJECT_NOT_FOUND', 'VALIDATION_ERROR', 'VALIDATION_ERROR']);
    expect(errors.errors.some((e) => e.message.includes('INVALID_OPTION'))).toBe(true);
    expect(errors.errors.some((e) => e.message.includes('READ_ONLY_VALUE'))).toBe(true);
    const after = await hs.client.crm.contacts.basicApi.getById(id, ['jobtitle', 'lastmodifieddate']);
    expect(after.properties.jobtitle).toBe('Head of Quality Assurance, EMEA');
    expect(Date.now() - after.updatedAt.getTime()).toBeLessThan(60_000);
  });

  it('creates the lifecycle group and properties, after which they can be written and read back', async () => {
    const before = await hs.client.crm.properties.coreApi.getAll('contacts');
    expect(before.results.some((p) => p.name.startsWith('lsync_'))).toBe(false);
    expect(before.results.some((p) => p.name === 'ls_job_function')).toBe(true);
    await hs.client.crm.properties.groupsApi.create('contacts', { name: 'lifecycle_sync', label: 'Lifecycle sync' });
    const created = await hs.client.crm.properties.coreApi.create('contacts', {
      name: 'lsync_stage', label: 'Lifecycle stage (sync)', type: 'enumeration' as never, fieldType: 'select' as never, groupName: 'lifecycle_sync',
      options: ['lead', 'mql', 'sql'].map((value, i) => ({ label: value, value, displayOrder: i, hidden: false })),
    });
    expect(created.name).toBe('lsync_stage');
    const duplicate = await rejection(hs.client.crm.properties.coreApi.create('contacts', { name: 'lsync_stage', label: 'x', type: 'string' as never, fieldType: 'text' as never, groupName: 'lifecycle_sync' }));
    expect(duplicate.code).toBe(409);
    await hs.client.crm.contacts.basicApi.update(contactIdOf(40), { properties: { lsync_stage: 'mql' } });
    const bad = await rejection(hs.client.crm.contacts.basicApi.update(contactIdOf(40), { properties: { lsync_stage: 'hot' } }));
    expect(bad.body.message).toContain('INVALID_OPTION');
    const read = await hs.client.crm.contacts.basicApi.getById(contactIdOf(40), ['lsync_stage']);
    expect(read.properties.lsync_stage).toBe('mql');
  });

  it('searches with filter groups, sorts and paging, with a total', async () => {
    const request = {
      filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: FilterOperatorEnum.Gte, value: since('2026-09-01T00:00:00Z') }] }],
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }] as unknown as string[],
      properties: ['email', 'lastmodifieddate'], limit: 50, after: '0',
    };
    const first = await hs.client.crm.contacts.searchApi.doSearch(request);
    expect(first.total).toBeGreaterThan(50);
    const seen: string[] = [];
    let after: string | undefined = '0';
    let previous = '';
    while (after !== undefined) {
      const page = await hs.client.crm.contacts.searchApi.doSearch({ ...request, after });
      for (const r of page.results) {
        expect(r.properties.lastmodifieddate! >= previous).toBe(true);
        previous = r.properties.lastmodifieddate!;
        seen.push(r.id);
      }
      after = page.paging?.next?.after;
    }
    expect(seen).toHaveLength(first.total);
    expect(new Set(seen).size).toBe(first.total);
    const either = await hs.client.crm.contacts.searchApi.doSearch({
      filterGroups: [
        { filters: [{ propertyName: 'email', operator: FilterOperatorEnum.Eq, value: 'SAM.RIVERA.LAB@gmail.com' }] },
        { filters: [{ propertyName: 'jobtitle', operator: FilterOperatorEnum.ContainsToken, value: 'technician' }, { propertyName: 'ls_organization_type', operator: FilterOperatorEnum.In, values: ['diagnostics'] }] },
      ],
      properties: ['email', 'jobtitle'], limit: 200, after: '0', sorts: [],
    });
    expect(either.results.map((r) => r.id)).toContain(contactIdOf(FIXTURES.demoFromPersonalEmail));
    expect(either.results.map((r) => r.id)).toContain(contactIdOf(FIXTURES.labTechReader));
    expect(either.results.every((r) => r.properties.email?.toLowerCase() === 'sam.rivera.lab@gmail.com' || /technician/i.test(r.properties.jobtitle ?? ''))).toBe(true);
  });

  it('has many contacts sharing one lastmodifieddate, all reachable by EQ plus an id cursor', async () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 1000; i++) {
      const m = generateContact({ seed: 42, anchor: ANCHOR }, i).properties.lastmodifieddate ?? '';
      counts.set(m, (counts.get(m) ?? 0) + 1);
    }
    const [shared, n] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    expect(n).toBeGreaterThan(20);
    const ids: string[] = [];
    let lastId = '0';
    for (;;) {
      const page = await hs.client.crm.contacts.searchApi.doSearch({
        filterGroups: [{ filters: [
          { propertyName: 'lastmodifieddate', operator: FilterOperatorEnum.Eq, value: since(shared) },
          { propertyName: 'hs_object_id', operator: FilterOperatorEnum.Gt, value: lastId },
        ] }],
        sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }] as unknown as string[], properties: [], limit: 10, after: '0',
      });
      if (page.results.length === 0) break;
      ids.push(...page.results.map((r) => r.id));
      lastId = page.results[page.results.length - 1]!.id;
    }
    // Contacts written by earlier tests no longer carry the shared stamp.
    expect(ids.length).toBeGreaterThanOrEqual(n - 3);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses search pages over 200 and filter groups over the limit', async () => {
    const big = await rejection(hs.client.crm.contacts.searchApi.doSearch({ filterGroups: [], sorts: [], properties: [], limit: 201, after: '0' }));
    expect(big.code).toBe(400);
    const groups = Array.from({ length: 6 }, () => ({ filters: [{ propertyName: 'email', operator: FilterOperatorEnum.HasProperty }] }));
    const tooManyGroups = await rejection(hs.client.crm.contacts.searchApi.doSearch({ filterGroups: groups, sorts: [], properties: [], limit: 1, after: '0' }));
    expect(tooManyGroups.code).toBe(400);
  });
});

describe('HubSpot simulator: search limits and delay', () => {
  let hs: HubSpotHarness;
  beforeAll(async () => {
    hs = await startHubSpot({ contacts: 10_500, rateLimits: { searchPerSecond: 1000 } });
  });
  afterAll(() => hs.close());

  it('serves at most 10,000 results per query: paging past them is a 400 with HubSpot\'s error body', async () => {
    const request = { filterGroups: [], sorts: [], properties: [], limit: 200 };
    const near = await hs.client.crm.contacts.searchApi.doSearch({ ...request, after: '9900' });
    expect(near.total).toBe(10_500);
    expect(near.results).toHaveLength(100);
    expect(near.paging?.next?.after).toBe('10000');
    const past = await rejection(hs.client.crm.contacts.searchApi.doSearch({ ...request, after: '10000' }));
    expect(past.code).toBe(400);
    expect(past.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(past.body.message).toContain('10,000');
  });

  it('shows a change to search only after the configured delay, while reads see it at once', async () => {
    hs.sim.control.setSearchDelay(300);
    const id = contactIdOf(77);
    await hs.client.crm.contacts.basicApi.update(id, { properties: { jobtitle: 'Chief Quality Officer' } });
    const search = () => hs.client.crm.contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'jobtitle', operator: FilterOperatorEnum.Eq, value: 'Chief Quality Officer' }] }], sorts: [], properties: ['jobtitle'], limit: 10, after: '0',
    });
    expect((await search()).total).toBe(0);
    expect((await hs.client.crm.contacts.basicApi.getById(id, ['jobtitle'])).properties.jobtitle).toBe('Chief Quality Officer');
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await search()).results.map((r) => r.id)).toEqual([id]);
    hs.sim.control.setSearchDelay(0);
  }, 15_000);
});
