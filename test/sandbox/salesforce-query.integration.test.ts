import * as jsforce from 'jsforce';
import { formatDateTime } from '../../sandbox/salesforce';
import { rejection, seedLeads, startSalesforce, type Harness } from './salesforce-harness';

const COUNT = 4500;
let h: Harness;

beforeAll(async () => {
  h = await startSalesforce({ seedRecords: seedLeads(COUNT) });
});
afterAll(() => h.close());

describe('query paging', () => {
  it('answers 2,000 rows with nextRecordsUrl, then follows it with queryMore', async () => {
    const conn = h.connect();
    const first = await conn.query('SELECT Id, Email FROM Lead');
    expect(first.totalSize).toBe(COUNT);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(2000);
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v60\.0\/query\/01g[a-zA-Z0-9]{15}-2000$/);
    expect(first.records[0]).toEqual({
      attributes: { type: 'Lead', url: `/services/data/v60.0/sobjects/Lead/${String(first.records[0]?.Id)}` },
      Id: first.records[0]?.Id,
      Email: first.records[0]?.Email,
    });
    const second = await conn.queryMore(first.nextRecordsUrl as string);
    expect(second.records).toHaveLength(2000);
    const third = await conn.queryMore(second.nextRecordsUrl as string);
    expect(third.records).toHaveLength(500);
    expect(third.done).toBe(true);
    expect(third.nextRecordsUrl).toBeUndefined();
    const all = [...first.records, ...second.records, ...third.records].map((r) => r.Id);
    expect(new Set(all).size).toBe(COUNT);
  });

  it('lets jsforce autoFetch every page up to maxFetch', async () => {
    const all = await h.connect().query('SELECT Id FROM Lead', { autoFetch: true, maxFetch: 10_000 });
    expect(all.records).toHaveLength(COUNT);
    expect(all.done).toBe(true);
    const capped = await h.connect().query('SELECT Id FROM Lead', { autoFetch: true, maxFetch: 2500 });
    expect(capped.records).toHaveLength(2500);
  });

  it('honours Sforce-Query-Options batchSize', async () => {
    const page = await h.connect().query('SELECT Id FROM Lead', { headers: { 'Sforce-Query-Options': 'batchSize=500' } });
    expect(page.records).toHaveLength(500);
    expect(page.nextRecordsUrl).toMatch(/-500$/);
  });

  it('forgets the oldest of more than 10 open cursors (INVALID_QUERY_LOCATOR)', async () => {
    const conn = h.connect('cursor-user');
    const pages = [];
    for (let i = 0; i < 11; i++) pages.push(await conn.query('SELECT Id FROM Lead'));
    const oldest = await rejection(conn.queryMore(pages[0]?.nextRecordsUrl as string));
    expect(oldest.errorCode).toBe('INVALID_QUERY_LOCATOR');
    expect(oldest.data).toEqual({ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' });
    expect((await conn.queryMore(pages[10]?.nextRecordsUrl as string)).records).toHaveLength(2000);
  });
});

describe('SOQL over HTTP', () => {
  it('pages incrementally with the (SystemModstamp, Id) cursor form and sees a later change', async () => {
    const conn = h.connect();
    const seen: string[] = [];
    let cursor: { stamp: string; id: string } | undefined;
    for (let page = 0; page < 20; page++) {
      const where = cursor ? `WHERE SystemModstamp > ${cursor.stamp} OR (SystemModstamp = ${cursor.stamp} AND Id > '${cursor.id}')` : '';
      const { records } = await conn.query<{ Id: string; SystemModstamp: string }>(
        `SELECT Id, SystemModstamp FROM Lead ${where} ORDER BY SystemModstamp ASC, Id ASC LIMIT 1000`,
      );
      if (records.length === 0) break;
      seen.push(...records.map((r) => r.Id));
      const last = records[records.length - 1]!;
      cursor = { stamp: last.SystemModstamp, id: last.Id };
      if (page === 1) await conn.sobject('Lead').update({ Id: seen[0] as string, Title: 'Head of CMC' });
    }
    expect(cursor?.stamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    expect(seen).toHaveLength(COUNT + 1);
    expect(seen[seen.length - 1]).toBe(seen[0]);
  });

  it('filters with IN, LIKE, booleans and counts', async () => {
    const conn = h.connect();
    const byEmail = await conn.query("SELECT Id, Email FROM Lead WHERE Email IN ('LEAD7@bio7.example', 'lead8@bio8.example') ORDER BY Email");
    expect(byEmail.records.map((r) => r.Email)).toEqual(['lead7@bio7.example', 'lead8@bio8.example']);
    const count = await conn.query('SELECT COUNT() FROM Lead WHERE MQL__c = true');
    expect(count).toEqual({ totalSize: COUNT / 3, done: true, records: [] });
    const like = await conn.query("SELECT Id FROM Lead WHERE Email LIKE 'lead1%@bio1.example' LIMIT 5");
    expect(like.totalSize).toBe(5);
    const since = formatDateTime(Date.UTC(2026, 9, 1) + 2200 * 60_000);
    const recent = await conn.query(`SELECT Id FROM Lead WHERE CreatedDate >= ${since}`);
    expect(recent.totalSize).toBe(COUNT - 4400);
  });

  it("understands the SOQL jsforce's query builder writes, and refuses a quoted date-time", async () => {
    const find = (since: unknown) =>
      h
        .connect()
        .sobject('Lead')
        .find(
          { Email: { $in: ['lead4@bio4.example', 'lead300@bio1.example', 'lead301@bio2.example'] }, MQL__c: true, SystemModstamp: { $gt: since }, $or: [{ Status: 'Open - Not Contacted' }, { Status: null }] },
          ['Id', 'Email'],
        )
        .sort({ SystemModstamp: 1, Id: 1 })
        .limit(10);
    const since = jsforce.SfDate.toDateTimeLiteral(new Date(Date.UTC(2026, 9, 1, 1)));
    expect((await find(since)).map((r) => r.Email)).toEqual(['lead300@bio1.example']);
    // A plain string is quoted by the builder, which Salesforce refuses for a dateTime field.
    expect((await rejection(find(since.toString()))).errorCode).toBe('INVALID_FIELD');
  });

  it('answers Salesforce-shaped 400s for unknown fields, objects and syntax errors', async () => {
    const conn = h.connect();
    const field = await rejection(conn.query('SELECT Id, Lead_Score__c FROM Lead'));
    expect(field.errorCode).toBe('INVALID_FIELD');
    expect(field.data).toEqual({
      errorCode: 'INVALID_FIELD',
      message:
        "\nSELECT Id, Lead_Score__c FROM Lead\n           ^\nERROR at Row:1:Column:12\nNo such column 'Lead_Score__c' on entity 'Lead'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    });
    expect((await rejection(conn.query('SELECT Id FROM Opportunity'))).errorCode).toBe('INVALID_TYPE');
    expect((await rejection(conn.query('SELECT Id FROM Lead WHERE'))).errorCode).toBe('MALFORMED_QUERY');
  });

  it('refuses a URI longer than 16,384 characters with 414, as Salesforce does', async () => {
    const ids = Array.from({ length: 900 }, (_, i) => `'${String(i).padStart(18, '0')}'`).join(',');
    const error = await rejection(h.connect().query(`SELECT Id FROM Lead WHERE Email IN (${ids})`));
    expect(error.errorCode).toBe('ERROR_HTTP_414');
    expect(h.control.stats().requests.byOutcome.URI_TOO_LONG).toBe(1);
    // jsforce retries a refused GET with back-off before giving up: slow on a loaded machine.
  }, 30_000);

  it('includes deleted rows only in queryAll', async () => {
    const conn = h.connect();
    const victim = seedLeads(COUNT)[COUNT - 1]!.id;
    await conn.sobject('Lead').destroy(victim);
    const soql = `SELECT Id, IsDeleted FROM Lead WHERE Id = '${victim}'`;
    expect((await conn.query(soql)).totalSize).toBe(0);
    const all = await conn.query(soql, { scanAll: true });
    expect(all.records).toEqual([expect.objectContaining({ Id: victim, IsDeleted: true })]);
  });
});
