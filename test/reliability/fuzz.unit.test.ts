/**
 * Property tests (fast-check) of what turns outside input into the service's own: the webhook
 * parser, and the mapping transforms (HubSpot record -> Contact, plan -> new Lead fields and
 * lifecycle properties, Salesforce record -> sales outcome, value comparison). Whatever comes
 * in, they never throw, stay within Salesforce's limits, and a second run writes nothing.
 */
import fc from 'fast-check';
import { employeesLowerBound, toContact } from '../../connectors/hubspot/normalise';
import { outcomeOf } from '../../connectors/salesforce/outcome-map';
import { webhookBatchSchema } from '../../jobs/webhooks';
import { outcomeFromRecord } from '../../src/domain/outcomes';
import { plan, type PlanContext } from '../../src/domain/plan';
import { ACTIVITY_TYPES, type Activity, type Contact } from '../../src/domain/types';
import { diff, fitText, type ValueKind } from '../../src/domain/values';
import { loadMappings } from '../../src/mappings/load';

const mappings = loadMappings();
const ctx: PlanContext = { definition: mappings.definition, fields: mappings.fields, reasons: mappings.reasons, routing: mappings.routing };
const NOW = '2026-11-20T12:00:00.000Z';
const RUNS = { numRuns: 300 };

/** Text as HubSpot may hold it: ordinary, blank, padded, unicode, very long, or null. */
const text = fc.oneof(
  fc.constantFrom('Director of Manufacturing', 'QA Lead', 'Helix Bio', 'Germany', 'cdmo_services', 'biotech', 'manufacturing', '500-1000', '1000+', '  ', ''),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ minLength: 250, maxLength: 400 }),
);
const email = fc.oneof(fc.emailAddress(), fc.constantFrom('Anna.Berg@Helix-Bio.EXAMPLE', 'zoë.müller@universität.example', `${'a'.repeat(80)}@x.example`, 'no-at-sign', ''));

const contactArb: fc.Arbitrary<Contact> = fc.record({
  id: fc.integer({ min: 1, max: 1e12 }).map(String),
  email: fc.option(email, { nil: null }),
  firstName: fc.option(text, { nil: null }),
  lastName: fc.option(text, { nil: null }),
  jobTitle: fc.option(text, { nil: null }),
  jobFunction: fc.option(fc.constantFrom('manufacturing', 'qa_qc', 'rnd', 'procurement', 'other'), { nil: null }),
  company: fc.option(text, { nil: null }),
  organizationType: fc.option(fc.constantFrom('biotech', 'pharma', 'cdmo', 'hospital', 'academic', 'other'), { nil: null }),
  employees: fc.option(fc.integer({ min: 0, max: 200_000 }), { nil: null }),
  country: fc.option(text, { nil: null }),
  serviceLine: fc.option(fc.constantFrom('cdmo_services', 'genomics_platform', 'medical_devices', 'cell_therapy'), { nil: null }),
  properties: fc.constant({}),
});
const activitiesArb: fc.Arbitrary<Activity[]> = fc.array(
  fc.record({
    type: fc.constantFrom(...ACTIVITY_TYPES),
    at: fc.integer({ min: Date.parse(NOW) - 400 * 86_400_000, max: Date.parse(NOW) }).map((ms) => new Date(ms).toISOString()),
    title: fc.option(text, { nil: undefined }),
    url: fc.option(fc.webUrl(), { nil: undefined }),
  }, { requiredKeys: ['type', 'at'] }),
  { maxLength: 12 },
);

describe('the webhook parser', () => {
  const field = fc.oneof(fc.integer(), fc.string({ maxLength: 12 }), fc.constant(null), fc.boolean(), fc.constant(undefined), fc.array(fc.integer(), { maxLength: 2 }));
  const nearEvent = fc.record({
    eventId: field, subscriptionId: field, portalId: field, occurredAt: fc.oneof(fc.integer(), field), attemptNumber: field,
    subscriptionType: fc.oneof(fc.constantFrom('contact.creation', 'contact.propertyChange', 'contact.deletion', 'contact.merge', 'contact.privacyDeletion', 'deal.creation', ''), field),
    objectId: fc.oneof(fc.integer({ min: 1 }), field), propertyName: field, propertyValue: field, changeSource: field,
    mergedObjectIds: fc.oneof(fc.array(fc.integer({ min: 1 }), { maxLength: 3 }), field), primaryObjectId: field,
  }, { requiredKeys: [] });

  test('any JSON value: accepted as a batch of well-typed events, or refused with an issue; never a throw', () => {
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), fc.array(nearEvent, { maxLength: 5 })), (body) => {
      const parsed = webhookBatchSchema.safeParse(body);
      if (!parsed.success) return void expect(parsed.error.issues.length).toBeGreaterThan(0);
      expect(parsed.data.length).toBeGreaterThanOrEqual(1);
      for (const e of parsed.data) {
        expect(typeof e.eventId).toBe('string');
        expect(typeof e.objectId).toBe('string');
        expect(Number.isFinite(e.occurredAt)).toBe(true);
        expect(e.subscriptionType.length).toBeGreaterThan(0);
        for (const id of e.mergedObjectIds ?? []) expect(typeof id).toBe('string');
      }
    }), { numRuns: 2000 });
  });

  test('JSON text of any shape: JSON.parse then the schema never throws anything but a SyntaxError', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json()), (raw) => {
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch (error) {
        return void expect(error).toBeInstanceOf(SyntaxError);
      }
      expect(() => webhookBatchSchema.safeParse(json)).not.toThrow();
    }), { numRuns: 1000 });
  });
});

