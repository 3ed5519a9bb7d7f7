/** Outcomes with nock: the cursor query, paging, the mapping, and learning the connector's own user. */
import nock from 'nock';
import { callTotals } from '../../../connectors/accounting';
import { outcomeOf } from '../../../connectors/salesforce/outcome-map';
import type { ReasonsMapping } from '../../../src/mappings/schema';
import { baseConfig, collect, connector, mappings, redisFixture, type RedisFixture } from './helpers';
import { expectLimits, INSTANCE, JSON_HEADERS, LOGIN, ORG_ID, queryPage, soqlOf, USER_ID, V, useNock } from './fixtures';

const SALES_USER = '0055g00000SaLeSAAV';
const row = (n: number, stamp: string, fields: Record<string, unknown> = {}) => ({
  Id: `00Q5g00000Out${n}AAA`,
  HubSpot_Contact_Id__c: String(800 + n),
  Status: 'Working - Contacted',
  Disqualification_Reason__c: null,
  Recycle_Reason__c: null,
  SQL_Date__c: null,
  IsConverted: false,
  ConvertedContactId: null,
  OwnerId: SALES_USER,
  CreatedDate: '2026-01-05T08:00:00.000+0000',
  LastModifiedById: SALES_USER,
  SystemModstamp: stamp,
  ...fields,
});

describe('outcomesSince over HTTP', () => {
  let redis: RedisFixture;
  useNock();
  beforeEach(() => {
    redis = redisFixture();
  });
  afterEach(async () => {
    await redis.close();
  });

  it('sends the stable cursor condition, yields each page with the cursor after it, and learns its user from the identity URL', async () => {
    const before = await callTotals();
    const queries: string[] = [];
    const scope = expectLimits(nock(INSTANCE))
      .get(`${V}/`)
      .reply(200, { sobjects: `${V}/sobjects`, query: `${V}/query`, identity: `${LOGIN}/id/${ORG_ID}/${USER_ID}` }, JSON_HEADERS)
      .get(`${V}/query`)
      .query(true)
      .reply(200, (uri) => {
        queries.push(soqlOf(uri));
        return queryPage('Lead', [row(1, '2026-11-20T10:00:00.000+0000'), row(2, '2026-11-20T10:00:00.000+0000', { Status: 'Disqualified', Disqualification_Reason__c: 'No budget' })], { locator: '01gD0000002HU6KIAW-2', totalSize: 3 });
      }, JSON_HEADERS)
      .get(`${V}/query/01gD0000002HU6KIAW-2`)
      .reply(200, { totalSize: 3, done: true, records: queryPage('Lead', [row(3, '2026-11-21T09:30:00.000+0000', { LastModifiedById: USER_ID })]).records }, JSON_HEADERS);
    const identity = nock(LOGIN)
      .get(`/id/${ORG_ID}/${USER_ID}`)
      .matchHeader('authorization', 'Bearer 00Dxx!token')
      .reply(200, { id: `${LOGIN}/id/${ORG_ID}/${USER_ID}`, user_id: USER_ID, organization_id: ORG_ID, username: 'integration@helix.example' }, JSON_HEADERS);
    const sf = connector(redis, baseConfig({ SALESFORCE_INSTANCE_URL: INSTANCE, SALESFORCE_ACCESS_TOKEN: '00Dxx!token' }));
    const pages = await collect(sf.outcomesSince('Lead', { modstamp: Date.parse('2026-11-20T09:59:59.500Z'), id: '00Q5g00000Out0AAA' }));
    expect(scope.isDone() && identity.isDone()).toBe(true);
    expect(queries[0]).toBe(
      'SELECT Id, HubSpot_Contact_Id__c, Status, Disqualification_Reason__c, Recycle_Reason__c, SQL_Date__c, IsConverted, ConvertedContactId, OwnerId, CreatedDate, LastModifiedById, SystemModstamp FROM Lead ' +
        "WHERE HubSpot_Contact_Id__c != null AND (SystemModstamp > 2026-11-20T09:59:59.500Z OR (SystemModstamp = 2026-11-20T09:59:59.500Z AND Id > '00Q5g00000Out0AAA')) ORDER BY SystemModstamp, Id",
    );
    expect(pages.map((p) => [p.changes.map((c) => c.hubspotId), p.cursor])).toEqual([
      [['801', '802'], { modstamp: Date.parse('2026-11-20T10:00:00.000Z'), id: '00Q5g00000Out2AAA' }],
      [['803'], { modstamp: Date.parse('2026-11-21T09:30:00.000Z'), id: '00Q5g00000Out3AAA' }],
    ]);
    const [first, second] = pages[0]?.changes ?? [];
    expect(first).toMatchObject({ outcome: { kind: 'accepted', at: '2026-11-20T10:00:00.000Z' }, modifiedAt: '2026-11-20T10:00:00.000Z', byIntegrationUser: false });
    expect(second?.outcome).toEqual({ kind: 'disqualified', at: '2026-11-20T10:00:00.000Z', reason: mappings.reasons.disqualificationReasons['No budget'] });
    expect(pages[1]?.changes[0]?.byIntegrationUser).toBe(true);
    const after = await callTotals();
    const delta = (endpoint: string) => (after.salesforce.byEndpoint[endpoint] ?? 0) - (before.salesforce.byEndpoint[endpoint] ?? 0);
    expect([delta('GET /'), delta('GET /id/{id}/{id}'), delta('GET /query'), delta('GET /query/{locator}'), delta('GET /limits')]).toEqual([1, 1, 1, 1, 1]);
  });

  it('reads from the beginning without a cursor and yields nothing when nothing changed', async () => {
    let soql = '';
    expectLimits(nock(INSTANCE))
      .get(`${V}/query`)
      .query(true)
      .reply(200, (uri) => {
        soql = soqlOf(uri);
        return queryPage('Contact', []);
      }, JSON_HEADERS);
    const sf = connector(redis, baseConfig({ SALESFORCE_INSTANCE_URL: INSTANCE, SALESFORCE_ACCESS_TOKEN: '00Dxx!token', SALESFORCE_INTEGRATION_USER_ID: USER_ID }));
    expect(await collect(sf.outcomesSince('Contact', null))).toEqual([]);
    expect(soql).toBe(
      'SELECT Id, HubSpot_Contact_Id__c, Lifecycle_Status__c, Disqualification_Reason__c, Recycle_Reason__c, SQL_Date__c, OwnerId, CreatedDate, LastModifiedById, SystemModstamp FROM Contact WHERE HubSpot_Contact_Id__c != null ORDER BY SystemModstamp, Id',
    );
  });
});

