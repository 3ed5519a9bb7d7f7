import fc from 'fast-check';
import { evaluate } from '../../src/domain/evaluate';
import { ACTIVITY_TYPES, type Activity, type Contact } from '../../src/domain/types';
import { loadDefinition } from '../../src/mappings/load-definition';
import { contact, NOW } from '../fixtures/worked-examples';

const def = loadDefinition();
const NOW_MS = Date.parse(NOW);
const DAY = 86_400_000;

const orgTypes = ['biotech', 'pharma', 'cdmo', 'cro', 'academic', 'hospital', 'diagnostics', 'distributor', 'medtech', null];
const functions = ['rnd', 'qa_qc', 'regulatory', 'manufacturing', 'process_development', 'procurement', 'lab_operations', null];
const titles = ['Director of Quality', 'Lab Technician', 'PhD Student', 'Scientist', 'VP Manufacturing', null];
const domains = ['gmail.com', 'acme-bio.com', 'cellforge-bio.com', 'uni-heidelberg.de'];
const lines = ['cdmo_services', 'genomics_platform', 'medical_devices', null];
const urls = ['https://x.com/pricing', 'https://x.com/gmp/validation', 'https://x.com/services/tech-transfer', 'https://x.com/blog/ngs-basics', 'https://x.com/about'];
const textTitles = ['Quality Systems Guide', 'Tech transfer inquiry', 'Single-cell sequencing webinar', 'Newsletter', 'Device workflow overview'];

const contactArb: fc.Arbitrary<Contact> = fc
  .record({
    org: fc.constantFrom(...orgTypes),
    fn: fc.constantFrom(...functions),
    title: fc.constantFrom(...titles),
    domain: fc.constantFrom(...domains),
    company: fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: null }),
    employees: fc.option(fc.integer({ min: 1, max: 20000 }), { nil: null }),
    line: fc.constantFrom(...lines),
  })
  .map((r) =>
    contact({
      id: '1', email: `someone@${r.domain}`, jobTitle: r.title, jobFunction: r.fn, organizationType: r.org,
      company: r.company, employees: r.employees, serviceLine: r.line,
    }),
  );

const activityArb: fc.Arbitrary<Activity> = fc
  .record({
    type: fc.constantFrom(...ACTIVITY_TYPES),
    ageDays: fc.double({ min: 0, max: 400, noNaN: true }),
    url: fc.option(fc.constantFrom(...urls), { nil: undefined }),
    title: fc.option(fc.constantFrom(...textTitles), { nil: undefined }),
  })
  .map(({ type, ageDays, url, title }) => {
    const a: Activity = { type, at: new Date(NOW_MS - Math.round(ageDays * DAY)).toISOString() };
    if (url !== undefined) a.url = url;
    if (title !== undefined) a.title = title;
    return a;
  });

const activitiesArb = fc.array(activityArb, { maxLength: 30 });

describe('evaluate() properties', () => {
  test('same input -> same output', () => {
    fc.assert(fc.property(contactArb, activitiesArb, (c, acts) => {
      expect(evaluate(def, c, acts, NOW)).toEqual(evaluate(def, structuredClone(c), structuredClone(acts), NOW));
    }));
  });

  test('adding an activity with positive points never lowers the score', () => {
    fc.assert(fc.property(contactArb, activitiesArb, activityArb, (c, acts, extra) => {
      const before = evaluate(def, c, acts, NOW);
      const after = evaluate(def, c, [...acts, extra], NOW);
      expect(after.score.total).toBeGreaterThanOrEqual(before.score.total);
      expect(after.score.engagement).toBeGreaterThanOrEqual(before.score.engagement);
    }));
  });

  test('a decayed old activity counts less than the same activity today', () => {
    fc.assert(fc.property(contactArb, fc.constantFrom(...ACTIVITY_TYPES), fc.integer({ min: 1, max: 364 }), (c, type, age) => {
      const today = evaluate(def, c, [{ type, at: NOW }], NOW);
      const old = evaluate(def, c, [{ type, at: new Date(NOW_MS - age * DAY).toISOString() }], NOW);
      if (today.score.engagement > 0) expect(old.score.engagement).toBeLessThan(today.score.engagement);
      else expect(old.score.engagement).toBe(0);
    }));
  });

  test('every result carries the definition version', () => {
    fc.assert(fc.property(contactArb, activitiesArb, (c, acts) => {
      expect(evaluate(def, c, acts, NOW).definitionVersion).toBe('ls-default-2026.11');
    }));
  });

  test('an excluded contact is never an MQL', () => {
    const excluded = contactArb.map((c) => ({ ...c, email: 'rival@cellforge-bio.com' }));
    fc.assert(fc.property(excluded, activitiesArb, (c, acts) => {
      const result = evaluate(def, c, acts, NOW);
      expect(result).toMatchObject({ mql: false, status: 'excluded', excludedBy: 'competitor', tier: null });
    }));
  });

  test('MQL needs fit and engagement together, unless high intent flags it (lowest tier)', () => {
    fc.assert(fc.property(contactArb, activitiesArb, (c, acts) => {
      const r = evaluate(def, c, acts, NOW);
      if (!r.mql) return;
      const byThresholds = r.score.fit >= 20 && r.score.engagement >= 20;
      expect(byThresholds || (r.reasons[0]!.rule === 'highIntent' && r.tier === 'C')).toBe(true);
    }));
  });

  test('activities after "now" and beyond the look-back are ignored', () => {
    const c = contact({ id: '9', organizationType: 'biotech', jobFunction: 'qa_qc' });
    const future = { type: 'demo_request' as const, at: new Date(NOW_MS + DAY).toISOString() };
    const ancient = { type: 'demo_request' as const, at: new Date(NOW_MS - 366 * DAY).toISOString() };
    expect(evaluate(def, c, [future, ancient], NOW).score.engagement).toBe(0);
  });

  test('unparseable dates are ignored', () => {
    const c = contact({ id: '9' });
    expect(evaluate(def, c, [{ type: 'content_download', at: NOW }, { type: 'content_download', at: 'not a date' }], NOW).score.engagement).toBe(15);
  });

  test('an invalid "now" is refused', () => {
    expect(() => evaluate(def, contact({ id: '1' }), [], 'yesterday')).toThrow(/not a valid date/);
  });
});
