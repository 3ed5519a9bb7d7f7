/**
 * `generateContact(options, index)`: the whole seeded contact at one index, computed from
 * (seed, anchor, index) alone, so a million contacts cost nothing until they are asked for.
 */
import { rngFor } from '../common';
import { generateHistory, engagementId } from './activities';
import { FIXTURE_COUNT, fixtureAt } from './fixtures';
import { personAt, type Person } from './person';
import { DAY_MS } from './random';
import { salesforceRecordsFor } from './salesforce-records';
import { foldActivity, SUMMARY_DEFAULTS } from './summary-properties';
import type { SeedActivity, SeedContact, SeedSalesforceRecord } from './types';

export interface DatasetOptions {
  seed: number;
  /** ISO instant the data set treats as "now": every activity lies in the year before it. */
  anchor: string;
}

/** HubSpot ids are `CONTACT_ID_BASE + index`, so an id finds its contact without an index. */
export const CONTACT_ID_BASE = 10_001;

export function contactIdOf(index: number): string {
  return String(CONTACT_ID_BASE + index);
}

/** The index of a contact id, or -1 when the string is not a generated id's shape. */
export function indexOfContactId(id: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(id)) return -1;
  const index = Number(id) - CONTACT_ID_BASE;
  return index >= 0 ? index : -1;
}

/** Contacts updated together by an import or a workflow share one `lastmodifieddate`. */
const BULK_BLOCK = 250;
const BULK_SHARE = 0.35;

function anchorMsOf(options: DatasetOptions): number {
  const ms = Date.parse(options.anchor);
  if (Number.isNaN(ms)) throw new RangeError(`anchor is not an ISO instant: ${options.anchor}`);
  return ms;
}

/** The contact's own properties (before the activity fold), as the CRM API returns them. */
function baseProperties(person: Person, seed: number, index: number): Record<string, string | null> {
  const rng = rngFor(seed, 'properties', index);
  return {
    email: person.email,
    firstname: person.firstName,
    lastname: person.lastName,
    jobtitle: person.jobTitle,
    company: person.company,
    website: person.domain && !person.flags.freeMail ? `https://www.${person.domain}` : null,
    country: person.country,
    numemployees: person.employees,
    ls_organization_type: person.organizationType,
    ls_job_function: person.jobFunction,
    ls_service_interest: person.serviceInterest,
    hubspot_owner_id: person.ownerId,
    // Existing customers are handled by account management (a hard exclusion of the default definition).
    ls_customer_status: rng.chance(0.03) ? 'customer' : rng.chance(0.05) ? 'former_customer' : rng.chance(0.5) ? 'prospect' : null,
    lifecyclestage: rng.chance(0.3) ? 'subscriber' : 'lead',
    hs_lead_status: null,
    hs_analytics_source: rng.pick(['ORGANIC_SEARCH', 'DIRECT_TRAFFIC', 'PAID_SEARCH', 'EMAIL_MARKETING', 'SOCIAL_MEDIA', 'REFERRALS', 'OFFLINE']),
    hs_object_id: String(CONTACT_ID_BASE + index),
  };
}

/**
 * Folds the history into HubSpot's summary properties and dates the record: created before
 * its first conversion, last modified after its last activity or at a shared bulk update.
 */
function datedProperties(base: Record<string, string | null>, activities: SeedActivity[], seed: number, index: number, anchorMs: number): Record<string, string | null> {
  const rng = rngFor(seed, 'dates', index);
  // Object.assign, not a spread: V8 spreads a 40-key bag into a slow dictionary object,
  // which made generation six times slower.
  const props: Record<string, string | null> = Object.assign(base, SUMMARY_DEFAULTS);
  for (const activity of activities) foldActivity(props, activity);
  const first = activities.length > 0 ? Date.parse(activities[0]!.at) : anchorMs;
  const last = activities.length > 0 ? Date.parse(activities[activities.length - 1]!.at) : 0;
  const created = Math.min(anchorMs - rng.int(1, 1100) * DAY_MS, first - rng.int(60, 30 * 86_400) * 1000);
  const createdMs = Math.floor(created / 1000) * 1000 + rng.int(0, 999);
  let modified = Math.max(createdMs + rng.int(1, 3600) * 1000, last + rng.int(1, 600) * 1000);
  const bulk = rngFor(seed, 'bulk', Math.floor(index / BULK_BLOCK));
  const bulkMs = Math.floor(anchorMs / 1000) * 1000 - bulk.int(1, 120) * DAY_MS;
  if (rng.chance(BULK_SHARE) && bulkMs > modified) modified = bulkMs;
  modified = Math.min(modified, anchorMs);
  props.createdate = new Date(createdMs).toISOString();
  props.lastmodifieddate = new Date(modified).toISOString();
  props.hs_lastmodifieddate = props.lastmodifieddate;
  return props;
}

