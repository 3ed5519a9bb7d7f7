/**
 * The six worked examples of the domain brief as named contacts at fixed indexes 0..5, so
 * tests can find them (`FIXTURES.demoFromPersonalEmail` is contact index 2, HubSpot id
 * `contactIdOf(2)`). Their activities are dated relative to the anchor; they are otherwise
 * ordinary contacts (same properties, same sources).
 */
import { rngFor, type Rng } from '../common';
import { FORMS, PAGES, VENDOR_SITE, eventByExternalId, eventStartMs, EVENTS_ACCOUNT_ID } from './marketing-catalog';
import type { Person } from './person';
import { DAY_MS, uuidFrom } from './random';
import { salesforceId, SALESFORCE_USER_IDS } from './salesforce-records';
import type { SeedActivity, SeedSalesforceRecord } from './types';

/** Fixture name -> contact index. */
export const FIXTURES = {
  /** Example 1: operations person, quality-systems guide + validation webinar -> MQL, not SQL. */
  opsGuideAndWebinar: 0,
  /** Example 2: director of manufacturing, tech transfer + method validation in one week -> MQL fast. */
  directorTechTransfer: 1,
  /** Example 3: demo request from a personal e-mail, no company -> MQL at most, never auto SQL. */
  demoFromPersonalEmail: 2,
  /** Example 4: lab technician reading sample-handling / assay-validation pages -> below MQL. */
  labTechReader: 3,
  /** Example 5: hospital purchasing assistant, workflow overview + setup webinar registration -> MQL. */
  hospitalPurchasing: 4,
  /** Example 6: an MQL with a linked Salesforce Lead that sales will disqualify ("no active project"). */
  toBeDisqualified: 5,
} as const;
export type FixtureName = keyof typeof FIXTURES;
export const FIXTURE_COUNT = 6;

export interface FixtureDraft {
  person: Person;
  activities: SeedActivity[];
  /** Salesforce records; `{hubspotId}` in a field value is replaced with the contact's id. */
  salesforce: SeedSalesforceRecord[];
}

const person = (p: Partial<Person> & Pick<Person, 'firstName' | 'lastName' | 'email'>): Person => ({
  jobTitle: null, jobFunction: null, seniority: 0, company: null, domain: null, organizationType: null, employees: null,
  country: null, serviceInterest: null, ownerId: null, flags: { freeMail: false, student: false, competitor: false, duplicateOf: null }, ...p,
});

class Builder {
  readonly activities: SeedActivity[] = [];
  constructor(private readonly rng: Rng, private readonly anchorMs: number) {}
  private at(daysAgo: number, hour = 10): string {
    return new Date(Math.floor(this.anchorMs / DAY_MS) * DAY_MS - daysAgo * DAY_MS + hour * 3_600_000).toISOString();
  }
  form(name: string, daysAgo: number): this {
    const f = FORMS.find((x) => x.name === name);
    if (!f) throw new Error(`unknown fixture form ${name}`);
    this.activities.push({ type: f.meaning, at: this.at(daysAgo), title: f.title, url: f.pageUrl, formId: f.guid, category: f.category, source: { kind: 'form', formGuid: f.guid, conversionId: uuidFrom(this.rng) } });
    return this;
  }
  page(path: string, daysAgo: number, hour = 9): this {
    const p = PAGES.find((x) => x.path === path);
    if (!p) throw new Error(`unknown fixture page ${path}`);
    this.activities.push({ type: 'page_view', at: this.at(daysAgo, hour), title: p.title, url: `${VENDOR_SITE}${p.path}`, category: p.category, source: { kind: 'web_event', eventId: uuidFrom(this.rng) } });
    return this;
  }
  event(externalEventId: string, state: 'REGISTERED' | 'ATTENDED', registeredDaysAgo: number): this {
    const e = eventByExternalId(EVENTS_ACCOUNT_ID, externalEventId);
    if (!e) throw new Error(`unknown fixture event ${externalEventId}`);
    const at = state === 'ATTENDED' ? new Date(eventStartMs(e, this.anchorMs) + 5 * 60_000).toISOString() : this.at(registeredDaysAgo);
    const type = state === 'REGISTERED' ? 'webinar_registration' : e.type === 'WEBINAR' ? 'webinar_attendance' : 'event_attendance';
    this.activities.push({ type, at, title: e.name, category: e.type === 'WEBINAR' ? 'webinar' : 'trade_show', source: { kind: 'marketing_event', externalAccountId: e.externalAccountId, externalEventId, attendanceState: state } });
    return this;
  }
  reply(subject: string, daysAgo: number): this {
    this.activities.push({ type: 'email_reply', at: this.at(daysAgo, 15), title: subject, category: 'reply', source: { kind: 'engagement', objectType: 'emails', id: '' } });
    return this;
  }
}

