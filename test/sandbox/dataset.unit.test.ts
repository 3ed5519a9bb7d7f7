import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { evaluate } from '../../src/domain/evaluate';
import type { Contact } from '../../src/domain/types';
import { parseActivitiesMapping } from '../../src/mappings/activities';
import { loadDefinition } from '../../src/mappings/load-definition';
import {
  COMPETITORS, FIXTURES, FORMS, FREE_MAIL_DOMAINS, MARKETING_EVENTS, PAGES, VENDOR_SITE, contactIdOf, generateContact,
  indexOfContactId, salesforceSeedRecords, type SeedContact,
} from '../../sandbox/dataset';

const options = { seed: 42, anchor: '2026-11-20T00:00:00.000Z' };
const SAMPLE = 20_000;

function toDomainContact(c: SeedContact): Contact {
  const p = c.properties;
  return {
    id: c.id, email: p.email ?? null, firstName: p.firstname ?? null, lastName: p.lastname ?? null, jobTitle: p.jobtitle ?? null,
    jobFunction: p.ls_job_function ?? null, company: p.company ?? null, organizationType: p.ls_organization_type ?? null,
    employees: p.numemployees ? Number.parseInt(p.numemployees, 10) : null, country: p.country ?? null,
    serviceLine: p.ls_service_interest || null, properties: p,
  };
}

describe('generateContact', () => {
  it('is a pure function of (seed, anchor, index)', () => {
    for (const index of [0, 5, 6, 7, 999, 123_456, 999_999]) {
      expect(generateContact(options, index)).toEqual(generateContact({ ...options }, index));
    }
    expect(generateContact({ ...options, seed: 43 }, 100)).not.toEqual(generateContact(options, 100));
  });

  it('maps ids to indexes both ways', () => {
    expect(contactIdOf(0)).toBe('10001');
    expect(indexOfContactId('10001')).toBe(0);
    expect(indexOfContactId(contactIdOf(777_777))).toBe(777_777);
    expect(indexOfContactId('abc')).toBe(-1);
    expect(indexOfContactId('5')).toBe(-1);
  });

  it('keeps every activity in the year before the anchor, oldest first, with a source', () => {
    const anchor = Date.parse(options.anchor);
    for (let i = 0; i < 2_000; i++) {
      const c = generateContact(options, i);
      const times = c.activities.map((a) => Date.parse(a.at));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      for (const a of c.activities) {
        expect(Date.parse(a.at)).toBeLessThanOrEqual(anchor);
        if (a.source.kind !== 'marketing_event') expect(Date.parse(a.at)).toBeGreaterThan(anchor - 366 * 86_400_000);
        if (a.source.kind === 'engagement') expect(a.source.id).toMatch(/^\d+$/);
      }
      expect(Date.parse(c.properties.createdate ?? '')).toBeLessThanOrEqual(Date.parse(c.properties.lastmodifieddate ?? ''));
    }
  });
});

