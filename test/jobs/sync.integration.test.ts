import { pollOutcomes, reevaluateMqls } from '../../jobs/poll';
import { syncContacts } from '../../jobs/sync-contacts';
import { writeOutcomes } from '../../jobs/write-outcomes';
import { examples, NOW } from '../fixtures/worked-examples';
import { contactProperties, testRuntime, type TestRuntime } from '../fixtures/runtime';

describe('the sync unit of work (in-memory systems, real Redis)', () => {
  let t: TestRuntime;
  beforeEach(() => {
    t = testRuntime(NOW);
    for (const n of [1, 2, 3, 4, 5] as const) t.hubspot.put(examples[n].contact.id, contactProperties(examples[n].contact), examples[n].activities);
  });
  afterEach(() => t.close());

  const ids = ['101', '102', '103', '104', '105'];
  const writeCalls = () => ['updateContacts', 'updateRecords', 'createLeads', 'ensureTasks'].map((k) => (t.hubspot.calls[k] ?? 0) + (t.salesforce.calls[k] ?? 0)).reduce((a, b) => a + b);

  test('the worked examples flow to both systems; one task per MQL; a second run writes nothing', async () => {
    const first = await syncContacts(t.rt, { ids, trigger: 'manual' }, 'w1');
    expect(first).toMatchObject({ synced: 5, mqlsCreated: 4, failures: 0, writes: { leadsCreated: 4, tasksCreated: 4, hubspotUpdates: 5 } });
    expect(t.salesforce.tasks.size).toBe(4);
    expect(t.hubspot.contacts.get('104')!.properties.lsync_stage).toBe('lead');
    expect(t.hubspot.contacts.get('102')!.properties).toMatchObject({ lsync_stage: 'mql', lsync_tier: 'A', lsync_service_line: 'cdmo_services' });
    const lead = [...t.salesforce.records.values()].find((r) => r.fields.HubSpot_Contact_Id__c === '102')!;
    expect(t.hubspot.contacts.get('102')!.properties.lsync_salesforce_id).toBe(lead.id);
    expect([...t.salesforce.tasks.values()].every((task) => typeof task.WhoId === 'string')).toBe(true);

    const before = writeCalls();
    const second = await syncContacts(t.rt, { ids, trigger: 'manual' }, 'w1');
    expect(second.writes).toEqual({ hubspotUpdates: 0, salesforceUpdates: 0, leadsCreated: 0, tasksCreated: 0 });
    expect(writeCalls()).toBe(before);
  });

  test('a disqualification with reason in Salesforce reaches HubSpot in one write-back cycle', async () => {
    await syncContacts(t.rt, { ids, trigger: 'manual' }, 'w1');
    await pollOutcomes(t.rt, t.queues, 100); // first poll: everything is new
    await t.queues.outcomes.obliterate({ force: true });
    const lead = [...t.salesforce.records.values()].find((r) => r.fields.HubSpot_Contact_Id__c === '101')!;
    t.salesforce.salesUpdate(lead.id, { Status: 'Disqualified', Disqualification_Reason__c: 'No active project' });
    const report = await pollOutcomes(t.rt, t.queues, 100);
    expect(report.enqueued).toBe(1);
    const [job] = await t.queues.outcomes.getJobs(['prioritized', 'waiting']);
    const result = await writeOutcomes(t.rt, job!.data.items, 'outcomes');
    expect(result).toMatchObject({ written: 1, outcomes: { disqualified: 1 } });
    expect(t.hubspot.contacts.get('101')!.properties).toMatchObject({ lsync_stage: 'disqualified', lsync_sales_outcome: 'disqualified', lsync_outcome_reason: 'No active project' });
    // the next poll sees nothing new (our own write-back is not a sales change)
    expect((await pollOutcomes(t.rt, t.queues, 100)).enqueued).toBe(0);
  });

  test('a record refused by HubSpot is kept as a failure, the rest of the batch goes on, and a fix clears it', async () => {
    t.hubspot.reject.set('103', { code: 'INVALID_OPTION', retryable: false });
    const report = await syncContacts(t.rt, { ids, trigger: 'manual' }, 'w1');
    expect(report.failures).toBe(1);
    expect(report.writes.hubspotUpdates).toBe(4);
    const [failure] = await t.rt.store.failures();
    expect(failure).toMatchObject({ id: 'hubspot:103', code: 'INVALID_OPTION', retryable: false, attempts: 1 });
    t.hubspot.reject.clear();
    await syncContacts(t.rt, { ids: ['103'], trigger: 'retry' }, 'w1');
    expect(await t.rt.store.failures()).toEqual([]);
  });

  test('a dry run plans every write and writes nothing', async () => {
    const report = await syncContacts(t.rt, { ids, trigger: 'backfill', dryRun: true }, 'w1');
    expect(report.planned!.length).toBe(5);
    expect(report.planned!.find((p) => p.hubspotId === '102')).toMatchObject({ stage: { from: 'lead', to: 'mql' }, salesforce: { createLead: true } });
    expect(writeCalls()).toBe(0);
  });

  test('two workers never sync the same contact at once', async () => {
    const [a, b] = await Promise.all([syncContacts(t.rt, { ids, trigger: 'manual' }, 'w1'), syncContacts(t.rt, { ids, trigger: 'manual' }, 'w2')]);
    expect(a.busy.length + b.busy.length).toBe(5);
    expect(t.salesforce.tasks.size).toBe(4);
    expect([...t.salesforce.records.values()].length).toBe(4);
  });
});

