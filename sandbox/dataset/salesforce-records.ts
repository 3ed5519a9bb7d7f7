/**
 * Records a Salesforce org already holds for some contacts before the service first runs:
 * Leads matched only by e-mail (sometimes in another case), some already linked by
 * `HubSpot_Contact_Id__c`, Contacts, duplicate Leads and converted Leads with their Contact.
 */
import { rngFor, type Rng } from '../common';
import type { Person } from './person';
import { DAY_MS, weightedPick } from './random';
import type { SeedSalesforceRecord } from './types';

/** Shares of contacts with each kind of pre-existing Salesforce record (about 20% in all). */
export const SALESFORCE_RATES = { lead: 0.13, contact: 0.04, duplicateLeads: 0.015, convertedLead: 0.015 } as const;

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * An 18-character Salesforce id: key prefix, pod and a base-62 counter (15 characters), then
 * the real case-safe checksum suffix, so ids look and compare like an org's.
 */
export function salesforceId(prefix: '00Q' | '003' | '001' | '005', n: number): string {
  let digits = '';
  for (let rest = n; digits.length < 9; rest = Math.floor(rest / 62)) digits = (BASE62[rest % 62] ?? '0') + digits;
  const id15 = `${prefix}8d0${digits}`;
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let j = 0; j < 5; j++) {
      const c = id15.charAt(chunk * 5 + j);
      if (c >= 'A' && c <= 'Z') flags |= 1 << j;
    }
    suffix += SUFFIX_ALPHABET[flags];
  }
  return id15 + suffix;
}

/** The Salesforce users who own seeded records. */
export const SALESFORCE_USER_IDS = [1, 2, 3, 4, 5].map((n) => salesforceId('005', n));

const LEAD_STATUSES = [
  ['Open - Not Contacted', 50], ['Working - Contacted', 25], ['Recycled', 8], ['Disqualified', 7], ['Sales Accepted', 5], ['Sales Qualified', 5],
] as const;
const DISQUALIFICATION_REASONS = ['No active project', 'Timeline mismatch', 'No budget', 'Wrong contact', 'Unresponsive'];
const LEAD_SOURCES = ['Web', 'Trade Show', 'Webinar', 'Purchased List', 'Partner Referral'];

/** Same address, another case, as a CRM import typed it. */
function otherCase(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.charAt(0).toUpperCase()}${local.slice(1)}@${domain.toUpperCase()}`;
}

function baseFields(rng: Rng, person: Person, email: string, anchorMs: number): Record<string, string | number | boolean | null> {
  return {
    FirstName: person.firstName,
    LastName: person.lastName ?? '[not provided]',
    Email: email,
    Title: person.jobTitle,
    OwnerId: rng.pick(SALESFORCE_USER_IDS),
    CreatedDate: new Date(anchorMs - rng.int(20, 900) * DAY_MS - rng.int(0, 86_399) * 1000).toISOString(),
  };
}

function lead(rng: Rng, n: number, person: Person, email: string, anchorMs: number, hubspotId: string | null): SeedSalesforceRecord {
  const status = weightedPick(rng, LEAD_STATUSES);
  return {
    sobject: 'Lead',
    id: salesforceId('00Q', n),
    fields: {
      ...baseFields(rng, person, email, anchorMs),
      // Salesforce requires Company and would have cut a longer one at import.
      Company: (person.company ?? '[not provided]').slice(0, 255),
      Country: person.country,
      Status: status,
      LeadSource: rng.pick(LEAD_SOURCES),
      IsConverted: false,
      Disqualification_Reason__c: status === 'Disqualified' ? rng.pick(DISQUALIFICATION_REASONS) : null,
      HubSpot_Contact_Id__c: hubspotId,
    },
  };
}

function contact(rng: Rng, n: number, person: Person, email: string, anchorMs: number, hubspotId: string | null): SeedSalesforceRecord {
  return {
    sobject: 'Contact',
    id: salesforceId('003', n),
    fields: { ...baseFields(rng, person, email, anchorMs), AccountId: salesforceId('001', n), HubSpot_Contact_Id__c: hubspotId },
  };
}

/** The pre-existing Salesforce records for contact `index` (most contacts have none). */
export function salesforceRecordsFor(seed: number, index: number, hubspotId: string, person: Person, anchorMs: number): SeedSalesforceRecord[] {
  // Salesforce refuses e-mails over 80 characters, so such a person cannot be there already.
  if (!person.email || person.email.length > 80) return [];
  const rng = rngFor(seed, 'salesforce', index);
  const roll = rng.next();
  const email = rng.chance(0.3) ? otherCase(person.email) : person.email;
  const n = index * 4;
  const { lead: leadRate, contact: contactRate, duplicateLeads, convertedLead } = SALESFORCE_RATES;
  if (roll < leadRate) return [lead(rng, n, person, email, anchorMs, rng.chance(0.25) ? hubspotId : null)];
  if (roll < leadRate + contactRate) return [contact(rng, n, person, email, anchorMs, rng.chance(0.3) ? hubspotId : null)];
  if (roll < leadRate + contactRate + duplicateLeads) {
    // Two Leads for one person: created by two campaigns, one of them in another case.
    return [lead(rng, n, person, person.email, anchorMs, null), lead(rng, n + 1, person, otherCase(person.email), anchorMs, null)];
  }
  if (roll < leadRate + contactRate + duplicateLeads + convertedLead) {
    const converted = contact(rng, n, person, email, anchorMs, null);
    const original = lead(rng, n, person, email, anchorMs, null);
    const createdMs = Date.parse(String(original.fields.CreatedDate));
    const convertedDate = new Date(Math.min(anchorMs - DAY_MS, createdMs + rng.int(5, 120) * DAY_MS)).toISOString();
    Object.assign(original.fields, {
      Status: 'Closed - Converted', IsConverted: true, ConvertedContactId: converted.id,
      ConvertedAccountId: converted.fields.AccountId, ConvertedDate: convertedDate.slice(0, 10), Disqualification_Reason__c: null,
    });
    return [{ ...original, convertedContactId: converted.id }, converted];
  }
  return [];
}
