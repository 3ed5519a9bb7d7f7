/** checkFields with nock describe answers: picklist, length and the other violations, a missing object. */
import nock from 'nock';
import { baseConfig, connector, mappings, redisFixture, type RedisFixture } from './helpers';
import { apiError, describeField, expectLimits, INSTANCE, JSON_HEADERS, picklistValues, V, useNock } from './fixtures';

const TIERS = picklistValues('A', 'B', 'C');
const LINES = picklistValues('cdmo_services', 'genomics_platform', 'medical_devices', 'general');
const STATUSES = picklistValues('Open - Not Contacted', 'Working - Contacted', 'Sales Accepted', 'Sales Qualified', 'Disqualified', 'Recycled', 'Closed - Converted');

/** The fields of Lead or Contact an admin set up as docs/DATA-MODEL.md says. */
function personFields(object: 'Lead' | 'Contact') {
  return [
    describeField('Id', 'id', { createable: false, updateable: false }),
    describeField('Email', 'email', { length: 80 }),
    describeField('HubSpot_Contact_Id__c', 'string', { length: 32, externalId: true, unique: true }),
    describeField('MQL__c', 'boolean', { nillable: false }),
    describeField('MQL_Score__c', 'double', { precision: 6, scale: 1 }),
    describeField('MQL_Fit_Score__c', 'double', { precision: 6, scale: 1 }),
    describeField('MQL_Engagement_Score__c', 'double', { precision: 6, scale: 1 }),
    describeField('MQL_Tier__c', 'picklist', { restrictedPicklist: true, picklistValues: TIERS }),
    describeField('MQL_Reasons__c', 'textarea', { length: 4000 }),
    describeField('MQL_Definition_Version__c', 'string', { length: 40 }),
    describeField('MQL_Date__c', 'datetime'),
    describeField('MQL_Service_Line__c', 'picklist', { restrictedPicklist: true, picklistValues: LINES }),
    describeField('Disqualification_Reason__c', 'picklist', { picklistValues: picklistValues(...Object.keys(mappings.reasons.disqualificationReasons)) }),
    describeField('Recycle_Reason__c', 'picklist', { picklistValues: picklistValues(...Object.keys(mappings.reasons.recycleReasons)) }),
    describeField('SQL_Date__c', 'date'),
    ...(object === 'Lead'
      ? [
          describeField('Status', 'picklist', { restrictedPicklist: true, picklistValues: STATUSES, nillable: false }),
          describeField('FirstName', 'string', { length: 40 }),
          describeField('LastName', 'string', { length: 80, nillable: false }),
          describeField('Company', 'string', { length: 255, nillable: false }),
          describeField('Title', 'string', { length: 128 }),
          describeField('Country', 'string', { length: 80 }),
          describeField('LeadSource', 'picklist', { picklistValues: picklistValues('Web', 'Other') }),
        ]
      : [describeField('Lifecycle_Status__c', 'picklist', { picklistValues: STATUSES })]),
  ];
}
const taskFields = () => [
  describeField('WhoId', 'reference', { referenceTo: ['Contact', 'Lead'] }),
  describeField('Subject', 'combobox'),
  describeField('Description', 'textarea', { length: 32000 }),
  describeField('ActivityDate', 'date'),
  describeField('OwnerId', 'reference', { referenceTo: ['User'] }),
  describeField('Status', 'picklist', { restrictedPicklist: true, picklistValues: picklistValues('Not Started', 'Completed') }),
  describeField('Priority', 'picklist', { restrictedPicklist: true, picklistValues: picklistValues('High', 'Normal', 'Low') }),
  describeField('Lifecycle_Sync_Key__c', 'string', { length: 80, externalId: true, unique: true }),
];
const describeBody = (name: string, fields: unknown[]) => ({ name, label: name, keyPrefix: name === 'Task' ? '00T' : name === 'Lead' ? '00Q' : '003', createable: true, fields, childRelationships: [], recordTypeInfos: [] });

let redis: RedisFixture;
useNock();
beforeEach(() => {
  redis = redisFixture();
});
afterEach(async () => {
  await redis.close();
});
const config = () => baseConfig({ SALESFORCE_INSTANCE_URL: INSTANCE, SALESFORCE_ACCESS_TOKEN: '00Dxx!token' });