/** Engagements get ids from their position; fixture Salesforce fields name their contact. */
function finish(index: number, activities: SeedActivity[]): SeedActivity[] {
  return activities.map((a, slot) => (a.source.kind === 'engagement' ? { ...a, source: { ...a.source, id: engagementId(index, slot) } } : a));
}

function linkFixture(records: SeedSalesforceRecord[], hubspotId: string): SeedSalesforceRecord[] {
  return records.map((r) => ({
    ...r,
    fields: Object.fromEntries(Object.entries(r.fields).map(([k, v]) => [k, v === '{hubspotId}' ? hubspotId : v])),
  }));
}

/** The person at `index`: a fixture for 0..5, generated otherwise. */
export function personOf(options: DatasetOptions, index: number): Person {
  return index < FIXTURE_COUNT ? fixtureAt(options.seed, index, anchorMsOf(options)).person : personAt(options.seed, index, FIXTURE_COUNT);
}

/** Properties that come from the activity history (summary counts and dates, record dates). */
export const HISTORY_DERIVED_PROPERTIES: ReadonlySet<string> = new Set([...Object.keys(SUMMARY_DEFAULTS), 'createdate', 'lastmodifieddate', 'hs_lastmodifieddate']);

/**
 * The seeded properties that do not depend on the activity history (everything but
 * {@link HISTORY_DERIVED_PROPERTIES}), several times cheaper than {@link generateContact}:
 * what search scans when it filters on such properties.
 */
export function historyFreePropertiesOf(options: DatasetOptions, index: number): Record<string, string | null> {
  return baseProperties(personOf(options, index), options.seed, index);
}

/** The complete seeded contact at `index` (0-based). */
export function generateContact(options: DatasetOptions, index: number): SeedContact {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`contact index must be a non-negative integer: ${index}`);
  const { seed } = options;
  const anchorMs = anchorMsOf(options);
  const id = contactIdOf(index);
  let person: Person;
  let activities: SeedActivity[];
  let salesforce: SeedSalesforceRecord[];
  if (index < FIXTURE_COUNT) {
    const fixture = fixtureAt(seed, index, anchorMs);
    person = fixture.person;
    activities = finish(index, [...fixture.activities].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)));
    salesforce = linkFixture(fixture.salesforce, id);
  } else {
    person = personAt(seed, index, FIXTURE_COUNT);
    activities = generateHistory({ rng: rngFor(seed, 'history', index), anchorMs, contactIndex: index, person }).activities;
    salesforce = salesforceRecordsFor(seed, index, id, person, anchorMs);
  }
  const properties = datedProperties(baseProperties(person, seed, index), activities, seed, index, anchorMs);
  return { index, id, properties, activities, salesforce };
}

/** Only the Salesforce seed records of `index` (cheap: no activity history is generated). */
export function salesforceSeedOf(options: DatasetOptions, index: number): SeedSalesforceRecord[] {
  if (index < FIXTURE_COUNT) return generateContact(options, index).salesforce;
  return salesforceRecordsFor(options.seed, index, contactIdOf(index), personAt(options.seed, index, FIXTURE_COUNT), anchorMsOf(options));
}

/** Every pre-existing Salesforce record of the first `count` contacts, lazily. */
export function* salesforceSeedRecords(options: DatasetOptions, count: number): Generator<SeedSalesforceRecord> {
  for (let index = 0; index < count; index++) yield* salesforceSeedOf(options, index);
}