describe('history', () => {
  let t: TestRuntime;
  beforeEach(() => {
    t = testRuntime(NOW);
    t.hubspot.put('102', contactProperties(examples[2].contact), examples[2].activities);
  });
  afterEach(() => t.close());

  test('evaluations, decisions and tasks are recorded once each, with the inputs for replay', async () => {
    await syncContacts(t.rt, { ids: ['102'], trigger: 'manual' }, 'w');
    await syncContacts(t.rt, { ids: ['102'], trigger: 'manual' }, 'w');
    const lead = [...t.salesforce.records.values()][0]!;
    t.salesforce.salesUpdate(lead.id, { Status: 'Sales Qualified', SQL_Date__c: '2026-11-21' });
    await syncContacts(t.rt, { ids: ['102'], trigger: 'manual' }, 'w');
    const entries = await t.rt.history.entries('102');
    expect(entries.map((e) => e.kind)).toEqual(['evaluation', 'task', 'evaluation', 'outcome']);
    expect(entries[0]).toMatchObject({ version: 'ls-default-2026.11', status: 'mql', stage: 'mql', tier: 'A' });
    expect(entries[3]).toMatchObject({ outcome: 'sql', at: '2026-11-21T00:00:00.000Z' });
    const inputs = await t.rt.history.inputs('102');
    expect(inputs!.activities).toHaveLength(3);
    const pages = [];
    for await (const page of t.rt.history.scan()) pages.push(...page);
    expect(pages.map((p) => p.id)).toEqual(['102']);
  });
});

describe('daily re-evaluation', () => {
  let t: TestRuntime;
  beforeEach(() => {
    t = testRuntime(NOW);
    for (const n of [1, 2, 4] as const) t.hubspot.put(examples[n].contact.id, contactProperties(examples[n].contact), examples[n].activities);
  });
  afterEach(() => t.close());

  test('MQLs are re-evaluated without new activity, and recycled once engagement has decayed', async () => {
    await syncContacts(t.rt, { ids: ['101', '102', '104'], trigger: 'manual' }, 'w');
    expect((await reevaluateMqls(t.rt, t.queues, 100)).enqueued).toBe(2);
    const [job] = await t.queues.sync.getJobs(['prioritized', 'waiting']);
    expect(job!.data).toMatchObject({ trigger: 'reevaluate' });
    expect([...job!.data.ids].sort()).toEqual(['101', '102']);
    t.setNow(new Date(Date.parse(NOW) + 200 * 86_400_000).toISOString());
    await syncContacts(t.rt, job!.data, 'w');
    expect(t.hubspot.contacts.get('101')!.properties).toMatchObject({ lsync_stage: 'recycled', lsync_outcome_reason: expect.stringMatching(/Engagement decayed/) });
    await t.queues.sync.obliterate({ force: true });
    expect((await reevaluateMqls(t.rt, t.queues, 100)).enqueued).toBe(0);
  });
});
