import { plan, planOutcome, type MatchedRecord, type PlanContext } from '../../src/domain/plan';
import { loadMappings } from '../../src/mappings/load';
import { daysAgo, examples, NOW } from '../fixtures/worked-examples';

const m = loadMappings();
const ctx: PlanContext = { definition: m.definition, fields: m.fields, reasons: m.reasons, routing: m.routing };
const hs = m.fields.hubspot.lifecycle.properties;

/** What the two systems hold after a plan's writes are applied. */
function applied(props: Record<string, string | null>, record: MatchedRecord | null, p: ReturnType<typeof plan>) {
  const nextProps = { ...props, ...p.hubspot };
  let nextRecord = record;
  if (record && p.salesforce.update) nextRecord = { ...record, fields: { ...record.fields, ...p.salesforce.update.fields } };
  if (!record && p.salesforce.create) nextRecord = { sobject: 'Lead', id: '00Q000000000001AAA', fields: p.salesforce.create.fields };
  return { props: nextProps, record: nextRecord };
}

describe('plan()', () => {
  const ex2 = examples[2];

  test('a new MQL with no Salesforce record: Lead created, one task, lifecycle written to HubSpot', () => {
    const p = plan(ctx, {}, { contact: ex2.contact, activities: ex2.activities, record: null, now: NOW });
    expect(p.transitions).toEqual([{ actor: 'service', to: 'mql', at: NOW }]);
    expect(p.hubspot).toMatchObject({ [hs.stage]: 'mql', [hs.tier]: 'A', [hs.mqlDate]: NOW, [hs.definitionVersion]: 'ls-default-2026.11', [hs.serviceLine]: 'cdmo_services' });
    expect(p.salesforce.create!.fields).toMatchObject({
      LastName: 'Okafor', Company: 'Helixpoint Therapeutics', Status: 'Open - Not Contacted', HubSpot_Contact_Id__c: '102',
      MQL__c: true, MQL_Tier__c: 'A', OwnerId: '00G8a0000000001EAA',
    });
    const task = p.salesforce.task!;
    expect(task.key).toBe(`lsync:102:${Date.parse(NOW)}`);
    expect(task.fields).toMatchObject({ Priority: 'High', Status: 'Not Started', OwnerId: '0058a0000000003AAA', Lifecycle_Sync_Key__c: task.key });
    expect(task.fields.Subject).toBe('MQL follow-up (Tier A, CDMO services): David Okafor, Helixpoint Therapeutics');
    expect(task.fields.Description).toMatch(/Tech-transfer \/ method-validation inquiry/);
    expect(task.fields.Description).toMatch(/Requested pricing \/ quote: Analytical method validation timelines/);
    expect(task.fields.Description).toMatch(/Respond by 2026-11-20 \(4 h SLA for tier A/);
    expect(task.fields.WhoId).toBeUndefined();
  });

  test('re-planning over what was written plans nothing (zero writes)', () => {
    const first = plan(ctx, {}, { contact: ex2.contact, activities: ex2.activities, record: null, now: NOW });
    const state = applied({}, null, first);
    const again = plan(ctx, state.props, { contact: ex2.contact, activities: ex2.activities, record: state.record, now: NOW });
    expect(again.hubspot).toEqual({ [hs.salesforceId]: '00Q000000000001AAA' });
    expect(again.salesforce.update).toBeUndefined();
    const settled = applied(state.props, state.record, again);
    const third = plan(ctx, settled.props, { contact: ex2.contact, activities: ex2.activities, record: settled.record, now: NOW });
    expect(third.hubspot).toEqual({});
    expect(third.salesforce.update).toBeUndefined();
    expect(third.salesforce.task!.key).toBe(first.salesforce.task!.key); // the same episode, the same task key
    expect(third.transitions).toEqual([]);
  });

  test('an existing record gets only the changed fields and the task points at it', () => {
    const record: MatchedRecord = { sobject: 'Lead', id: '00Q8a0000000042AAA', fields: { Status: 'Open - Not Contacted', MQL_Definition_Version__c: 'ls-default-2026.11' } };
    const p = plan(ctx, {}, { contact: ex2.contact, activities: ex2.activities, record, now: NOW });
    expect(p.salesforce.create).toBeUndefined();
    expect(p.salesforce.update!.fields).not.toHaveProperty('MQL_Definition_Version__c');
    expect(p.salesforce.update!.fields).toMatchObject({ MQL__c: true, MQL_Tier__c: 'A' });
    expect(p.salesforce.task!.fields.WhoId).toBe(record.id);
    expect(p.hubspot[hs.salesforceId]).toBe(record.id);
  });

  test('sales disqualified the MQL: HubSpot gets status, reason and date; no task; never re-qualified by engagement', () => {
    const props = { [hs.stage]: 'mql', [hs.stageDate]: daysAgo(10), [hs.mqlDate]: daysAgo(10), [hs.tier]: 'A' };
    const record: MatchedRecord = { sobject: 'Lead', id: '00Q1', fields: { Status: 'Disqualified', Disqualification_Reason__c: 'No active project', MQL__c: true } };
    const p = plan(ctx, props, { contact: ex2.contact, activities: ex2.activities, record, now: NOW });
    expect(p.after).toMatchObject({ stage: 'disqualified', reason: 'No active project', mqlDate: daysAgo(10) });
    expect(p.hubspot).toMatchObject({ [hs.stage]: 'disqualified', [hs.salesOutcome]: 'disqualified', [hs.outcomeReason]: 'No active project', [hs.salesOutcomeDate]: NOW });
    expect(p.salesforce.task).toBeUndefined();
    expect(p.salesforce.update!.fields.MQL__c).toBe(false);
  });

  test('a decision left over from an earlier episode does not undo a re-qualification', () => {
    const props = { [hs.stage]: 'mql', [hs.mqlDate]: daysAgo(2), [hs.stageDate]: daysAgo(2), [hs.salesOutcome]: 'recycled', [hs.salesOutcomeDate]: daysAgo(30) };
    const record: MatchedRecord = { sobject: 'Lead', id: '00Q1', fields: { Status: 'Recycled', Recycle_Reason__c: "Early research - nurture" } };
    const p = plan(ctx, props, { contact: ex2.contact, activities: ex2.activities, record, now: NOW });
    expect(p.after.stage).toBe('mql');
    expect(p.transitions).toEqual([]);
    // ...but a new decision in the new episode is applied
    const accepted = plan(ctx, props, { contact: ex2.contact, activities: ex2.activities, record: { ...record, fields: { Status: 'Sales Accepted' } }, now: NOW });
    expect(accepted.after.stage).toBe('sales_accepted');
  });

  test('a sync that stopped after Salesforce and before HubSpot is resumed with the same episode and task key', () => {
    const first = plan(ctx, {}, { contact: ex2.contact, activities: ex2.activities, record: null, now: NOW });
    const lead: MatchedRecord = { sobject: 'Lead', id: '00Q9', fields: first.salesforce.create!.fields };
    const retry = plan(ctx, {}, { contact: ex2.contact, activities: ex2.activities, record: lead, now: daysAgo(-1) });
    expect(retry.after.mqlDate).toBe(NOW);
    expect(retry.salesforce.task!.key).toBe(first.salesforce.task!.key);
    expect(retry.hubspot[hs.stage]).toBe('mql');
  });

  test('an unmapped reason is kept with a prefix rather than lost', () => {
    const record: MatchedRecord = { sobject: 'Lead', id: '00Q1', fields: { Status: 'Disqualified', Disqualification_Reason__c: 'Went with in-house team' } };
    const p = plan(ctx, { [hs.stage]: 'mql', [hs.mqlDate]: daysAgo(3) }, { contact: ex2.contact, activities: [], record, now: NOW });
    expect(p.hubspot[hs.outcomeReason]).toBe('Other: Went with in-house team');
  });

  test('a backwards move by sales is refused with a note, not applied', () => {
    const props = { [hs.stage]: 'sql', [hs.mqlDate]: daysAgo(20) };
    const record: MatchedRecord = { sobject: 'Lead', id: '00Q1', fields: { Status: 'Sales Accepted' } };
    const p = plan(ctx, props, { contact: ex2.contact, activities: ex2.activities, record, now: NOW });
    expect(p.after.stage).toBe('sql');
    expect(p.notes).toEqual(['refused: cannot move sql -> sales_accepted as sales: that change is not a step of the lifecycle']);
  });

  test('a converted lead followed to its Contact: SQL outcome flows back with its date', () => {
    const record: MatchedRecord = { sobject: 'Contact', id: '0031', fields: { Lifecycle_Status__c: 'Sales Qualified', SQL_Date__c: '2026-11-19' } };
    const p = plan(ctx, { [hs.stage]: 'sales_accepted', [hs.mqlDate]: daysAgo(9) }, { contact: ex2.contact, activities: ex2.activities, record, now: NOW });
    expect(p.hubspot).toMatchObject({ [hs.stage]: 'sql', [hs.sqlDate]: '2026-11-19T00:00:00.000Z', [hs.salesOutcome]: 'sql' });
  });

  test('not an MQL and no record: only scores are written, nothing in Salesforce', () => {
    const p = plan(ctx, {}, { contact: examples[4].contact, activities: examples[4].activities, record: null, now: NOW });
    expect(p.after.stage).toBe('lead');
    expect(p.salesforce).toEqual({});
    expect(p.hubspot[hs.stage]).toBe('lead');
  });

  test('values longer than the Lead fields are cut, and an e-mail that does not fit is left out', () => {
    const contact = { ...ex2.contact, company: 'C'.repeat(300), email: `${'x'.repeat(80)}@example.com` };
    const p = plan(ctx, {}, { contact, activities: ex2.activities, record: null, now: NOW });
    expect(String(p.salesforce.create!.fields.Company)).toHaveLength(255);
    expect(p.salesforce.create!.fields).not.toHaveProperty('Email');
  });

  test('leads without a name or company get the mapping defaults (required fields)', () => {
    const p = plan(ctx, {}, { contact: examples[3].contact, activities: examples[3].activities, record: null, now: NOW });
    expect(p.salesforce.create!.fields).toMatchObject({ LastName: 'Rivera', Company: '[not provided]', MQL_Tier__c: 'C' });
    expect(p.salesforce.task!.fields.Priority).toBe('Low');
  });
});

describe('planOutcome()', () => {
  test('a disqualification is written back with reason and date, and only once', () => {
    const props = { [hs.stage]: 'mql', [hs.stageDate]: daysAgo(5), [hs.mqlDate]: daysAgo(5) };
    const record: MatchedRecord = { sobject: 'Lead', id: '00Q7', fields: { Status: 'Disqualified', Disqualification_Reason__c: 'No budget' } };
    const first = planOutcome(ctx, props, record, NOW);
    expect(first.hubspot).toEqual({
      [hs.salesforceId]: '00Q7', [hs.stage]: 'disqualified', [hs.stageDate]: NOW, [hs.salesOutcome]: 'disqualified',
      [hs.salesOutcomeDate]: NOW, [hs.outcomeReason]: 'No budget or budget timing',
    });
    const again = planOutcome(ctx, { ...props, ...first.hubspot }, record, daysAgo(-1));
    expect(again.hubspot).toEqual({});
  });

  test('a status that carries no decision writes nothing but the link', () => {
    const record: MatchedRecord = { sobject: 'Lead', id: '00Q7', fields: { Status: 'Open - Not Contacted' } };
    expect(planOutcome(ctx, { [hs.salesforceId]: '00Q7' }, record, NOW).hubspot).toEqual({});
  });
});
