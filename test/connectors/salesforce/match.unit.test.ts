/** Matching over HTTP with nock: the queries sent and the rule applied to Salesforce-shaped answers. */
import nock from 'nock';
import { baseConfig, connector, redisFixture, type RedisFixture } from './helpers';
import { expectLimits, INSTANCE, JSON_HEADERS, queryPage, soqlOf, V, useNock } from './fixtures';

let redis: RedisFixture;
useNock();
beforeEach(() => {
  redis = redisFixture();
});
afterEach(async () => {
  await redis.close();
});
const config = () => baseConfig({ SALESFORCE_INSTANCE_URL: INSTANCE, SALESFORCE_ACCESS_TOKEN: '00Dxx!token' });

const lead = (id: string, fields: Record<string, unknown>) => ({
  Id: id,
  Email: null,
  HubSpot_Contact_Id__c: null,
  IsConverted: false,
  ConvertedContactId: null,
  OwnerId: '00G5g000001AbCdEAK',
  CreatedDate: '2025-03-01T10:00:00.000+0000',
  LastModifiedById: '0055g00000AbCdEAAV',
  SystemModstamp: '2025-03-01T10:00:00.000+0000',
  Status: 'Open - Not Contacted',
  ...fields,
});
const contact = (id: string, fields: Record<string, unknown>) => ({
  Id: id,
  Email: null,
  HubSpot_Contact_Id__c: null,
  OwnerId: '0055g00000XyZaBAAV',
  CreatedDate: '2024-06-01T10:00:00.000+0000',
  LastModifiedById: '0055g00000XyZaBAAV',
  SystemModstamp: '2024-06-01T10:00:00.000+0000',
  Lifecycle_Status__c: null,
  ...fields,
});

describe('match', () => {
  it('queries each object once for ids and e-mails together, resolves duplicates and follows a conversion', async () => {
    const queries: string[] = [];
    const scope = expectLimits(nock(INSTANCE));
    scope
      .get(`${V}/query`)
      .query(true)
      .reply(200, (uri) => {
        queries.push(soqlOf(uri));
        return queryPage('Contact', [contact('0035g00000Cont1AAA', { Email: 'Li.Wei@Helix.example', CreatedDate: '2024-01-01T00:00:00.000+0000' })]);
      }, JSON_HEADERS)
      .get(`${V}/query`)
      .query(true)
      .reply(200, (uri) => {
        queries.push(soqlOf(uri));
        return queryPage('Lead', [
          lead('00Q5g00000Dup2AAA', { Email: 'sam@cdmo.example', CreatedDate: '2025-05-01T00:00:00.000+0000' }),
          lead('00Q5g00000Dup1AAA', { Email: 'SAM@cdmo.example', CreatedDate: '2025-02-01T00:00:00.000+0000' }),
          lead('00Q5g00000Conv1AA', { Email: 'maria@northbridge.example', IsConverted: true, ConvertedContactId: '0035g00000Conv1AAA', Status: 'Closed - Converted' }),
          lead('00Q5g00000Link1AA', { HubSpot_Contact_Id__c: '501', Email: 'li.wei@helix.example' }),
        ]);
      }, JSON_HEADERS)
      .get(`${V}/query`)
      .query(true)
      .reply(200, (uri) => {
        queries.push(soqlOf(uri));
        return queryPage('Contact', [contact('0035g00000Conv1AAA', { Email: 'maria.new@northbridge.example' })]);
      }, JSON_HEADERS);

    const sf = connector(redis, config());
    const results = await sf.match([
      { hubspotId: '501', email: 'li.wei@helix.example' },
      { hubspotId: '502', email: 'sam@cdmo.example' },
      { hubspotId: '503', email: 'maria@northbridge.example' },
      { hubspotId: '504', email: 'nobody@example.org' },
    ]);
    expect(scope.isDone()).toBe(true);
    expect(queries).toHaveLength(3);
    expect(queries[0]).toMatch(/^SELECT Id, Email, HubSpot_Contact_Id__c, OwnerId, CreatedDate, LastModifiedById, SystemModstamp, MQL__c, .*Lifecycle_Status__c.* FROM Contact WHERE HubSpot_Contact_Id__c IN \('501','502','503','504'\) OR Email IN \('li\.wei@helix\.example','sam@cdmo\.example','maria@northbridge\.example','nobody@example\.org'\)$/);
    expect(queries[1]).toMatch(/^SELECT Id, Email, HubSpot_Contact_Id__c, IsConverted, ConvertedContactId, .* FROM Lead WHERE /);
    expect(queries[2]).toMatch(/FROM Contact WHERE Id IN \('0035g00000Conv1AAA'\)$/);
    expect([...results.values()].map((r) => [r.hubspotId, r.via, r.record?.id ?? null, r.ambiguous])).toEqual([
      ['501', 'external_id', '00Q5g00000Link1AA', []],
      ['502', 'email', '00Q5g00000Dup1AAA', ['00Q5g00000Dup2AAA']],
      ['503', 'converted', '0035g00000Conv1AAA', []],
      ['504', 'none', null, []],
    ]);
    expect(results.get('501')?.record?.fields).not.toHaveProperty('attributes');
  });

  it('cuts long batches into several statements, each under the length limit', async () => {
    const lengths: number[] = [];
    const scope = expectLimits(nock(INSTANCE))
      .get(`${V}/query`)
      .query(true)
      .times(6)
      .reply(200, (uri) => {
        lengths.push(encodeURIComponent(soqlOf(uri)).length);
        return queryPage('Lead', []);
      }, JSON_HEADERS);
    const sf = connector(redis, config());
    const contacts = Array.from({ length: 500 }, (_, i) => ({ hubspotId: String(100_000 + i), email: `first.last.${i}@northbridge-therapeutics.example` }));
    await sf.match(contacts);
    expect(lengths.every((n) => n <= 14_000)).toBe(true);
    // 500 x ~72 encoded characters = ~36,000 per object: 3 statements each for Contact and Lead.
    expect(lengths).toHaveLength(6);
    expect(scope.isDone()).toBe(true);
  });

  it('leaves out addresses longer than any Salesforce Email field, and sends no e-mail clause without addresses', async () => {
    let soql = '';
    expectLimits(nock(INSTANCE))
      .get(`${V}/query`)
      .query(true)
      .twice()
      .reply(200, (uri) => {
        soql = soqlOf(uri);
        return queryPage('Lead', []);
      }, JSON_HEADERS);
    const sf = connector(redis, config());
    await sf.match([{ hubspotId: '9', email: `${'x'.repeat(80)}@example.com` }, { hubspotId: '10', email: null }]);
    expect(soql).toMatch(/WHERE HubSpot_Contact_Id__c IN \('9','10'\)$/);
  });
});