function answer(lead: unknown[], contact: unknown[], task: unknown[] | 'missing') {
  const scope = expectLimits(nock(INSTANCE))
    .get(`${V}/sobjects/Lead/describe`)
    .reply(200, describeBody('Lead', lead), JSON_HEADERS)
    .get(`${V}/sobjects/Contact/describe`)
    .reply(200, describeBody('Contact', contact), JSON_HEADERS);
  if (task === 'missing') scope.get(`${V}/sobjects/Task/describe`).reply(404, apiError('NOT_FOUND', 'The requested resource does not exist'), JSON_HEADERS);
  else scope.get(`${V}/sobjects/Task/describe`).reply(200, describeBody('Task', task), JSON_HEADERS);
  return scope;
}

describe('checkFields', () => {
  it('passes an org set up as documented', async () => {
    const scope = answer(personFields('Lead'), personFields('Contact'), taskFields());
    const report = await connector(redis, config()).checkFields();
    expect(scope.isDone()).toBe(true);
    expect(report).toMatchObject({ ok: true, problems: [] });
  });

  it('reports picklist and length violations, and unmapped reason values as warnings', async () => {
    const lead = personFields('Lead').map((f) => {
      if (f.name === 'MQL_Tier__c') return { ...f, picklistValues: picklistValues('A', 'B') };
      if (f.name === 'MQL_Reasons__c') return { ...f, type: 'string', length: 255 };
      if (f.name === 'Disqualification_Reason__c') return { ...f, picklistValues: [...f.picklistValues, ...picklistValues('Lost to competitor X')] };
      return f;
    });
    const task = taskFields().map((f) => (f.name === 'Lifecycle_Sync_Key__c' ? { ...f, length: 20, unique: false } : f.name === 'Priority' ? { ...f, picklistValues: picklistValues('High', 'Normal') } : f));
    answer(lead, personFields('Contact'), task);
    const report = await connector(redis, config()).checkFields();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      { object: 'Lead', field: 'MQL_Tier__c', problem: 'picklist_values_missing', severity: 'error', message: 'Lead.MQL_Tier__c (push: tier): restricted picklist lacks "C"' },
      { object: 'Lead', field: 'MQL_Reasons__c', problem: 'too_short', severity: 'error', message: 'Lead.MQL_Reasons__c (push: reasons): holds 255 characters, the service writes up to 4000' },
      {
        object: 'Lead',
        field: 'Disqualification_Reason__c',
        problem: 'unmapped_picklist_values',
        severity: 'warning',
        message: 'Lead.Disqualification_Reason__c (pull: disqualificationReason): values not in mappings/reasons.yaml reach HubSpot with the unmapped prefix: "Lost to competitor X"',
      },
      { object: 'Task', field: 'Lifecycle_Sync_Key__c', problem: 'too_short', severity: 'error', message: 'Task.Lifecycle_Sync_Key__c (follow-up task key): holds 20 characters, the service writes up to 40' },
      { object: 'Task', field: 'Lifecycle_Sync_Key__c', problem: 'not_unique', severity: 'error', message: 'Task.Lifecycle_Sync_Key__c (follow-up task key): must be marked Unique (it is what keeps one task per key)' },
      { object: 'Task', field: 'Priority', problem: 'picklist_values_missing', severity: 'error', message: 'Task.Priority (follow-up task): restricted picklist lacks "Low"' },
    ]);
  });

  it('names a missing field and an object the integration user cannot see', async () => {
    answer(personFields('Lead'), personFields('Contact').filter((f) => f.name !== 'SQL_Date__c'), 'missing');
    const report = await connector(redis, config()).checkFields();
    expect(report.problems.map((p) => [p.object, p.field, p.problem])).toEqual([
      ['Task', '*', 'object_missing'],
      ['Contact', 'SQL_Date__c', 'missing'],
    ]);
    expect(report.checked).toEqual({ Lead: expect.any(Number), Contact: expect.any(Number), Task: 0 });
  });
});