describe('the data set at scale', () => {
  const stats = { freeMail: 0, student: 0, competitor: 0, activities: 0, none: 0, over25: 0, salesforce: 0, mql: 0, excluded: 0, tooLongCompany: 0, nearLimitEmail: 0, nullJobTitle: 0, unicode: 0 };
  const lastModified = new Map<string, number>();
  const definition = loadDefinition(path.join(__dirname, '../../mappings/mql-definition.yaml'));
  const competitorDomains = new Set(COMPETITORS.map((c) => c.domain));

  beforeAll(() => {
    for (let i = 0; i < SAMPLE; i++) {
      const c = generateContact(options, i);
      const p = c.properties;
      const domain = p.email?.split('@')[1]?.toLowerCase() ?? '';
      if (FREE_MAIL_DOMAINS.includes(domain)) stats.freeMail++;
      if (/student|undergraduate/i.test(p.jobtitle ?? '')) stats.student++;
      if (competitorDomains.has(domain)) stats.competitor++;
      stats.activities += c.activities.length;
      if (c.activities.length === 0) stats.none++;
      if (c.activities.length > 25) stats.over25++;
      if (c.salesforce.length > 0) stats.salesforce++;
      if ((p.company ?? '').length > 255) stats.tooLongCompany++;
      if ((p.email ?? '').length >= 76) stats.nearLimitEmail++;
      if (p.jobtitle === null) stats.nullJobTitle++;
      if (/[^\u0000-\u007f]/.test(`${p.firstname ?? ''}${p.lastname ?? ''}`)) stats.unicode++;
      const evaluation = evaluate(definition, toDomainContact(c), c.activities, options.anchor);
      if (evaluation.mql) stats.mql++;
      if (evaluation.status === 'excluded') stats.excluded++;
      const modified = p.lastmodifieddate ?? '';
      lastModified.set(modified, (lastModified.get(modified) ?? 0) + 1);
    }
  });

  const share = (n: number): number => n / SAMPLE;

  it('carries the dirt of a real portal in the intended proportions', () => {
    expect(share(stats.freeMail)).toBeGreaterThan(0.065);
    expect(share(stats.freeMail)).toBeLessThan(0.095);
    expect(share(stats.student)).toBeGreaterThan(0.02);
    expect(share(stats.student)).toBeLessThan(0.04);
    expect(share(stats.competitor)).toBeGreaterThan(0.005);
    expect(share(stats.competitor)).toBeLessThan(0.015);
    expect(stats.tooLongCompany).toBeGreaterThan(0);
    expect(stats.nearLimitEmail).toBeGreaterThan(0);
    expect(share(stats.nullJobTitle)).toBeGreaterThan(0.05);
    expect(share(stats.unicode)).toBeGreaterThan(0.1);
  });

  it('has about eight activities per contact, some none and some up to thirty', () => {
    expect(stats.activities / SAMPLE).toBeGreaterThan(6.5);
    expect(stats.activities / SAMPLE).toBeLessThan(9.5);
    expect(share(stats.none)).toBeGreaterThan(0.08);
    expect(stats.over25).toBeGreaterThan(0);
  });

  it('qualifies 10-20% as MQL under the default definition', () => {
    expect(share(stats.mql)).toBeGreaterThan(0.1);
    expect(share(stats.mql)).toBeLessThan(0.2);
    expect(share(stats.excluded)).toBeGreaterThan(0.03);
  });

  it('gives about 20% of contacts pre-existing Salesforce records', () => {
    expect(share(stats.salesforce)).toBeGreaterThan(0.17);
    expect(share(stats.salesforce)).toBeLessThan(0.23);
  });

  it('lets many contacts share one lastmodifieddate (bulk updates)', () => {
    const shared = [...lastModified.values()].filter((n) => n > 1);
    expect(shared.length).toBeGreaterThan(10);
    expect(Math.max(...shared)).toBeGreaterThan(50);
  });
});

describe('Salesforce seed records', () => {
  const records = [...salesforceSeedRecords(options, 5_000)];

  it('have unique 18-character ids with the right key prefixes', () => {
    const ids = records.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of records) {
      expect(r.id).toMatch(/^[a-zA-Z0-9]{18}$/);
      expect(r.id.startsWith(r.sobject === 'Lead' ? '00Q' : '003')).toBe(true);
    }
  });

  it('include Leads linked by HubSpot id, Leads matched only by e-mail (some in other case), duplicates and conversions', () => {
    const leads = records.filter((r) => r.sobject === 'Lead');
    expect(leads.some((r) => r.fields.HubSpot_Contact_Id__c)).toBe(true);
    expect(leads.some((r) => !r.fields.HubSpot_Contact_Id__c)).toBe(true);
    expect(leads.some((r) => /[A-Z]/.test(String(r.fields.Email)))).toBe(true);
    const byEmail = new Map<string, number>();
    for (const r of leads) byEmail.set(String(r.fields.Email).toLowerCase(), (byEmail.get(String(r.fields.Email).toLowerCase()) ?? 0) + 1);
    expect([...byEmail.values()].some((n) => n > 1)).toBe(true);
    const converted = leads.filter((r) => r.fields.IsConverted === true);
    expect(converted.length).toBeGreaterThan(0);
    for (const lead of converted) expect(records.some((r) => r.id === lead.convertedContactId && r.sobject === 'Contact')).toBe(true);
    for (const r of records) expect(String(r.fields.Email).length).toBeLessThanOrEqual(80);
  });
});

