/**
 * The end state a chaos run must reach, computed without the service's I/O path: the data
 * set's own truth (contact fields, activities in domain terms, pre-existing Salesforce records)
 * through the definition (`evaluate`), the matching rule of docs/DATA-MODEL.md (written out
 * again here, so a bug in the connector's rule shows as a difference) and the pure planner.
 */
import { evaluate, type Evaluation } from '../../src/domain/evaluate';
import { plan, type ContactPlan, type MatchedRecord, type PlanContext } from '../../src/domain/plan';
import type { Activity, Contact } from '../../src/domain/types';
import type { Mappings } from '../../src/mappings/load';
import { generateContact, type DatasetOptions, type SeedContact, type SeedSalesforceRecord } from '../../sandbox/dataset';

/** Salesforce's lengths of the fields a new Lead is made of (the simulator enforces the same). */
const LEAD_LENGTHS: Record<string, number> = { FirstName: 40, LastName: 80, Email: 80, Company: 255, Title: 128, Country: 80 };

export interface ExpectedContact {
  id: string;
  index: number;
  /** Lower-cased e-mail, only to find contacts sharing a Salesforce record; never printed. */
  emailKey: string | null;
  /** Properties and activities as the data set defines them. */
  properties: Record<string, string | null>;
  contact: Contact;
  activities: Activity[];
  /** The pre-existing record the matching rule picks, or null. */
  seedRecord: MatchedRecord | null;
  /** What the first sync must do, judged at the start of the run. */
  first: ContactPlan;
  /** Evaluation at the start and at the end of the run differ in status or tier (decay): not judged on them. */
  borderline: boolean;
  /** A new Lead Salesforce must refuse (a value longer than its field, with no maxLength in the mappings): a visible failure, not a loss. */
  refusedLead: string | null;
  /** Another contact of the run matches the same pre-existing record by e-mail: its fields are shared. */
  shared: boolean;
}

export function planContext(mappings: Mappings): PlanContext {
  return { definition: mappings.definition, fields: mappings.fields, reasons: mappings.reasons, routing: mappings.routing };
}

function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** The data set's truth in domain terms, by the field names of mappings/fields.yaml. */
export function truthContact(seed: SeedContact, mappings: Mappings): Contact {
  const p = seed.properties;
  const m = mappings.fields.hubspot.contact;
  const band = text(p[m.employees ?? 'numemployees']);
  return {
    id: seed.id,
    email: text(p[m.email ?? 'email']),
    firstName: text(p[m.firstName ?? 'firstname']),
    lastName: text(p[m.lastName ?? 'lastname']),
    jobTitle: text(p[m.jobTitle ?? 'jobtitle']),
    jobFunction: text(p[m.jobFunction ?? 'ls_job_function']),
    company: text(p[m.company ?? 'company']),
    organizationType: text(p[m.organizationType ?? 'ls_organization_type']),
    employees: band ? Number.parseInt(band.replace(/,/g, ''), 10) : null,
    country: text(p[m.country ?? 'country']),
    serviceLine: text(p[m.serviceLine ?? 'ls_service_interest']),
    properties: p,
  };
}

/** Sources HubSpot lists portal-wide and the service joins to contacts by e-mail address. */
const BY_ADDRESS = new Set(['form', 'email_event']);

/**
 * A contact's activities as HubSpot can show them: marketing e-mail events carry no subject or
 * campaign name (the events API has none), and what is joined by address belongs to every
 * contact with that address (the data set has case-variant duplicates).
 */
