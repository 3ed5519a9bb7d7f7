/** checkProperties / createMissingProperties against HubSpot-shaped property definitions. */
import nock from 'nock';
import { BASE, JSON_HEADERS, makeConnector, type TestConnector } from './harness';
import { useNock } from '../../support/nock';

const definition = (name: string, type: string, options: string[] = [], groupName = 'lifecycle_sync') => ({
  updatedAt: '2026-01-01T00:00:00.000Z', createdAt: '2026-01-01T00:00:00.000Z', name, label: name, type,
  fieldType: type === 'enumeration' ? 'select' : type === 'number' ? 'number' : type === 'datetime' ? 'date' : 'text', description: '', groupName,
  options: options.map((value, i) => ({ label: value, value, displayOrder: i, hidden: false })), displayOrder: -1, calculated: false,
  externalOptions: false, hasUniqueValue: false, hidden: false, modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false }, formField: true,
});

const INPUTS = [
  definition('ls_organization_type', 'enumeration', ['biotech', 'pharma'], 'contactinformation'),
  definition('ls_job_function', 'string', [], 'contactinformation'),
  definition('ls_service_interest', 'enumeration', ['cdmo_services'], 'contactinformation'),
];

describe('property set-up', () => {
  let t: TestConnector;
  useNock();
  afterEach(() => t.close());

  test('checkProperties reports missing, mistyped and short-of-options properties, and the group', async () => {
    t = await makeConnector();
    nock(BASE).get('/crm/v3/properties/contacts').query(true).reply(200, { results: [
      ...INPUTS,
      definition('lsync_stage', 'enumeration', ['lead', 'mql']),
      definition('lsync_score', 'string'),
      definition('lsync_tier', 'enumeration', ['A', 'B', 'C']),
    ] }, JSON_HEADERS)
      .get('/crm/v3/properties/contacts/groups').reply(200, { results: [{ name: 'contactinformation', label: 'Contact information', displayOrder: 0, archived: false }] }, JSON_HEADERS);
    const report = await t.connector.checkProperties();
    const by = Object.fromEntries(report.properties.map((p) => [p.name, p]));
    expect(report.ok).toBe(false);
    expect(report.group).toEqual({ name: 'lifecycle_sync', exists: false });
    expect(by.lsync_stage).toMatchObject({ status: 'missing_options', missingOptions: ['sales_accepted', 'sql', 'opportunity', 'disqualified', 'recycled'] });
    expect(by.lsync_score).toMatchObject({ status: 'wrong_type', expected: 'number', actual: 'string' });
    expect(by.lsync_tier).toMatchObject({ status: 'ok' });
    expect(by.lsync_reasons).toMatchObject({ status: 'missing', role: 'lifecycle' });
    // Inputs: an enumeration or free text is accepted; a property the mappings name but the portal lacks is reported.
    expect(by.ls_organization_type).toMatchObject({ status: 'ok', role: 'input' });
    expect(by.ls_job_function).toMatchObject({ status: 'ok', role: 'input' });
    expect(by.ls_customer_status).toMatchObject({ status: 'missing', role: 'input' });
  });

  test('createMissingProperties creates the group and each missing lifecycle property (enumerations with their options), never inputs', async () => {
    t = await makeConnector();
    const created: Array<{ name: string; type: string; fieldType: string; groupName: string; options?: Array<{ value: string }> }> = [];
    let group: unknown;
    nock(BASE).get('/crm/v3/properties/contacts').query(true).reply(200, { results: [...INPUTS, definition('lsync_score', 'number')] }, JSON_HEADERS)
      .get('/crm/v3/properties/contacts/groups').reply(200, { results: [] }, JSON_HEADERS)
      .post('/crm/v3/properties/contacts/groups').reply(201, (_uri, body) => (group = body), JSON_HEADERS)
      .post('/crm/v3/properties/contacts').times(20).reply(201, (_uri, body) => {
        const b = body as (typeof created)[number];
        created.push(b);
        return definition(b.name, b.type, (b.options ?? []).map((o) => o.value));
      }, JSON_HEADERS);
    const result = await t.connector.createMissingProperties();
    expect(group).toEqual({ name: 'lifecycle_sync', label: 'Lifecycle sync', displayOrder: -1 });
    expect(result.groupCreated).toBe(true);
    expect(result.created).toHaveLength(14);
    expect(result.created).not.toContain('lsync_score');
    const byName = Object.fromEntries(created.map((c) => [c.name, c]));
    expect(byName.lsync_stage).toMatchObject({ type: 'enumeration', fieldType: 'select', groupName: 'lifecycle_sync' });
    expect(byName.lsync_stage!.options!.map((o) => o.value)).toEqual(['lead', 'mql', 'sales_accepted', 'sql', 'opportunity', 'disqualified', 'recycled']);
    expect(byName.lsync_tier!.options!.map((o) => o.value)).toEqual(['A', 'B', 'C']);
    expect(byName.lsync_service_line!.options!.map((o) => o.value)).toEqual(expect.arrayContaining(['general', 'cdmo_services', 'genomics_platform', 'medical_devices']));
    expect(byName.lsync_sales_outcome!.options!.map((o) => o.value)).toEqual(expect.arrayContaining(['accepted', 'sql', 'disqualified', 'recycled', 'converted']));
    expect(byName.lsync_mql_date).toMatchObject({ type: 'datetime', fieldType: 'date' });
    expect(byName.lsync_reasons).toMatchObject({ type: 'string', fieldType: 'textarea' });
    expect(created.some((c) => c.name.startsWith('ls_'))).toBe(false);
    expect(result.needsAttention.map((c) => c.name)).toEqual(['ls_customer_status']);
  });
});
