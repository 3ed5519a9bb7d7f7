/** Follow-up tasks with nock: the existing-key query, creation of the rest, a retried batch, a race. */
import nock from 'nock';
import { baseConfig, connector, redisFixture, type RedisFixture } from './helpers';
import { expectLimits, INSTANCE, JSON_HEADERS, queryPage, refused, saved, soqlOf, V, useNock } from './fixtures';

let redis: RedisFixture;
useNock();
beforeEach(() => {
  redis = redisFixture();
});
afterEach(async () => {
  await redis.close();
});
const config = () => baseConfig({ SALESFORCE_INSTANCE_URL: INSTANCE, SALESFORCE_ACCESS_TOKEN: '00Dxx!token' });
const task = (n: number) => ({
  key: `lsync:70${n}:1762076400000`,
  fields: { WhoId: `00Q5g00000Who${n}AAA`, OwnerId: '0055g00000Own1AAA', Subject: 'MQL follow-up (tier A): demo request', ActivityDate: '2026-11-03', Priority: 'High' },
});
type Body = { records: Array<Record<string, unknown>> };

describe('ensureTasks', () => {
  it('creates missing tasks once; the retried batch finds them all and creates nothing', async () => {
    const created: Body[] = [];
    const first = expectLimits(nock(INSTANCE))
      .get(`${V}/queryAll`)
      .query(true)
      .reply(200, queryPage('Task', []), JSON_HEADERS)
      .post(`${V}/composite/sobjects`, (b: Body) => created.push(b) > 0)
      .reply(200, [saved('00T5g00000Tsk1AAA'), refused('UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record or 1 records: 00Q5g00000Who2AAA', []), saved('00T5g00000Tsk3AAA')], JSON_HEADERS)
      .post(`${V}/composite/sobjects`, (b: Body) => created.push(b) > 0)
      .reply(200, [saved('00T5g00000Tsk2AAA')], JSON_HEADERS);
    const sf = connector(redis, config());
    const results = await sf.ensureTasks([task(1), task(2), task(3)]);
    expect(first.isDone()).toBe(true);
    expect(results).toEqual([
      { key: task(1).key, ok: true, id: '00T5g00000Tsk1AAA', created: true },
      { key: task(2).key, ok: true, id: '00T5g00000Tsk2AAA', created: true },
      { key: task(3).key, ok: true, id: '00T5g00000Tsk3AAA', created: true },
    ]);
    expect(created[0]?.records[0]).toEqual({ attributes: { type: 'Task' }, ...task(1).fields, Lifecycle_Sync_Key__c: task(1).key });
    expect(created[1]?.records.map((r) => r.Lifecycle_Sync_Key__c)).toEqual([task(2).key]);

    // The job is retried: every key exists (one task since edited by sales). No POST may happen.
    let soql = '';
    const retry = nock(INSTANCE)
      .get(`${V}/queryAll`)
      .query(true)
      .reply(200, (uri) => {
        soql = soqlOf(uri);
        return queryPage('Task', [1, 2, 3].map((n) => ({ Id: `00T5g00000Tsk${n}AAA`, Lifecycle_Sync_Key__c: task(n).key })));
      }, JSON_HEADERS);
    const again = await sf.ensureTasks([task(1), task(2), task(3)]);
    expect(retry.isDone()).toBe(true);
    expect(soql).toBe(`SELECT Id, Lifecycle_Sync_Key__c FROM Task WHERE Lifecycle_Sync_Key__c IN ('${task(1).key}','${task(2).key}','${task(3).key}')`);
    expect(again.map((r) => r.ok && [r.id, r.created])).toEqual([
      ['00T5g00000Tsk1AAA', false],
      ['00T5g00000Tsk2AAA', false],
      ['00T5g00000Tsk3AAA', false],
    ]);
  });

  it('a DUPLICATE_VALUE on the key (another worker won the race) is success with created: false', async () => {
    expectLimits(nock(INSTANCE))
      .get(`${V}/queryAll`)
      .query(true)
      .reply(200, queryPage('Task', []), JSON_HEADERS)
      .post(`${V}/composite/sobjects`)
      .reply(
        200,
        [
          refused('DUPLICATE_VALUE', 'duplicate value found: Lifecycle_Sync_Key__c duplicates value on record with id: 00T5g00000Oth1AAA', ['Lifecycle_Sync_Key__c']),
          refused('FIELD_INTEGRITY_EXCEPTION', 'Assigned To ID: id value of incorrect type: 00G5g000001AbCdEAK', ['OwnerId']),
        ],
        JSON_HEADERS,
      );
    const sf = connector(redis, config());
    const results = await sf.ensureTasks([task(1), task(2)]);
    expect(results).toEqual([
      { key: task(1).key, ok: true, id: '00T5g00000Oth1AAA', created: false },
      { key: task(2).key, ok: false, retryable: false, code: 'FIELD_INTEGRITY_EXCEPTION', message: 'Assigned To ID: id value of incorrect type: 00G5g000001AbCdEAK (fields: OwnerId)' },
    ]);
  });
});
