/** Listing, batch reads and normalisation of contacts: paging, batch limits, 207, null and missing properties. */
import nock from 'nock';
import { employeesLowerBound } from '../../../connectors/hubspot';
import { BASE, contactJson, JSON_HEADERS, makeConnector, type TestConnector } from './harness';
import { useNock } from '../../support/nock';

describe('contacts', () => {
  let t: TestConnector;
  useNock();
  afterEach(() => t.close());

  test('listContacts streams pages of 100 following paging.next.after, asking for the mapped properties', async () => {
    t = await makeConnector();
    const queries: Array<Record<string, string | string[]>> = [];
    const page = (from: number, n: number, after?: string) => ({
      results: Array.from({ length: n }, (_, i) => contactJson(String(from + i), { email: `p${from + i}@lab.example` })),
      ...(after ? { paging: { next: { after, link: `${BASE}/crm/v3/objects/contacts?after=${after}` } } } : {}),
    });
    nock(BASE).get('/crm/v3/objects/contacts').query((q) => (queries.push(q as Record<string, string>), true)).reply(200, page(1, 100, '101'), JSON_HEADERS)
      .get('/crm/v3/objects/contacts').query((q) => (queries.push(q as Record<string, string>), true)).reply(200, page(101, 100, '201'), JSON_HEADERS)
      .get('/crm/v3/objects/contacts').query((q) => (queries.push(q as Record<string, string>), true)).reply(200, page(201, 7), JSON_HEADERS);
    const sizes: number[] = [];
    const afters: Array<string | undefined> = [];
    for await (const p of t.connector.listContacts()) {
      sizes.push(p.records.length);
      afters.push(p.after);
    }
    expect(sizes).toEqual([100, 100, 7]);
    expect(afters).toEqual(['101', '201', undefined]);
    expect(queries.map((q) => q.after)).toEqual([undefined, '101', '201']);
    expect(queries[0]!.limit).toBe('100');
    expect(queries[0]!.archived).toBe('false');
    expect(String(queries[0]!.properties)).toContain('ls_organization_type');
  });

  test('readContacts reads 100 ids per call; ids HubSpot does not know (207) are absent', async () => {
    t = await makeConnector();
    const sizes: number[] = [];
    nock(BASE).post('/crm/v3/objects/contacts/batch/read').query({ archived: 'false' }).times(3).reply((_uri, body) => {
      const ids = (body as { inputs: Array<{ id: string }> }).inputs.map((i) => i.id);
      sizes.push(ids.length);
      const known = ids.filter((id) => Number(id) % 50 !== 0);
      const missing = ids.filter((id) => Number(id) % 50 === 0);
      return [missing.length > 0 ? 207 : 200, {
        status: 'COMPLETE', results: known.map((id) => contactJson(id, {})), startedAt: '2026-11-01T10:00:00.000Z', completedAt: '2026-11-01T10:00:00.100Z',
        ...(missing.length > 0 ? { numErrors: 1, errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.', context: { ids: missing } }] } : {}),
      }, JSON_HEADERS];
    });
    const ids = Array.from({ length: 250 }, (_, i) => String(1 + i));
    const records = await t.connector.readContacts([...ids, '1', '2']);
    expect(sizes).toEqual([100, 100, 50]);
    expect(records).toHaveLength(245);
    expect(records.some((r) => r.id === '50')).toBe(false);
    expect(records[0]!.updatedAt).toBe('2026-11-01T10:00:00.000Z');
  });

  test('toContact tolerates null, missing and empty properties; numemployees bands give their lower bound', async () => {
    t = await makeConnector();
    const contact = t.connector.toContact({
      id: '42', updatedAt: '2026-11-01T10:00:00.000Z',
      properties: { email: 'qa.lead@lab.example', firstname: null, lastname: '  ', jobtitle: 'Head of QC', numemployees: '25-50', ls_service_interest: null, country: 'DE' },
    });
    expect(contact).toEqual({
      id: '42', email: 'qa.lead@lab.example', firstName: null, lastName: null, jobTitle: 'Head of QC', jobFunction: null, company: null,
      organizationType: null, employees: 25, country: 'DE', serviceLine: null,
      properties: { email: 'qa.lead@lab.example', firstname: null, lastname: '  ', jobtitle: 'Head of QC', numemployees: '25-50', ls_service_interest: null, country: 'DE' },
    });
    expect(t.connector.toContact({ id: '1', updatedAt: '', properties: {} })).toMatchObject({ id: '1', email: null, employees: null, properties: {} });
  });
});

describe('employeesLowerBound', () => {
  test.each([
    ['1-5', 1], ['5-25', 5], ['25-50', 25], ['50-100', 50], ['100-500', 100], ['500-1000', 500], ['1000+', 1000], ['75', 75], ['1,200', 1200],
    [null, null], [undefined, null], ['', null], ['unknown', null],
  ])('numemployees %p -> %p', (value, expected) => {
    expect(employeesLowerBound(value as string | null | undefined)).toBe(expected);
  });
});