describe('outcomeOf', () => {
  const reasons: ReasonsMapping = {
    version: 1,
    statuses: { 'Sales Qualified': 'sql', Opportunity: 'opportunity', Disqualified: 'disqualified', Recycled: 'recycled' },
    disqualificationReasons: { 'No budget': 'No budget or budget timing' },
    recycleReasons: { Nurture: 'Back to nurture' },
    unmappedReasonPrefix: 'Other: ',
  };
  const sf = mappings.fields.salesforce;
  const record = (sobject: 'Lead' | 'Contact', fields: Record<string, unknown>) => ({ sobject, id: 'x', fields: { SystemModstamp: '2026-11-22T12:00:00.000+0000', ...fields } });

  it.each([
    ['Lead', { Status: 'Disqualified', Disqualification_Reason__c: 'No budget' }, { kind: 'disqualified', at: '2026-11-22T12:00:00.000Z', reason: 'No budget or budget timing' }],
    ['Lead', { Status: 'Disqualified', Disqualification_Reason__c: 'Went with an in-house lab' }, { kind: 'disqualified', at: '2026-11-22T12:00:00.000Z', reason: 'Other: Went with an in-house lab' }],
    ['Lead', { Status: 'Disqualified', Disqualification_Reason__c: null }, { kind: 'disqualified', at: '2026-11-22T12:00:00.000Z' }],
    ['Contact', { Lifecycle_Status__c: 'Recycled', Recycle_Reason__c: 'Nurture' }, { kind: 'recycled', at: '2026-11-22T12:00:00.000Z', reason: 'Back to nurture' }],
    ['Lead', { Status: 'Sales Qualified', SQL_Date__c: '2026-11-18' }, { kind: 'sql', at: '2026-11-18T00:00:00.000Z' }],
    ['Contact', { Lifecycle_Status__c: 'Opportunity', SQL_Date__c: null }, { kind: 'opportunity', at: '2026-11-22T12:00:00.000Z' }],
    ['Lead', { Status: 'Open - Not Contacted' }, null],
    ['Contact', { Lifecycle_Status__c: null }, null],
  ] as const)('%s %j -> %j', (sobject, fields, expected) => {
    expect(outcomeOf(record(sobject, fields), sf, reasons)).toEqual(expected);
  });
});
