/** sObject Collections with nock: mixed per-record results, lock-row retries, request-level refusals. */
import nock from 'nock';
import { RetryableError } from '../../../connectors/errors';
import { baseConfig, connector, redisFixture, rejection, type RedisFixture } from './helpers';
import { apiError, expectLimits, INSTANCE, JSON_HEADERS, refused, saved, V, useNock } from './fixtures';

let redis: RedisFixture;
useNock();
beforeEach(() => {
  redis = redisFixture();
});
afterEach(async () => {
  await redis.close();
});
const config = () => baseConfig({ SALESFORCE_INSTANCE_URL: INSTANCE, SALESFORCE_ACCESS_TOKEN: '00Dxx!token' });
const ids = Array.from({ length: 8 }, (_, i) => `00Q5g00000Aa${String(i).padStart(3, '0')}AAA`);
type Body = { allOrNone: boolean; records: Array<Record<string, unknown>> };

describe('updateRecords', () => {
  it('reports every record on its own: success, each permanent refusal with message and fields, none failing its neighbours', async () => {
    let sent: Body | undefined;
    const scope = expectLimits(nock(INSTANCE))
      .patch(`${V}/composite/sobjects`, (body: Body) => {
        sent = body;
        return true;
      })
      .reply(
        200,
        [
          saved(ids[0] as string),
          refused('STRING_TOO_LONG', 'MQL Reasons: data value too large: +25 Demo request (2026-11-02) (max length=255)', ['MQL_Reasons__c'], ids[1]),
          refused('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'MQL Tier: bad value for restricted picklist field: D', ['MQL_Tier__c'], ids[2]),
          refused('DUPLICATES_DETECTED', 'Use one of these records?', [], ids[3]),
          refused('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', [], ids[4]),
          refused('ENTITY_IS_DELETED', 'entity is deleted', [], ids[5]),
          saved(ids[6] as string),
        ],
        JSON_HEADERS,
      );
    const sf = connector(redis, config());
    const results = await sf.updateRecords(
      ids.slice(0, 7).map((id, i) => ({ key: `h${i}`, sobject: 'Lead' as const, id, fields: { MQL__c: true, MQL_Score__c: 70 + i } })),
    );
    expect(scope.isDone()).toBe(true);
    expect(sent?.allOrNone).toBe(false);
    expect(sent?.records[0]).toEqual({ attributes: { type: 'Lead' }, Id: ids[0], MQL__c: true, MQL_Score__c: 70 });
    expect(results).toEqual([
      { key: 'h0', ok: true, id: ids[0] },
      { key: 'h1', ok: false, retryable: false, code: 'STRING_TOO_LONG', message: 'MQL Reasons: data value too large: [value hidden] (max length=255) (fields: MQL_Reasons__c)' },
      { key: 'h2', ok: false, retryable: false, code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: 'MQL Tier: bad value for restricted picklist field: D (fields: MQL_Tier__c)' },
      { key: 'h3', ok: false, retryable: false, code: 'DUPLICATES_DETECTED', message: 'Use one of these records?' },
      { key: 'h4', ok: false, retryable: false, code: 'CANNOT_UPDATE_CONVERTED_LEAD', message: 'cannot reference converted lead' },
      { key: 'h5', ok: false, retryable: false, code: 'ENTITY_IS_DELETED', message: 'entity is deleted' },
      { key: 'h6', ok: true, id: ids[6] },
    ]);
  });

  it('resends only the records that hit UNABLE_TO_LOCK_ROW, and reports a record still locked as retryable', async () => {
    const bodies: Body[] = [];
    const lock = (id: string) => refused('UNABLE_TO_LOCK_ROW', `unable to obtain exclusive access to this record or 1 records: ${id}`, [], id);
    const scope = expectLimits(nock(INSTANCE))
      .patch(`${V}/composite/sobjects`, (b: Body) => bodies.push(b) > 0)
      .reply(200, [saved(ids[0] as string), lock(ids[1] as string), saved(ids[2] as string), lock(ids[3] as string)], JSON_HEADERS)
      .patch(`${V}/composite/sobjects`, (b: Body) => bodies.push(b) > 0)
      .reply(200, [saved(ids[1] as string), lock(ids[3] as string)], JSON_HEADERS)
      .patch(`${V}/composite/sobjects`, (b: Body) => bodies.push(b) > 0)
      .reply(200, [lock(ids[3] as string)], JSON_HEADERS);
    const sf = connector(redis, config(), { lockAttempts: 3 });
    const results = await sf.updateRecords(ids.slice(0, 4).map((id, i) => ({ key: `h${i}`, sobject: 'Lead' as const, id, fields: { MQL_Score__c: i } })));
    expect(scope.isDone()).toBe(true);
    expect(bodies.map((b) => b.records.map((r) => r.Id))).toEqual([ids.slice(0, 4), [ids[1], ids[3]], [ids[3]]]);
    expect(results.map((r) => (r.ok ? 'ok' : `${r.code}:${r.retryable}`))).toEqual(['ok', 'ok', 'ok', 'UNABLE_TO_LOCK_ROW:true']);
  });

  it('sends 450 records as 200 + 200 + 50', async () => {
    const sizes: number[] = [];
    const scope = expectLimits(nock(INSTANCE))
      .patch(`${V}/composite/sobjects`)
      .times(3)
      .reply(200, (_uri, body) => {
        const records = (body as Body).records;
        sizes.push(records.length);
        return records.map((r) => saved(String(r.Id)));
      }, JSON_HEADERS);
    const sf = connector(redis, config());
    const results = await sf.updateRecords(Array.from({ length: 450 }, (_, i) => ({ key: String(i), sobject: 'Lead' as const, id: `00Q5g0000${String(i).padStart(6, '0')}AAA`, fields: { MQL__c: true } })));
    expect(scope.isDone()).toBe(true);
    expect(sizes).toEqual([200, 200, 50]);
    expect(results.every((r) => r.ok)).toBe(true);
  });

  it('groups records by type in each call (Salesforce allows at most 10 type changes), results still in input order', async () => {
    let types: string[] = [];
    const scope = expectLimits(nock(INSTANCE))
      .patch(`${V}/composite/sobjects`)
      .reply(200, (_uri, body) => {
        const records = (body as Body).records;
        types = records.map((r) => (r.attributes as { type: string }).type);
        return records.map((r) => saved(String(r.Id)));
      }, JSON_HEADERS);
    const sf = connector(redis, config());
    const updates = Array.from({ length: 30 }, (_, i) => ({ key: String(i), sobject: i % 2 === 0 ? ('Lead' as const) : ('Contact' as const), id: `${i % 2 === 0 ? '00Q' : '003'}5g0000${String(i).padStart(6, '0')}AAA`, fields: { MQL__c: true } }));
    const results = await sf.updateRecords(updates);
    expect(scope.isDone()).toBe(true);
    expect(types).toEqual([...Array<string>(15).fill('Contact'), ...Array<string>(15).fill('Lead')]);
    expect(results.map((r) => r.ok && r.id)).toEqual(updates.map((u) => u.id));
  });

  it('a request-level refusal (unknown field) is every record\'s permanent outcome; 5xx is retried then thrown', async () => {
    const scope = expectLimits(nock(INSTANCE))
      .patch(`${V}/composite/sobjects`)
      .reply(400, apiError('INVALID_FIELD', "No such column 'MQL_Tier_c' on sobject of type Lead"), JSON_HEADERS);
    const sf = connector(redis, config(), { requestAttempts: 2 });
    const results = await sf.updateRecords([{ key: 'a', sobject: 'Lead', id: ids[0] as string, fields: { MQL_Tier_c: 'A' } }, { key: 'b', sobject: 'Lead', id: ids[1] as string, fields: { MQL_Tier_c: 'B' } }]);
    expect(scope.isDone()).toBe(true);
    expect(results).toEqual([
      { key: 'a', ok: false, retryable: false, code: 'INVALID_FIELD', message: "Salesforce INVALID_FIELD: No such column 'MQL_Tier_c' on sobject of type Lead" },
      { key: 'b', ok: false, retryable: false, code: 'INVALID_FIELD', message: "Salesforce INVALID_FIELD: No such column 'MQL_Tier_c' on sobject of type Lead" },
    ]);

    nock(INSTANCE).patch(`${V}/composite/sobjects`).twice().reply(503, apiError('SERVER_UNAVAILABLE', 'Server temporarily unavailable, please try again later.'), JSON_HEADERS);
    const error = await rejection(sf.updateRecords([{ key: 'a', sobject: 'Lead', id: ids[0] as string, fields: { MQL__c: true } }]));
    expect(error).toBeInstanceOf(RetryableError);
    expect(error.message).toBe('Salesforce answered 503 SERVER_UNAVAILABLE');
  });
});

describe('createLeads', () => {
  it('puts the HubSpot id in the external-id field; DUPLICATE_VALUE on it is the existing Lead, other refusals stay failures', async () => {
    let sent: Body | undefined;
    const scope = expectLimits(nock(INSTANCE))
      .post(`${V}/composite/sobjects`, (b: Body) => {
        sent = b;
        return true;
      })
      .reply(
        200,
        [
          saved('00Q5g00000New1AAA'),
          refused('DUPLICATE_VALUE', 'duplicate value found: HubSpot_Contact_Id__c duplicates value on record with id: 00Q5g00000Old1AAA', []),
          refused('REQUIRED_FIELD_MISSING', 'Required fields are missing: [Company]', ['Company']),
          refused('DUPLICATES_DETECTED', 'Use one of these records?', []),
        ],
        JSON_HEADERS,
      );
    const sf = connector(redis, config());
    const results = await sf.createLeads([
      { key: '601', fields: { LastName: 'Ng', Company: 'Helix', Status: 'Open - Not Contacted' } },
      { key: '602', fields: { LastName: 'Okafor', Company: 'Helix', Status: 'Open - Not Contacted' } },
      { key: '603', fields: { LastName: 'Berg', Status: 'Open - Not Contacted' } },
      { key: '604', fields: { LastName: 'Duval', Company: 'Helix', Status: 'Open - Not Contacted' } },
    ]);
    expect(scope.isDone()).toBe(true);
    expect(sent?.records[0]).toEqual({ attributes: { type: 'Lead' }, LastName: 'Ng', Company: 'Helix', Status: 'Open - Not Contacted', HubSpot_Contact_Id__c: '601' });
    expect(results).toEqual([
      { key: '601', ok: true, id: '00Q5g00000New1AAA', created: true },
      { key: '602', ok: true, id: '00Q5g00000Old1AAA', created: false },
      { key: '603', ok: false, retryable: false, code: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Company] (fields: Company)' },
      { key: '604', ok: false, retryable: false, code: 'DUPLICATES_DETECTED', message: 'Use one of these records?' },
    ]);
  });
});
