/** The objects of the simulated org: Lead, Contact, Task, User, Group (queues), Account. */
import * as values from './picklists';
import { defineObject, field, picklist, readOnly, text, type FieldDef, type ObjectDef, type SfRecord } from './schema';

const reference = (name: string, label: string, referenceTo: string[], options: Partial<FieldDef> = {}): FieldDef =>
  field(name, label, 'reference', { length: 18, referenceTo, ...options });

const score = (name: string, label: string): FieldDef => field(name, label, 'double', { precision: 6, scale: 1 });

/** The service-owned MQL fields and sales-owned outcome fields shared by Lead and Contact. */
function lifecycleFields(): FieldDef[] {
  return [
    text('HubSpot_Contact_Id__c', 'HubSpot Contact Id', 32, { externalId: true, unique: true, indexed: true }),
    field('MQL__c', 'MQL', 'boolean', { nillable: false, defaultValue: false }),
    score('MQL_Score__c', 'MQL Score'),
    score('MQL_Fit_Score__c', 'MQL Fit Score'),
    score('MQL_Engagement_Score__c', 'MQL Engagement Score'),
    picklist('MQL_Tier__c', 'MQL Tier', values.MQL_TIERS, { restrictedPicklist: true }),
    field('MQL_Reasons__c', 'MQL Reasons', 'textarea', { length: 4000 }),
    text('MQL_Definition_Version__c', 'MQL Definition Version', 40),
    field('MQL_Date__c', 'MQL Date', 'datetime'),
    picklist('MQL_Service_Line__c', 'MQL Service Line', values.SERVICE_LINES, { restrictedPicklist: true }),
    picklist('Disqualification_Reason__c', 'Disqualification Reason', values.DISQUALIFICATION_REASONS),
    picklist('Recycle_Reason__c', 'Recycle Reason', values.RECYCLE_REASONS),
    field('SQL_Date__c', 'SQL Date', 'date'),
  ];
}

const owner = (referenceTo: string[], label = 'Owner ID'): FieldDef =>
  reference('OwnerId', label, referenceTo, { nillable: false, defaultedOnCreate: true });
const email = (): FieldDef => field('Email', 'Email', 'email', { length: 80, indexed: true });
const personName = (record: SfRecord): void => {
  record.Name = [record.FirstName, record.LastName].filter((part) => typeof part === 'string' && part).join(' ');
};

export const LEAD = defineObject(
  'Lead',
  'Lead',
  '00Q',
  [
    text('FirstName', 'First Name', 40),
    text('LastName', 'Last Name', 80, { nillable: false }),
    readOnly(text('Name', 'Full Name', 121)),
    text('Company', 'Company', 255, { nillable: false }),
    email(),
    field('Phone', 'Phone', 'phone', { length: 40 }),
    text('Title', 'Title', 128),
    text('Country', 'Country', 80),
    picklist('Status', 'Status', values.LEAD_STATUSES, {
      nillable: false,
      restrictedPicklist: true,
      defaultValue: 'Open - Not Contacted',
    }),
    picklist('LeadSource', 'Lead Source', values.LEAD_SOURCES),
    owner(['Group', 'User']),
    readOnly(field('IsConverted', 'Converted', 'boolean', { nillable: false, defaultValue: false })),
    readOnly(reference('ConvertedContactId', 'Converted Contact ID', ['Contact'])),
    readOnly(reference('ConvertedAccountId', 'Converted Account ID', ['Account'])),
    readOnly(field('ConvertedDate', 'Converted Date', 'date')),
    ...lifecycleFields(),
  ],
  { derive: personName },
);

export const CONTACT = defineObject(
  'Contact',
  'Contact',
  '003',
  [
    text('FirstName', 'First Name', 40),
    text('LastName', 'Last Name', 80, { nillable: false }),
    readOnly(text('Name', 'Full Name', 121)),
    email(),
    field('Phone', 'Business Phone', 'phone', { length: 40 }),
    text('Title', 'Title', 128),
    text('MailingCountry', 'Mailing Country', 80),
    reference('AccountId', 'Account ID', ['Account']),
    owner(['User']),
    ...lifecycleFields(),
    picklist('Lifecycle_Status__c', 'Lifecycle Status', values.CONTACT_LIFECYCLE_STATUSES),
  ],
  { derive: personName },
);

export const TASK = defineObject(
  'Task',
  'Task',
  '00T',
  [
    reference('WhoId', 'Name ID', ['Contact', 'Lead'], { indexed: true }),
    reference('WhatId', 'Related To ID', ['Account']),
    field('Subject', 'Subject', 'combobox', { length: 255, picklistValues: ['Call', 'Send Letter', 'Send Quote', 'Other'] }),
    field('Description', 'Description', 'textarea', { length: 32000 }),
    field('ActivityDate', 'Due Date Only', 'date'),
    picklist('Status', 'Status', values.TASK_STATUSES, { nillable: false, restrictedPicklist: true, defaultValue: 'Not Started' }),
    picklist('Priority', 'Priority', values.TASK_PRIORITIES, { nillable: false, restrictedPicklist: true, defaultValue: 'Normal' }),
    picklist('Type', 'Type', values.TASK_TYPES),
    owner(['User'], 'Assigned To ID'),
    readOnly(field('IsClosed', 'Closed', 'boolean', { nillable: false, defaultValue: false })),
    readOnly(field('CompletedDateTime', 'Completed Date/Time', 'datetime')),
    text('Lifecycle_Sync_Key__c', 'Lifecycle Sync Key', 80, { externalId: true, unique: true, indexed: true }),
  ],
  {
    derive(record) {
      record.IsClosed = record.Status === 'Completed';
    },
  },
);

export const USER = defineObject(
  'User',
  'User',
  '005',
  [
    text('Username', 'Username', 80, { nillable: false }),
    text('FirstName', 'First Name', 40),
    text('LastName', 'Last Name', 80, { nillable: false }),
    readOnly(text('Name', 'Full Name', 121)),
    field('Email', 'Email', 'email', { length: 128, nillable: false }),
    field('IsActive', 'Active', 'boolean', { nillable: false, defaultValue: true }),
  ].map(readOnly),
  { createable: false, derive: personName },
);

export const GROUP = defineObject(
  'Group',
  'Group',
  '00G',
  [
    text('Name', 'Name', 40, { nillable: false }),
    text('DeveloperName', 'Developer Name', 80),
    picklist('Type', 'Type', values.GROUP_TYPES, { nillable: false, restrictedPicklist: true }),
  ].map(readOnly),
  { createable: false },
);

export const ACCOUNT = defineObject('Account', 'Account', '001', [
  text('Name', 'Account Name', 255, { nillable: false }),
  field('Website', 'Website', 'string', { length: 255 }),
  text('BillingCountry', 'Billing Country', 80),
  owner(['User']),
]);

export const OBJECTS: readonly ObjectDef[] = [LEAD, CONTACT, TASK, USER, GROUP, ACCOUNT];
const BY_LOWER = new Map(OBJECTS.map((o) => [o.name.toLowerCase(), o]));
const BY_PREFIX = new Map(OBJECTS.map((o) => [o.keyPrefix, o]));

/** The object named `name` (case-insensitive), or undefined. */
export function objectNamed(name: string): ObjectDef | undefined {
  return BY_LOWER.get(name.toLowerCase());
}

/** The object an id belongs to, by its key prefix. */
export function objectOfId(id: string): ObjectDef | undefined {
  return BY_PREFIX.get(id.slice(0, 3));
}