/** Fixture `index` (0..5) for an anchor; throws for any other index. */
export function fixtureAt(seed: number, index: number, anchorMs: number): FixtureDraft {
  const b = new Builder(rngFor(seed, 'fixture', index), anchorMs);
  const created = (daysAgo: number): string => new Date(anchorMs - daysAgo * DAY_MS).toISOString();
  switch (index) {
    case FIXTURES.opsGuideAndWebinar:
      b.page('/quality/gmp-compliance', 12).form('Quality systems guide download', 11).event('wbn-csv-data-integrity', 'ATTENDED', 0);
      return { activities: b.activities, salesforce: [], person: person({
        firstName: 'Maren', lastName: 'Holt', email: 'maren.holt@kestrelgen-therapeutics.com', jobTitle: 'Operations Manager',
        jobFunction: 'lab_operations', seniority: 1, company: 'Kestrelgen Therapeutics', domain: 'kestrelgen-therapeutics.com',
        organizationType: 'biotech', employees: '100-500', country: 'United States', serviceInterest: 'cdmo_services' }) };
    case FIXTURES.directorTechTransfer:
      b.page('/cdmo/tech-transfer', 6).form('Tech transfer inquiry', 6).page('/services/analytical-method-validation', 4)
        .form('Validation white paper download', 4).reply('Re: Analytical method validation timelines', 3);
      return { activities: b.activities, person: person({
        firstName: 'Jürgen', lastName: 'Weiß', email: 'juergen.weiss@rhenova-biopharma.de', jobTitle: 'Director of Manufacturing',
        jobFunction: 'manufacturing', seniority: 2, company: 'Rhenova Biopharma GmbH', domain: 'rhenova-biopharma.de',
        organizationType: 'pharma', employees: '500-1000', country: 'Germany', serviceInterest: 'cdmo_services' }),
        salesforce: [{ sobject: 'Lead', id: salesforceId('00Q', 1), fields: {
          FirstName: 'Jürgen', LastName: 'Weiß', Email: 'Juergen.Weiss@rhenova-biopharma.de', Company: 'Rhenova Biopharma GmbH',
          Title: 'Director of Manufacturing', Country: 'Germany', Status: 'Open - Not Contacted', LeadSource: 'Trade Show', IsConverted: false,
          OwnerId: SALESFORCE_USER_IDS[0] ?? null, CreatedDate: created(200), HubSpot_Contact_Id__c: null } }] };
    case FIXTURES.demoFromPersonalEmail:
      b.form('Demo request', 2);
      return { activities: b.activities, salesforce: [], person: person({
        firstName: 'Sam', lastName: 'Rivera', email: 'sam.rivera.lab@gmail.com',
        flags: { freeMail: true, student: false, competitor: false, duplicateOf: null } }) };
    case FIXTURES.labTechReader:
      for (const [i, path] of ['/genomics/sample-handling', '/genomics/assay-validation', '/genomics/sample-prep-guide'].entries()) {
        for (const daysAgo of [28, 21, 14, 9, 5, 2]) b.page(path, daysAgo - (i % 2), 9 + i);
      }
      return { activities: b.activities, salesforce: [], person: person({
        firstName: 'Ngọc', lastName: 'Nguyen', email: 'ngoc.nguyen@sequira-dx.com', jobTitle: 'Lab Technician',
        jobFunction: 'lab_operations', company: 'Sequira Molecular Diagnostics', domain: 'sequira-dx.com',
        organizationType: 'diagnostics', employees: '50-100', country: 'US', serviceInterest: 'genomics_platform' }) };
    case FIXTURES.hospitalPurchasing:
      b.form('Workflow overview download', 8).event('wbn-device-setup', 'REGISTERED', 6);
      return { activities: b.activities, salesforce: [], person: person({
        firstName: 'Siobhán', lastName: 'Murphy', email: 'siobhan.murphy@highmoor-hospital.co.uk', jobTitle: 'Purchasing Assistant',
        jobFunction: 'procurement', company: 'Highmoor University Hospital', domain: 'highmoor-hospital.co.uk',
        organizationType: 'hospital', employees: '1000+', country: 'United Kingdom', serviceInterest: 'medical_devices' }) };
    case FIXTURES.toBeDisqualified:
      b.page('/cdmo/pricing', 31).form('Pricing request', 30).form('Compliance pack download', 28).page('/cdmo/gmp-manufacturing', 27);
      return { activities: b.activities, person: person({
        firstName: 'Camille', lastName: 'Dubois', email: 'camille.dubois@aurora-biosciences.fr', jobTitle: 'QA Manager',
        jobFunction: 'qa_qc', seniority: 1, company: 'Aurora Biosciences', domain: 'aurora-biosciences.fr',
        organizationType: 'biotech', employees: '50-100', country: 'France', serviceInterest: 'cdmo_services' }),
        salesforce: [{ sobject: 'Lead', id: salesforceId('00Q', 5), fields: {
          FirstName: 'Camille', LastName: 'Dubois', Email: 'camille.dubois@aurora-biosciences.fr', Company: 'Aurora Biosciences',
          Title: 'QA Manager', Country: 'France', Status: 'Working - Contacted', LeadSource: 'Web', IsConverted: false,
          OwnerId: SALESFORCE_USER_IDS[1] ?? null, CreatedDate: created(29), HubSpot_Contact_Id__c: '{hubspotId}' } }] };
    default:
      throw new RangeError(`no fixture at index ${index}`);
  }
}