export function truthActivities(seed: SeedContact, sameAddress: readonly SeedContact[]): Activity[] {
  const own = seed.activities.filter((a) => !BY_ADDRESS.has(a.source.kind));
  const joined = sameAddress.flatMap((c) => c.activities.filter((a) => BY_ADDRESS.has(a.source.kind)));
  return [...own, ...joined]
    .map(({ source, ...activity }): Activity => (source.kind === 'email_event' ? { type: activity.type, at: activity.at, ...(activity.url ? { url: activity.url } : {}) } : activity))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

const isContact = (r: SeedSalesforceRecord) => r.sobject === 'Contact';
const isOpenLead = (r: SeedSalesforceRecord) => r.sobject === 'Lead' && r.fields.IsConverted !== true;
const isConvertedLead = (r: SeedSalesforceRecord) => r.sobject === 'Lead' && r.fields.IsConverted === true;
const oldestFirst = (records: SeedSalesforceRecord[]) =>
  [...records].sort((a, b) => String(a.fields.CreatedDate).localeCompare(String(b.fields.CreatedDate)) || a.id.localeCompare(b.id));

/**
 * docs/DATA-MODEL.md "Matching": by the HubSpot id (Contact, then open Lead, then a converted
 * Lead followed to its Contact), else by e-mail case-insensitively among records not linked to
 * another contact (open Lead, then Contact, then converted), oldest first.
 */
export function matchSeed(hubspotId: string, emailKey: string | null, byEmail: Map<string, SeedSalesforceRecord[]>, linked: SeedSalesforceRecord[], byId: Map<string, SeedSalesforceRecord>): SeedSalesforceRecord | null {
  const link = (r: SeedSalesforceRecord) => (r.fields.HubSpot_Contact_Id__c as string | null) ?? '';
  const emailCandidates = emailKey ? (byEmail.get(emailKey) ?? []).filter((r) => link(r) === '' || link(r) === hubspotId) : [];
  const follow = (r: SeedSalesforceRecord | undefined) => (r?.convertedContactId ? byId.get(r.convertedContactId) : r);
  const steps: Array<[SeedSalesforceRecord[], boolean]> = [
    [linked.filter(isContact), false], [linked.filter(isOpenLead), false], [linked.filter(isConvertedLead), true],
    [emailCandidates.filter(isOpenLead), false], [emailCandidates.filter(isContact), false], [emailCandidates.filter(isConvertedLead), true],
  ];
  for (const [records, converted] of steps) {
    const first = oldestFirst(records)[0];
    if (first) return (converted ? follow(first) : first) ?? null;
  }
  return null;
}

function refusal(contact: Contact, mappings: Mappings): string | null {
  for (const [field, source] of Object.entries(mappings.fields.salesforce.createLeads.fields)) {
    // A declared maxLength means the planner cuts or leaves out what does not fit.
    if (!('from' in source) || source.maxLength !== undefined) continue;
    const value = contact[source.from];
    const max = LEAD_LENGTHS[field];
    if (max !== undefined && typeof value === 'string' && value.length > max) return field;
  }
  return null;
}

function judged(e: Evaluation): string {
  return `${e.status}/${e.tier ?? '-'}`;
}

/** Every contact of the run, with the plan of its first sync judged at `startedAt`. */
export function expectedState(dataset: DatasetOptions, contacts: number, mappings: Mappings, startedAt: string, endedAt: string): ExpectedContact[] {
  const seeds = Array.from({ length: contacts }, (_, i) => generateContact(dataset, i));
  const byEmail = new Map<string, SeedSalesforceRecord[]>();
  const byId = new Map<string, SeedSalesforceRecord>();
  const linkedTo = new Map<string, SeedSalesforceRecord[]>();
  for (const seed of seeds) {
    for (const r of seed.salesforce) {
      byId.set(r.id, r);
      const email = typeof r.fields.Email === 'string' ? r.fields.Email.toLowerCase() : '';
      if (email) byEmail.set(email, [...(byEmail.get(email) ?? []), r]);
      const link = r.fields.HubSpot_Contact_Id__c;
      if (typeof link === 'string') linkedTo.set(link, [...(linkedTo.get(link) ?? []), r]);
    }
  }
  const byAddress = new Map<string, SeedContact[]>();
  for (const seed of seeds) {
    const email = seed.properties.email?.trim().toLowerCase();
    if (email) byAddress.set(email, [...(byAddress.get(email) ?? []), seed]);
  }
  const ctx = planContext(mappings);
  const out = seeds.map((seed): ExpectedContact => {
    const contact = truthContact(seed, mappings);
    const emailKey = contact.email?.toLowerCase() ?? null;
    const activities = truthActivities(seed, emailKey ? (byAddress.get(emailKey) ?? [seed]) : [seed]);
    const match = matchSeed(seed.id, emailKey, byEmail, linkedTo.get(seed.id) ?? [], byId);
    const seedRecord: MatchedRecord | null = match ? { sobject: match.sobject, id: match.id, fields: { ...match.fields } } : null;
    const first = plan(ctx, seed.properties, { contact, activities, record: seedRecord, now: startedAt });
    const atEnd = evaluate(mappings.definition, contact, activities, endedAt);
    return {
      id: seed.id, index: seed.index, emailKey, properties: seed.properties, contact, activities, seedRecord, first,
      borderline: judged(first.evaluation) !== judged(atEnd),
      refusedLead: first.salesforce.create ? refusal(contact, mappings) : null,
      shared: false,
    };
  });
  // Two contacts matching one unlinked record by e-mail both write to it: the last sync wins.
  const users = new Map<string, number>();
  for (const e of out) if (e.seedRecord && e.seedRecord.fields.HubSpot_Contact_Id__c == null) users.set(e.seedRecord.id, (users.get(e.seedRecord.id) ?? 0) + 1);
  for (const e of out) if (e.seedRecord && (users.get(e.seedRecord.id) ?? 0) > 1) e.shared = true;
  return out;
}