describe('mapping transforms', () => {
  test('HubSpot record -> Contact: every field is null or trimmed text; the band is a finite lower bound', () => {
    const names = [...Object.values(mappings.fields.hubspot.contact).filter((n): n is string => typeof n === 'string'), 'other'];
    const props = fc.dictionary(fc.constantFrom(...names), fc.option(text, { nil: null }));
    fc.assert(fc.property(fc.integer({ min: 1 }).map(String), props, (id, properties) => {
      const c = toContact({ id, properties, updatedAt: NOW }, mappings.fields);
      expect(c.id).toBe(id);
      for (const key of ['email', 'firstName', 'lastName', 'jobTitle', 'jobFunction', 'company', 'organizationType', 'country', 'serviceLine'] as const) {
        const value = c[key];
        if (value !== null) expect(value).toBe(value.trim());
        if (value !== null) expect(value.length).toBeGreaterThan(0);
      }
      if (c.employees !== null) expect(Number.isFinite(c.employees) && c.employees >= 0).toBe(true);
    }), RUNS);
    fc.assert(fc.property(fc.string(), (band) => {
      const n = employeesLowerBound(band);
      expect(n === null || (Number.isFinite(n) && n >= 0)).toBe(true);
    }), RUNS);
  });

  test('plan: a new Lead never exceeds the field lengths of fields.yaml, and syncing the result again writes nothing', () => {
    const limits = Object.entries(mappings.fields.salesforce.createLeads.fields).flatMap(([api, source]) => ('maxLength' in source && source.maxLength ? [[api, source.maxLength] as const] : []));
    const names = mappings.fields.hubspot.lifecycle.properties;
    fc.assert(fc.property(contactArb, activitiesArb, (contact, activities) => {
      const first = plan(ctx, {}, { contact, activities, record: null, now: NOW });
      const lead = first.salesforce.create?.fields;
      if (lead) {
        for (const [api, max] of limits) if (typeof lead[api] === 'string') expect((lead[api] as string).length).toBeLessThanOrEqual(max);
        expect(Object.values(lead).every((v) => v !== undefined)).toBe(true);
        expect(first.salesforce.task?.key).toMatch(/^lsync:\d+:\d+$/);
      }
      // What the first sync wrote, as both systems now hold it.
      const record = lead ? { sobject: 'Lead' as const, id: '00Q8d000000TEST1AAA', fields: { ...lead } } : null;
      const props: Record<string, string | null> = { ...first.hubspot, ...(record ? { [names.salesforceId]: record.id } : {}) };
      const again = plan(ctx, props, { contact, activities, record, now: NOW });
      expect(again.hubspot).toEqual({});
      expect(again.salesforce.update).toBeUndefined();
      expect(again.salesforce.create).toBeUndefined();
      expect(again.after.stage).toBe(first.after.stage);
      if (again.salesforce.task) expect(again.salesforce.task.key).toBe(first.salesforce.task!.key);
    }), RUNS);
  });

  test('Salesforce record -> sales outcome: null or a mapped kind, with a reason when one is required; never a throw', () => {
    const statuses = [...Object.keys(mappings.reasons.statuses), 'Open - Not Contacted', 'Something New'];
    const fields = fc.record({
      Status: fc.option(fc.oneof(fc.constantFrom(...statuses, 'constructor', '__proto__'), fc.string()), { nil: null }),
      Lifecycle_Status__c: fc.option(fc.constantFrom(...statuses), { nil: null }),
      Disqualification_Reason__c: fc.option(fc.oneof(fc.constantFrom(...Object.keys(mappings.reasons.disqualificationReasons)), fc.string()), { nil: null }),
      Recycle_Reason__c: fc.option(fc.string(), { nil: null }),
      SQL_Date__c: fc.option(fc.oneof(fc.constant('2026-11-19'), fc.string()), { nil: null }),
    });
    fc.assert(fc.property(fc.constantFrom('Lead' as const, 'Contact' as const), fields, (sobject, values) => {
      // The planner's reading and the outcome poll's (connector) reading of the same record.
      const readings = [outcomeFromRecord(sobject, values, mappings, NOW), outcomeOf({ sobject, id: '00Q8d000000TEST1AAA', fields: { ...values, SystemModstamp: NOW } }, mappings.fields.salesforce, mappings.reasons)];
      for (const outcome of readings) {
        if (outcome === null) continue;
        expect(['accepted', 'sql', 'opportunity', 'disqualified', 'recycled']).toContain(outcome.kind);
        expect(Number.isFinite(Date.parse(outcome.at))).toBe(true);
        if (outcome.reason !== undefined) expect(typeof outcome.reason).toBe('string');
      }
      expect(readings[0]?.kind).toBe(readings[1]?.kind);
      // What HubSpot is given always says why (a reason, or "No reason given").
      const written = readings[0];
      if (written?.kind === 'disqualified' || written?.kind === 'recycled') expect(written.reason?.length).toBeGreaterThan(0);
    }), RUNS);
  });

  test('value comparison: a value never differs from itself in any spelling Salesforce or HubSpot returns; cut text fits', () => {
    const kinds: Record<string, ValueKind> = { n: 'number', d: 'datetime', b: 'boolean', t: 'text' };
    fc.assert(fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }), fc.boolean(), fc.string(), (n, d, b, t) => {
      const desired = { n: Math.round(n * 10) / 10, d: d.toISOString(), b, t };
      const held = { n: String(desired.n), d: String(d.getTime()), b: String(b), t };
      expect(diff(kinds, held, desired)).toEqual({});
      expect(diff(kinds, desired, desired)).toEqual({});
    }), RUNS);
    fc.assert(fc.property(fc.string({ maxLength: 6000 }), fc.integer({ min: 2, max: 4000 }), (value, max) => {
      expect(fitText(value, max).length).toBeLessThanOrEqual(max);
    }), RUNS);
  });
});
