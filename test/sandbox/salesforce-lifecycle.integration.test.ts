import type { SaveResult } from 'jsforce';
import { DEFAULT_USERS, picklists, type WorkLeadsResult } from '../../sandbox/salesforce';
import { rejection, seedLeads, startSalesforce, type Harness } from './salesforce-harness';

const SALES_USER = DEFAULT_USERS[1]!.Id;
const post = async (h: Harness, path: string, body: object) => {
  const response = await fetch(`${h.url}/__sandbox/salesforce/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('lead conversion', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSalesforce();
  });
  afterAll(() => h.close());

  it('creates Account and Contact carrying the MQL fields and marks the Lead converted', async () => {
    const conn = h.connect();
    const { id } = await conn.sobject('Lead').create({
      FirstName: 'Rosalind',
      LastName: 'Franklin',
      Company: 'Helix CDMO',
      Email: 'rf@helix.example',
      Country: 'GB',
      HubSpot_Contact_Id__c: '4242',
      MQL__c: true,
      MQL_Score__c: 88.5,
      MQL_Tier__c: 'A',
      MQL_Service_Line__c: 'cdmo_services',
      MQL_Date__c: '2026-11-20T09:30:00.000+0000',
      MQL_Reasons__c: '+25 Demo request (2026-11-02)',
    });
    const converted = await post(h, 'convert', { leadId: id });
    expect(converted.status).toBe(200);
    const { contactId, accountId } = converted.body as { contactId: string; accountId: string };
    const { records } = await conn.query(
      `SELECT IsConverted, ConvertedContactId, ConvertedAccountId, ConvertedDate, Status, LastModifiedById FROM Lead WHERE Id = '${String(id)}'`,
    );
    expect(records[0]).toMatchObject({
      IsConverted: true,
      ConvertedContactId: contactId,
      ConvertedAccountId: accountId,
      ConvertedDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      Status: 'Closed - Converted',
      LastModifiedById: SALES_USER,
    });
    const contact = await conn.sobject('Contact').retrieve(contactId);
    expect(contact).toMatchObject({
      FirstName: 'Rosalind',
      Email: 'rf@helix.example',
      AccountId: accountId,
      HubSpot_Contact_Id__c: '4242',
      MQL__c: true,
      MQL_Score__c: 88.5,
      MQL_Tier__c: 'A',
      MQL_Date__c: '2026-11-20T09:30:00.000+0000',
      MQL_Reasons__c: '+25 Demo request (2026-11-02)',
    });
    expect((await conn.sobject('Account').retrieve(accountId)).Name).toBe('Helix CDMO');
    const update = await rejection(conn.sobject('Lead').update({ Id: id as string, MQL_Score__c: 90 }));
    expect(update.data).toEqual({ errorCode: 'CANNOT_UPDATE_CONVERTED_LEAD', message: 'cannot reference converted lead', fields: [] });
    expect((await post(h, 'convert', { leadId: id })).status).toBe(400);
  });

  it('deletes through the control endpoint and shows the stored record', async () => {
    const conn = h.connect();
    const { id } = await conn.sobject('Lead').create({ LastName: 'Gone', Company: 'C' });
    expect((await post(h, 'delete', { id })).body).toEqual({ id });
    const record = await fetch(`${h.url}/__sandbox/salesforce/records/Lead/${String(id)}`);
    expect(await record.json()).toMatchObject({ Id: id, IsDeleted: true, LastModifiedById: SALES_USER });
    expect((await conn.query(`SELECT Id FROM Lead WHERE Id = '${String(id)}'`)).totalSize).toBe(0);
  });
});

describe('scripted sales team', () => {
  const seeds = seedLeads(300);
  const run = async (seed: number): Promise<{ result: WorkLeadsResult; h: Harness }> => {
    const h = await startSalesforce({ seedRecords: seeds, salesScript: { seed } });
    const conn = h.connect();
    await conn.sobject('Task').create(
      seeds.slice(0, 30).map((s, i) => ({ WhoId: s.id, Subject: 'MQL follow-up', Lifecycle_Sync_Key__c: `lsync:${i}:1` })),
    );
    const result = (await post(h, 'work-leads', { now: '2026-11-23T10:00:00Z' })).body as unknown as WorkLeadsResult;
    return { result, h };
  };

  it('works open MQL records deterministically per seed, as a sales user', async () => {
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    try {
      expect(a.result).toEqual(b.result);
      expect(a.result.changed).not.toEqual(c.result.changed);
      const { result, h } = a;
      expect(result.examined).toBe(100);
      const decided = result.accepted + result.sql + result.disqualified + result.recycled + result.converted + result.leftAlone;
      expect(decided).toBe(100);
      for (const count of [result.accepted, result.sql, result.disqualified, result.recycled, result.converted, result.leftAlone]) {
        expect(count).toBeGreaterThan(0);
      }
      expect(result.tasksCompleted).toBeGreaterThan(0);
      expect(result.tasksCompleted).toBeLessThan(30);

      const conn = h.connect();
      const { records } = await conn.query<Record<string, string | null>>(
        'SELECT Id, Status, Disqualification_Reason__c, Recycle_Reason__c, SQL_Date__c, LastModifiedById FROM Lead WHERE MQL__c = true',
        { autoFetch: true },
      );
      const byId = new Map(records.map((r) => [r.Id as string, r]));
      for (const id of result.changed.disqualify) {
        expect(byId.get(id)).toMatchObject({ Status: 'Disqualified', LastModifiedById: SALES_USER });
        expect(picklists.DISQUALIFICATION_REASONS).toContain(byId.get(id)?.Disqualification_Reason__c);
      }
      for (const id of result.changed.recycle) expect(picklists.RECYCLE_REASONS).toContain(byId.get(id)?.Recycle_Reason__c);
      for (const id of result.changed.sql) expect(byId.get(id)).toMatchObject({ Status: 'Sales Qualified', SQL_Date__c: '2026-11-23' });
      for (const id of result.changed.convert) expect(byId.get(id)?.Status).toBe('Closed - Converted');
      const tasks = await conn.query("SELECT Id, IsClosed, LastModifiedById FROM Task WHERE Status = 'Completed'");
      expect(tasks.totalSize).toBe(result.tasksCompleted);
      expect(tasks.records.every((t) => t.IsClosed === true && t.LastModifiedById === SALES_USER)).toBe(true);

      // A second pass leaves worked records alone and looks again only at the ones left open.
      const again = h.control.workLeads();
      expect(again.examined).toBe(result.leftAlone);
      expect(again.leftAlone).toBe(result.leftAlone);
    } finally {
      await Promise.all([a.h.close(), b.h.close(), c.h.close()]);
    }
  });

  it('can run on an interval for live demos', async () => {
    const h = await startSalesforce({ seedRecords: seeds });
    try {
      const conn = h.connect();
      const results = (await conn.sobject('Lead').update(seeds.slice(1, 3).map((s) => ({ Id: s.id, MQL__c: true })))) as SaveResult[];
      expect(results.every((r) => r.success)).toBe(true);
      expect((await post(h, 'work-leads/interval', { intervalMs: 20 })).body).toEqual({ running: true, intervalMs: 20 });
      const before = (await conn.query("SELECT COUNT() FROM Lead WHERE Status = 'Open - Not Contacted' AND MQL__c = true")).totalSize;
      await new Promise((resolve) => setTimeout(resolve, 80));
      const after = (await conn.query("SELECT COUNT() FROM Lead WHERE Status = 'Open - Not Contacted' AND MQL__c = true")).totalSize;
      expect(after).toBeLessThan(before);
      expect((await post(h, 'work-leads/interval', { intervalMs: 0 })).body).toEqual({ running: false, intervalMs: null });
    } finally {
      await h.close();
    }
  });
});
