/**
 * Seeding the org: users and queues, then the data set's pre-existing Leads and Contacts
 * (kept with their ids and audit dates), plus stand-in Users, queues and Accounts for
 * owners and accounts the data set refers to but does not define.
 */
import type { SeedSalesforceRecord } from '../dataset/types';
import { dateOf, parseDate, parseDateTime } from './datetime';
import { normaliseId, to18 } from './ids';
import { ACCOUNT, CONTACT, GROUP, LEAD, USER } from './objects';
import type { FieldDef, FieldValue, ObjectDef } from './schema';
import type { SalesforceStore } from './store';

export interface SeedUser {
  Id?: string;
  Username: string;
  FirstName?: string;
  LastName: string;
  Email?: string;
  IsActive?: boolean;
}

export interface SeedQueue {
  Id?: string;
  Name: string;
  DeveloperName?: string;
}

/** The integration user (first) and two sales reps. */
export const DEFAULT_USERS: SeedUser[] = [
  { Id: to18('0058a0000000001'), Username: 'integration@lifecycle-sync.example', FirstName: 'Lifecycle', LastName: 'Sync' },
  { Id: to18('0058a0000000002'), Username: 'sam.sales@lifecycle-sync.example', FirstName: 'Sam', LastName: 'Sales' },
  { Id: to18('0058a0000000003'), Username: 'alex.account@lifecycle-sync.example', FirstName: 'Alex', LastName: 'Account' },
];

export const DEFAULT_QUEUES: SeedQueue[] = [
  { Id: to18('00G8a0000000001'), Name: 'Life Sciences MQL Queue', DeveloperName: 'Life_Sciences_MQL_Queue' },
  { Id: to18('00G8a0000000002'), Name: 'Inbound Leads', DeveloperName: 'Inbound_Leads' },
];

/** Inserts users and queues; returns their ids in the order given. */
export function seedPeople(store: SalesforceStore, users: SeedUser[], queues: SeedQueue[]): { userIds: string[]; queueIds: string[] } {
  const firstUser = users[0]?.Id ?? to18('0058a0000000001');
  const userIds = users.map((u) => {
    const email = u.Email ?? u.Username;
    const values = { ...u, Email: email, IsActive: u.IsActive ?? true, Id: u.Id ? canonical(u.Id) : undefined };
    return String(store.insert(USER, stripUndefined(values), firstUser).Id);
  });
  const queueIds = queues.map((q) => {
    const values = { Name: q.Name, DeveloperName: q.DeveloperName ?? q.Name.replace(/\W+/g, '_'), Type: 'Queue', Id: q.Id ? canonical(q.Id) : undefined };
    return String(store.insert(GROUP, stripUndefined(values), firstUser).Id);
  });
  return { userIds, queueIds };
}

/** Loads the data set's Salesforce records; returns how many were loaded. */
export function loadSeedRecords(store: SalesforceStore, records: Iterable<SeedSalesforceRecord>, userId: string): number {
  let loaded = 0;
  const converted: Array<[string, string]> = [];
  for (const seed of records) {
    const def = seed.sobject === 'Lead' ? LEAD : CONTACT;
    const values = seedValues(def, seed);
    if (seed.convertedContactId) {
      const contactId = canonical(seed.convertedContactId);
      values.IsConverted = true;
      values.ConvertedContactId = contactId;
      values.Status ??= 'Closed - Converted';
      values.ConvertedDate ??= dateOf(typeof values.CreatedDate === 'number' ? values.CreatedDate : store.clock());
      converted.push([String(values.Id), contactId]);
    }
    store.load(def, values, userId);
    loaded++;
  }
  for (const [leadId, contactId] of converted) {
    const lead = store.table('Lead').get(leadId);
    const accountId = store.table('Contact').get(contactId)?.AccountId;
    if (lead && lead.ConvertedAccountId === null && typeof accountId === 'string') lead.ConvertedAccountId = accountId;
  }
  addMissingReferences(store, userId);
  store.finishBulkLoad();
  return loaded;
}

function seedValues(def: ObjectDef, seed: SeedSalesforceRecord): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = { Id: canonical(seed.id) };
  for (const [name, raw] of Object.entries(seed.fields)) {
    const f = def.byLower.get(name.toLowerCase());
    if (!f) throw new Error(`seed record ${seed.id}: unknown field ${name} on ${def.name}`);
    if (f.name === 'Id' || raw === undefined) continue;
    values[f.name] = seedValue(f, raw, seed.id);
  }
  return values;
}

function seedValue(f: FieldDef, raw: string | number | boolean | null, id: string): FieldValue {
  if (raw === null) return f.type === 'boolean' ? false : null;
  const bad = (): never => {
    throw new Error(`seed record ${id}: ${JSON.stringify(raw)} is not a valid ${f.type} for ${f.name}`);
  };
  switch (f.type) {
    case 'datetime':
      return typeof raw === 'number' ? raw : (parseDateTime(String(raw)) ?? bad());
    case 'date':
      return parseDate(String(raw).slice(0, 10)) ?? bad();
    case 'double':
      return Number.isFinite(Number(raw)) ? Number(raw) : bad();
    case 'boolean':
      return raw === true || raw === 'true' ? true : raw === false || raw === 'false' ? false : bad();
    case 'reference':
      return normaliseId(String(raw)) ?? bad();
    default:
      return String(raw);
  }
}

/** Owners and accounts named by seed records but not defined get stand-in records. */
function addMissingReferences(store: SalesforceStore, userId: string): void {
  const owners = new Set<string>();
  const accounts = new Set<string>();
  for (const name of ['Lead', 'Contact']) {
    for (const r of store.table(name).values()) {
      if (typeof r.OwnerId === 'string' && !store.get(r.OwnerId)) owners.add(r.OwnerId);
      if (typeof r.AccountId === 'string' && !store.get(r.AccountId)) accounts.add(r.AccountId);
    }
  }
  let n = 0;
  for (const id of owners) {
    n++;
    if (id.startsWith('00G')) store.load(GROUP, { Id: id, Name: `Queue ${n}`, DeveloperName: `Queue_${n}`, Type: 'Queue' }, userId);
    else store.load(USER, { Id: id, Username: `owner${n}@lifecycle-sync.example`, LastName: `Owner ${n}`, Email: `owner${n}@lifecycle-sync.example` }, userId);
  }
  for (const id of accounts) store.load(ACCOUNT, { Id: id, Name: `Account ${id.slice(-6)}` }, userId);
}

function canonical(id: string): string {
  const normal = normaliseId(id);
  if (!normal) throw new Error(`not a Salesforce id: ${id}`);
  return normal;
}

function stripUndefined<T extends object>(values: T): Record<string, FieldValue> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Record<string, FieldValue>;
}