describe('the worked examples (fixtures 0..5)', () => {
  const definition = loadDefinition(path.join(__dirname, '../../mappings/mql-definition.yaml'));
  const at = (index: number): SeedContact => generateContact(options, index);
  const evaluated = (index: number) => evaluate(definition, toDomainContact(at(index)), at(index).activities, options.anchor);

  it('example 1: guide download and validation webinar -> MQL', () => {
    const c = at(FIXTURES.opsGuideAndWebinar);
    expect(c.activities.map((a) => a.type)).toEqual(expect.arrayContaining(['content_download', 'webinar_attendance']));
    expect(evaluated(FIXTURES.opsGuideAndWebinar).mql).toBe(true);
  });

  it('example 2: director of manufacturing, tech transfer and method validation in one week -> MQL, with a Lead in Salesforce', () => {
    const c = at(FIXTURES.directorTechTransfer);
    expect(c.properties.jobtitle).toBe('Director of Manufacturing');
    const days = c.activities.map((a) => Date.parse(a.at));
    expect(Math.max(...days) - Math.min(...days)).toBeLessThanOrEqual(7 * 86_400_000);
    expect(c.salesforce).toHaveLength(1);
    expect(evaluated(FIXTURES.directorTechTransfer).mql).toBe(true);
  });

  it('example 3: demo request from a personal address without a company -> MQL at most, by the high-intent rule', () => {
    const c = at(FIXTURES.demoFromPersonalEmail);
    expect(c.properties.email).toMatch(/@gmail\.com$/);
    expect(c.properties.company).toBeNull();
    expect(c.activities.map((a) => a.type)).toEqual(['demo_request']);
    const e = evaluated(FIXTURES.demoFromPersonalEmail);
    expect(e.status).toBe('mql');
    expect(e.score.fit).toBeLessThan(0);
  });

  it('example 4: lab technician reading sample-handling and assay-validation pages -> below MQL', () => {
    const c = at(FIXTURES.labTechReader);
    expect(c.properties.jobtitle).toBe('Lab Technician');
    expect(c.activities.length).toBeGreaterThan(10);
    expect(new Set(c.activities.map((a) => a.category))).toEqual(new Set(['sample_handling', 'assay_validation']));
    expect(evaluated(FIXTURES.labTechReader).mql).toBe(false);
  });

  it('example 5: hospital purchasing assistant, workflow overview and setup webinar registration -> MQL', () => {
    const c = at(FIXTURES.hospitalPurchasing);
    expect(c.properties.ls_organization_type).toBe('hospital');
    expect(c.activities.map((a) => a.type)).toEqual(['content_download', 'webinar_registration']);
    expect(evaluated(FIXTURES.hospitalPurchasing).mql).toBe(true);
  });

  it('example 6: an MQL whose Salesforce Lead already carries its HubSpot id (for sales to disqualify)', () => {
    const c = at(FIXTURES.toBeDisqualified);
    expect(c.salesforce[0]?.fields.HubSpot_Contact_Id__c).toBe(c.id);
    expect(evaluated(FIXTURES.toBeDisqualified).mql).toBe(true);
  });
});

describe('mappings/activities.yaml', () => {
  const mapping = parse(readFileSync(path.join(__dirname, '../../mappings/activities.yaml'), 'utf8')) as {
    forms: Array<{ guid: string; type: string; title: string }>;
    pages: { categories: Array<{ category: string; urlMatches: string }> };
    marketingEvents: { webinarTypes: string[]; tradeShowTypes: string[] };
  };

  it('is valid under the connector\'s schema', () => {
    const file = path.join(__dirname, '../../mappings/activities.yaml');
    expect(parseActivitiesMapping(readFileSync(file, 'utf8'), file).forms).toHaveLength(FORMS.length);
  });

  it('maps every sandbox form to the meaning and title the data set gives it', () => {
    expect(mapping.forms.map((f) => f.guid).sort()).toEqual(FORMS.map((f) => f.guid).sort());
    for (const form of FORMS) {
      const entry = mapping.forms.find((f) => f.guid === form.guid);
      expect(entry).toMatchObject({ type: form.meaning, title: form.title });
    }
  });

  it('classifies every sandbox page into the category the data set gives it', () => {
    for (const page of PAGES) {
      const hit = mapping.pages.categories.find((c) => new RegExp(c.urlMatches, 'i').test(page.path));
      expect([page.path, hit?.category]).toEqual([page.path, page.category]);
    }
    expect(VENDOR_SITE).toMatch(/^https:\/\//);
  });

  it('knows every marketing event type of the portal', () => {
    for (const e of MARKETING_EVENTS) expect([...mapping.marketingEvents.webinarTypes, ...mapping.marketingEvents.tradeShowTypes]).toContain(e.type);
  });
});
