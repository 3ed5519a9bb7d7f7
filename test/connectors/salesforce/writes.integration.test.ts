/** Updates, Lead creation and follow-up tasks through jsforce against the simulator. */
import express from 'express';
import type { SeedSalesforceRecord } from '../../../sandbox/dataset/types';
import { to18 } from '../../../sandbox/salesforce';
import { baseConfig, connector, redisFixture, type RedisFixture } from './helpers';
import { simCalls, startSimulator, type RunningSimulator } from './sim';

const leadId = (n: number): string => to18(`00Q7z${String(n).padStart(10, '0')}`);
const SEED: SeedSalesforceRecord[] = Array.from({ length: 30 }, (_, i) => ({
  sobject: 'Lead' as const,
  id: leadId(i),
  fields: { LastName: `Lead ${i}`, Company: 'Helix Bio', Email: `lead${i}@helix.example`, HubSpot_Contact_Id__c: String(2000 + i) },
}));
const TASK_OWNER = to18('0058a0000000002');

let sim: RunningSimulator;
let redis: RedisFixture;
beforeEach(async () => {
  sim = await startSimulator({ seedRecords: SEED });
  redis = redisFixture();
});
afterEach(async () => {
  await sim.close();
  await redis.close();
});
const config = () => baseConfig({ SALESFORCE_INSTANCE_URL: sim.url, SALESFORCE_ACCESS_TOKEN: 'sim-token' });

describe('updateRecords', () => {
  it('writes only the given fields and reports each record, failures never failing neighbours', async () => {
    sim.control.convertLead(leadId(3));
    sim.control.deleteRecord(leadId(4));
    const sf = connector(redis, config());
    const results = await sf.updateRecords([
      { key: 'ok', sobject: 'Lead', id: leadId(1), fields: { MQL__c: true, MQL_Score__c: 72.5, MQL_Tier__c: 'B', MQL_Date__c: '2026-11-02T09:00:00.000Z' } },
      { key: 'long', sobject: 'Lead', id: leadId(2), fields: { MQL_Definition_Version__c: 'v'.repeat(41) } },
      { key: 'converted', sobject: 'Lead', id: leadId(3), fields: { MQL__c: true } },
      { key: 'deleted', sobject: 'Lead', id: leadId(4), fields: { MQL__c: true } },
      { key: 'picklist', sobject: 'Lead', id: leadId(5), fields: { MQL_Tier__c: 'D' } },
      { key: 'ok2', sobject: 'Lead', id: leadId(6), fields: { MQL_Service_Line__c: 'cdmo_services' } },
    ]);
    expect(results.map((r) => [r.key, r.ok, r.ok ? r.id : r.code, r.ok || r.retryable])).toEqual([
      ['ok', true, leadId(1), true],
      ['long', false, 'STRING_TOO_LONG', false],
      ['converted', false, 'CANNOT_UPDATE_CONVERTED_LEAD', false],
      ['deleted', false, 'ENTITY_IS_DELETED', false],
      ['picklist', false, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', false],
      ['ok2', true, leadId(6), true],
    ]);
    const long = results[1];
    expect(long?.ok === false && long.message).toBe('MQL Definition Version: data value too large: [value hidden] (max length=40) (fields: MQL_Definition_Version__c)');
    expect(results[4]?.ok === false && results[4].message).toContain('(fields: MQL_Tier__c)');
    const stored = sim.control.record(leadId(1));
    expect(stored).toMatchObject({ MQL__c: true, MQL_Score__c: 72.5, MQL_Tier__c: 'B', Status: 'Open - Not Contacted', Email: 'lead1@helix.example' });
    expect(sim.control.record(leadId(6))?.MQL_Service_Line__c).toBe('cdmo_services');
    expect(simCalls(sim)['PATCH /composite/sobjects']).toBe(1);
  });

  it('sends more than 200 records in collections of 200', async () => {
    const sf = connector(redis, config());
    const updates = Array.from({ length: 30 }, (_, i) => ({ key: String(i), sobject: 'Lead' as const, id: leadId(i), fields: { MQL_Score__c: i } }));
    const many = [...updates, ...updates, ...updates, ...updates, ...updates, ...updates, ...updates, ...updates];
    const results = await sf.updateRecords(many);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results).toHaveLength(240);
    expect(simCalls(sim)['PATCH /composite/sobjects']).toBe(2);
  });

  it('retries only the records that hit UNABLE_TO_LOCK_ROW until they go through', async () => {
    await sim.close();
    const sent: number[] = [];
    sim = await startSimulator({ seedRecords: SEED }, (inner) => {
      const outer = express();
      outer.use(express.json({ limit: '20mb' }), (req, _res, next) => {
        if (req.method === 'PATCH' && req.path.endsWith('/composite/sobjects')) sent.push((req.body as { records: unknown[] }).records.length);
        next();
      }, inner);
      return outer;
    });
    sim.control.faults.update({ seed: 11, lockRowRate: 0.3 });
    const sf = connector(redis, config(), { lockAttempts: 10 });
    const results = await sf.updateRecords(SEED.map((s, i) => ({ key: String(i), sobject: 'Lead' as const, id: s.id, fields: { MQL_Score__c: 50 + i } })));
    expect(results.every((r) => r.ok)).toBe(true);
    const injected = sim.control.stats().faults.injected.lock_row;
    expect(injected).toBeGreaterThan(0);
    // Every retry round resends only the records locked in the round before.
    expect(sent.length).toBeGreaterThan(1);
    expect(sent[0]).toBe(30);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(30 + injected);
    for (const [i, s] of SEED.entries()) expect(sim.control.record(s.id)?.MQL_Score__c).toBe(50 + i);
  });
});

