/**
 * The fewest API calls that can bring a fresh install into agreement with the data set, from
 * the documented batch and page sizes: HubSpot as in bench/hubspot-calls.ts (listing,
 * associations, engagement reads, feeds, write-back of the contacts that needed one), and
 * Salesforce: the allocation once, lookups of every contact by external id or e-mail in
 * `IN (...)` queries as long as a URI may be (16,384 characters), the follow-up of converted
 * Leads, collections of 200 for updates, new Leads and tasks (tasks by upsert on their
 * external id, so no existence query), and one outcome query per object to start its cursor.
 */
import { recordFields } from '../../connectors/salesforce/fields';
import type { SalesforceObject } from '../../connectors/ports';
import { generateContact, salesforceSeedRecords } from '../../sandbox/dataset';
import type { Mappings } from '../../src/mappings/load';
import { theoreticalMinimum } from '../hubspot-calls';

/** Salesforce refuses URIs over 16,384 characters. */
const MAX_URI = 16_384;
const QUERY_PATH = '/services/data/v60.0/query?q=';
const COLLECTION = 200;
const OBJECTS = ['Contact', 'Lead'] as const;

export interface Writes {
  hubspotContacts: number;
  salesforceUpdates: number;
  leadsCreated: number;
  tasksCreated: number;
}

export interface Minimum {
  hubspot: Record<string, number>;
  salesforce: Record<string, number>;
  hubspotTotal: number;
  salesforceTotal: number;
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

/** Encoded length of `'value'` followed by a comma, as it appears in the `q` parameter. */
const encodedLiteral = (value: string) => encodeURIComponent(`'${value}',`).length;

/** Queries needed to carry every lookup key (external ids and e-mails) of one object within the URI limit. */
function lookupQueries(sobject: SalesforceObject, mapping: Mappings['fields']['salesforce'], keys: number, keyChars: number): number {
  // Each query repeats the fields the planner needs and the clause around the keys.
  const fixed = encodeURIComponent(`SELECT ${recordFields(mapping, sobject).join(', ')} FROM ${sobject} WHERE ${mapping.externalIdField} IN () OR Email IN ()`).length + QUERY_PATH.length;
  return keys === 0 ? 0 : Math.ceil(keyChars / (MAX_URI - fixed));
}

export function pipelineMinimum(contacts: number, seed: number, anchor: string, mappings: Mappings, writes: Writes): Minimum {
  const hubspot = theoreticalMinimum(contacts, anchor, false, mappings, writes.hubspotContacts).minimum;
  const dataset = { seed, anchor };
  let keyChars = 0;
  let keys = 0;
  for (let i = 0; i < contacts; i++) {
    const c = generateContact(dataset, i);
    keyChars += encodedLiteral(c.id);
    keys++;
    const email = c.properties.email?.trim().toLowerCase();
    if (email && email.includes('@') && email.length <= 80) keyChars += encodedLiteral(email);
  }
  let converted = 0;
  for (const r of salesforceSeedRecords(dataset, contacts)) if (r.convertedContactId) converted++;
  const salesforce: Record<string, number> = {
    'limits (once)': 1,
    ...Object.fromEntries(OBJECTS.map((o) => [`match ${o} (IN queries within 16,384-character URIs)`, lookupQueries(o, mappings.fields.salesforce, keys, keyChars)])),
    'converted Leads followed': converted > 0 ? 1 : 0,
    'updates (200/collection)': Math.ceil(writes.salesforceUpdates / COLLECTION),
    'new Leads (200/collection)': Math.ceil(writes.leadsCreated / COLLECTION),
    'tasks (200/upsert collection)': Math.ceil(writes.tasksCreated / COLLECTION),
    'outcome cursors (Lead, Contact)': OBJECTS.length,
  };
  return { hubspot, salesforce, hubspotTotal: sum(hubspot), salesforceTotal: sum(salesforce) };
}
