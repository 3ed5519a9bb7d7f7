import type { SaveResult } from 'jsforce';
import { DEFAULT_QUEUES, to18 } from '../../sandbox/salesforce';
import { rejection, seedLeads, startSalesforce, type Harness } from './salesforce-harness';

let h: Harness;
const seeded = seedLeads(3);
// Two seeded Leads sharing a HubSpot id: data that predates the unique constraint.
seeded[2]!.fields.HubSpot_Contact_Id__c = seeded[1]!.fields.HubSpot_Contact_Id__c as string;

beforeAll(async () => {
  h = await startSalesforce({ seedRecords: seeded });
});
afterAll(() => h.close());

describe('single-record REST', () => {
  it('creates (201), reads, updates (204) and deletes a Lead', async () => {
    const conn = h.connect();
    const created = await conn.sobject('Lead').create({ LastName: 'Curie', Company: 'Radium Bio', Email: 'marie@radium.example', MQL__c: true });
    expect(created).toEqual({ id: expect.stringMatching(/^00Q[a-zA-Z0-9]{15}$/), success: true, errors: [] });
    const id = created.id as string;
    const read = await conn.sobject('Lead').retrieve(id);
    expect(read).toMatchObject({ attributes: { type: 'Lead' }, Id: id, Name: 'Curie', Status: 'Open - Not Contacted', IsConverted: false });
    expect(read.CreatedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    expect(await conn.sobject('Lead').update({ Id: id, Title: 'Director, Process Development', MQL_Score__c: 82.46 })).toEqual({ id, success: true, errors: [] });
    expect(h.store.get(id)).toMatchObject({ Title: 'Director, Process Development', MQL_Score__c: 82.5 });
    await conn.sobject('Lead').destroy(id);
    expect((await rejection(conn.sobject('Lead').retrieve(id))).errorCode).toBe('ENTITY_IS_DELETED');
    const error = await rejection(conn.sobject('Lead').update({ Id: id, Title: 'x' }));
    expect(error.data).toEqual({ errorCode: 'ENTITY_IS_DELETED', message: 'entity is deleted' });
    expect((await rejection(conn.sobject('Lead').retrieve(to18('00Q8a00000zzzzz')))).errorCode).toBe('NOT_FOUND');
  });

  it('answers validation failures as [{message, errorCode, fields}]', async () => {
    const conn = h.connect();
    const cases: Array<[Record<string, unknown>, Record<string, unknown>]> = [
      [{ Company: 'x' }, { errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [LastName]', fields: ['LastName'] }],
      [{ LastName: 'x', Company: 'x', Status: 'Hot' }, { errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: 'Status: bad value for restricted picklist field: Hot', fields: ['Status'] }],
      [{ LastName: 'x', Company: 'x', MQL_Definition_Version__c: 'v'.repeat(41) }, { errorCode: 'STRING_TOO_LONG', fields: ['MQL_Definition_Version__c'] }],
      [{ LastName: 'x', Company: 'x', SystemModstamp: '2026-11-01T00:00:00Z' }, { errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['SystemModstamp'] }],
    ];
    for (const [record, expected] of cases) {
      const error = await rejection(conn.sobject('Lead').create(record));
      expect(error.errorCode).toBe(expected.errorCode);
      expect(error.data).toMatchObject(expected);
    }
    const unknown = await rejection(conn.sobject('Lead').create({ LastName: 'x', Company: 'x', Lead_Grade__c: 'A' }));
    expect(unknown.data).toEqual({ errorCode: 'INVALID_FIELD', message: "No such column 'Lead_Grade__c' on sobject of type Lead" });
    const queueOwned = await rejection(conn.sobject('Task').create({ Subject: 'Call', OwnerId: DEFAULT_QUEUES[0]!.Id }));
    expect(queueOwned.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
  });

  it('upserts a Task by Lifecycle_Sync_Key__c idempotently (201 then 200) and rejects a second record with the key', async () => {
    const conn = h.connect();
    const whoId = seeded[0]!.id;
    const task = { Lifecycle_Sync_Key__c: 'lsync:100000:1793491200000', Subject: 'MQL follow-up', WhoId: whoId, ActivityDate: '2026-11-25' };
    const first = await conn.sobject('Task').upsert(task, 'Lifecycle_Sync_Key__c');
    const second = await conn.sobject('Task').upsert({ ...task, Priority: 'High' }, 'Lifecycle_Sync_Key__c');
    expect(first).toEqual({ id: expect.stringMatching(/^00T/), success: true, errors: [], created: true });
    expect(second).toEqual({ id: first.id, success: true, errors: [], created: false });
    const tasks = await conn.query(`SELECT Id, Priority, WhoId, ActivityDate FROM Task WHERE WhoId = '${whoId}'`);
    expect(tasks.records).toEqual([expect.objectContaining({ Id: first.id, Priority: 'High', WhoId: whoId, ActivityDate: '2026-11-25' })]);
    const duplicate = await rejection(conn.sobject('Task').create(task));
    expect(duplicate.data).toEqual({
      errorCode: 'DUPLICATE_VALUE',
      message: `duplicate value found: Lifecycle_Sync_Key__c duplicates value on record with id: ${String(first.id)}`,
      fields: [],
    });
  });

  it('answers DUPLICATES_DETECTED when a blocking duplicate rule is on', async () => {
    const strict = await startSalesforce({ seedRecords: seedLeads(1), blockDuplicates: true });
    try {
      const error = await rejection(strict.connect().sobject('Lead').create({ LastName: 'Again', Company: 'C', Email: 'LEAD0@bio0.example' }));
      expect(error.data).toEqual({ errorCode: 'DUPLICATES_DETECTED', message: "You're creating a duplicate record. We recommend you use an existing record instead.", fields: [] });
    } finally {
      await strict.close();
    }
  });

  it('answers 300 when an external id matches several records', async () => {
    const conn = h.connect();
    const key = seeded[1]!.fields.HubSpot_Contact_Id__c as string;
    const error = await rejection(conn.sobject('Lead').upsert({ HubSpot_Contact_Id__c: key, Title: 'x' }, 'HubSpot_Contact_Id__c'));
    expect(error.errorCode).toBe('MULTIPLE_CHOICES');
    expect(error.data).toEqual([`/services/data/v60.0/sobjects/Lead/${seeded[1]!.id}`, `/services/data/v60.0/sobjects/Lead/${seeded[2]!.id}`]);
  });

  it('describes Lead, Contact and Task with Salesforce field metadata', async () => {
    const conn = h.connect();
    const lead = await conn.describe('Lead');
    const fields = new Map(lead.fields.map((f) => [f.name, f]));
    expect(lead).toMatchObject({ name: 'Lead', keyPrefix: '00Q', createable: true });
    expect(fields.get('HubSpot_Contact_Id__c')).toMatchObject({ type: 'string', length: 32, externalId: true, unique: true, custom: true });
    expect(fields.get('Status')).toMatchObject({ type: 'picklist', restrictedPicklist: true, nillable: false, defaultedOnCreate: true });
    expect(fields.get('Status')?.picklistValues?.[0]).toEqual({ active: true, defaultValue: true, label: 'Open - Not Contacted', validFor: null, value: 'Open - Not Contacted' });
    expect(fields.get('SystemModstamp')).toMatchObject({ type: 'datetime', updateable: false, createable: false });
    expect(fields.get('MQL_Score__c')).toMatchObject({ type: 'double', precision: 6, scale: 1 });
    const task = await conn.describe('Task');
    expect(task.fields.find((f) => f.name === 'Lifecycle_Sync_Key__c')).toMatchObject({ length: 80, externalId: true, unique: true });
    expect(task.fields.find((f) => f.name === 'OwnerId')).toMatchObject({ referenceTo: ['User'], relationshipName: 'Owner' });
    expect((await conn.describe('Contact')).fields.some((f) => f.name === 'Lifecycle_Status__c')).toBe(true);
    expect((await rejection(conn.describe('Opportunity'))).errorCode).toBe('NOT_FOUND');
  });
});

describe('sObject Collections', () => {
  it('reports mixed per-record results with statusCode', async () => {
    const results = (await h.connect().sobject('Lead').create([
      { LastName: 'Ok', Company: 'A' },
      { LastName: 'NoCompany' },
      { LastName: 'BadTier', Company: 'A', MQL_Tier__c: 'Z' },
    ])) as SaveResult[];
    expect(results[0]).toEqual({ id: expect.stringMatching(/^00Q/), success: true, errors: [] });
    expect(results[1]).toEqual({ success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Company]', fields: ['Company'] }] });
    expect(results[2]).toEqual({
      success: false,
      errors: [{ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: 'MQL Tier: bad value for restricted picklist field: Z', fields: ['MQL_Tier__c'] }],
    });
  });

  it('applies nothing under allOrNone when one record fails', async () => {
    const conn = h.connect();
    const ids = seeded.slice(0, 2).map((s) => s.id);
    const before = ids.map((id) => h.store.get(id)?.SystemModstamp);
    const results = (await conn.sobject('Lead').update(
      [
        { Id: ids[0]!, MQL__c: true, MQL_Tier__c: 'A' },
        { Id: ids[1]!, MQL_Tier__c: 'Q' },
      ],
      { allOrNone: true },
    )) as SaveResult[];
    expect(results[0]).toEqual({
      id: ids[0],
      success: false,
      errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] }],
    });
    expect(results[1]?.errors[0]).toMatchObject({ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' });
    expect(ids.map((id) => h.store.get(id)?.SystemModstamp)).toEqual(before);
    expect(h.store.get(ids[0]!)?.MQL_Tier__c).toBeNull();
  });

  it('upserts through /composite/sobjects/Task/Lifecycle_Sync_Key__c with created flags', async () => {
    const conn = h.connect();
    const tasks = [1, 2].map((n) => ({ Lifecycle_Sync_Key__c: `lsync:batch:${n}`, Subject: `Follow-up ${n}`, WhoId: seeded[0]!.id }));
    const first = (await conn.sobject('Task').upsert(tasks, 'Lifecycle_Sync_Key__c')) as SaveResult[];
    const again = (await conn.sobject('Task').upsert(tasks, 'Lifecycle_Sync_Key__c')) as SaveResult[];
    expect(first.map((r) => [r.success, (r as { created?: boolean }).created])).toEqual([[true, true], [true, true]]);
    expect(again.map((r) => (r as { created?: boolean }).created)).toEqual([false, false]);
    expect(again.map((r) => r.id)).toEqual(first.map((r) => r.id));
  });

  it('refuses more than 200 records with EXCEEDED_ID_LIMIT', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({ LastName: `L${i}`, Company: 'C' }));
    const error = await rejection(h.connect().sobject('Lead').create(records));
    expect(error.errorCode).toBe('EXCEEDED_ID_LIMIT');
    expect(error.data).toEqual({ errorCode: 'EXCEEDED_ID_LIMIT', message: 'record limit reached. cannot submit more than 200 records into this call' });
  });

  it('retrieves by ids (null for unknown) and deletes in bulk', async () => {
    const conn = h.connect();
    const missing = to18('00Q8a00000zzzzz');
    const rows = await conn.sobject('Lead').retrieve([seeded[0]!.id, missing], { fields: ['Id', 'Email'] });
    expect(rows).toEqual([{ attributes: expect.objectContaining({ type: 'Lead' }), Id: seeded[0]!.id, Email: seeded[0]!.fields.Email }, null]);
    const viaGet = await conn.request<unknown[]>(`/composite/sobjects/Lead?ids=${seeded[0]!.id}&fields=Email`);
    expect(viaGet).toEqual([{ attributes: expect.objectContaining({ type: 'Lead' }), Email: seeded[0]!.fields.Email }]);
    const created = (await conn.sobject('Lead').create([{ LastName: 'D1', Company: 'C' }, { LastName: 'D2', Company: 'C' }])) as SaveResult[];
    const deleted = (await conn.sobject('Lead').destroy([created[0]!.id as string, missing])) as SaveResult[];
    expect(deleted).toEqual([
      { id: created[0]!.id, success: true, errors: [] },
      { id: missing, success: false, errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] }] },
    ]);
  });
});