describe('createLeads', () => {
  const newLead = (key: string, extra: Record<string, unknown> = {}) => ({
    key,
    fields: { LastName: `New ${key}`, Company: 'Northbridge Therapeutics', Email: `${key}@northbridge.example`, Status: 'Open - Not Contacted', MQL__c: true, ...extra },
  });

  it('creates Leads carrying the HubSpot id; a retried create reports the existing Lead, never a second one', async () => {
    const sf = connector(redis, config());
    const first = await sf.createLeads([newLead('3001'), newLead('3002', { LastName: null }), newLead('3003')]);
    expect(first.map((r) => [r.key, r.ok, r.ok ? r.created : r.code])).toEqual([
      ['3001', true, true],
      ['3002', false, 'REQUIRED_FIELD_MISSING'],
      ['3003', true, true],
    ]);
    const again = await sf.createLeads([newLead('3001'), newLead('3003')]);
    expect(again).toEqual([
      { key: '3001', ok: true, id: first[0]?.ok ? first[0].id : 'x', created: false },
      { key: '3003', ok: true, id: first[2]?.ok ? first[2].id : 'x', created: false },
    ]);
    const created = first[0]?.ok ? first[0].id : '';
    expect(sim.control.record(created ?? '')).toMatchObject({ HubSpot_Contact_Id__c: '3001', LastName: 'New 3001', MQL__c: true });
    const matched = await sf.match([{ hubspotId: '3001', email: null }]);
    expect(matched.get('3001')?.record?.id).toBe(created);
  });
});

describe('ensureTasks', () => {
  const task = (n: number) => ({
    key: `lsync:${2000 + n}:1767225600000`,
    fields: { WhoId: leadId(n), OwnerId: TASK_OWNER, Subject: 'Follow up MQL (tier A)', ActivityDate: '2026-11-03', Priority: 'High', Description: 'Reasons...' },
  });

  it('creates one task per key across a retried batch, and never touches a task sales edited', async () => {
    const sf = connector(redis, config());
    const first = await sf.ensureTasks([task(1), task(2)]);
    expect(first.map((r) => r.ok && r.created)).toEqual([true, true]);
    const taskId = first[0]?.ok ? (first[0].id as string) : '';

    // A salesperson edits the first task; then the batch is retried with one more task.
    await fetch(`${sim.url}/services/data/v60.0/sobjects/Task/${taskId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${sim.control.issueToken(sim.control.salesUserId)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ Subject: 'Called, left voicemail', Status: 'In Progress' }),
    });
    sim.control.resetStats();
    const retried = await sf.ensureTasks([task(1), task(2), task(3), task(3)]);
    expect(retried.map((r) => [r.ok, r.ok && r.created])).toEqual([
      [true, false],
      [true, false],
      [true, true],
      [true, false],
    ]);
    expect(retried[0]?.ok && retried[0].id).toBe(taskId);
    expect(sim.control.record(taskId)).toMatchObject({ Subject: 'Called, left voicemail', Status: 'In Progress' });
    const tasks = [...sim.store.table('Task').values()];
    expect(tasks).toHaveLength(3);
    expect(simCalls(sim)).toEqual({ 'GET /queryAll': 1, 'POST /composite/sobjects': 1 });
  });

  it('does not recreate a task sales deleted', async () => {
    const sf = connector(redis, config());
    const [created] = await sf.ensureTasks([task(7)]);
    sim.control.deleteRecord(created?.ok ? (created.id as string) : '');
    const [again] = await sf.ensureTasks([task(7)]);
    expect(again).toMatchObject({ ok: true, created: false });
    expect(sim.store.table('Task').size).toBe(1);
  });

  it('retries a task whose parent row is locked', async () => {
    sim.control.faults.update({ seed: 5, lockRowRate: 0.5 });
    const sf = connector(redis, config(), { lockAttempts: 12 });
    const results = await sf.ensureTasks([1, 2, 3, 4, 5, 6].map(task));
    expect(results.every((r) => r.ok && r.created)).toBe(true);
    expect(sim.control.stats().faults.injected.lock_row).toBeGreaterThan(0);
    expect(sim.store.table('Task').size).toBe(6);
  });
});
