import { parse } from 'yaml';
import { diffDefinitions, formatDiff } from '../../src/domain/definition/diff';
import { parseDefinition } from '../../src/domain/definition/parse';
import { defaultText, variant, variantText } from '../fixtures/definitions';

const base = parseDefinition(defaultText(), 'mql-definition.yaml').source;

describe('definition diff', () => {
  test('identical definitions differ in nothing; a new label alone is the version change', () => {
    expect(diffDefinitions(base, base)).toEqual([]);
    const relabelled = variant('v2', () => undefined).source;
    expect(diffDefinitions(base, relabelled)).toEqual([{ change: 'changed', item: 'version', details: ['"ls-default-2026.11" -> "v2"'] }]);
  });

  test('rule by rule: changed points, thresholds, added and removed rules, service-line overrides', () => {
    const next = variant('v2', (d) => {
      d.thresholds.fit = 30;
      d.fit.rules.find((r) => r.id === 'seniority')!.points = 15;
      d.fit.rules = d.fit.rules.filter((r) => r.id !== 'no-company');
      d.fit.rules.push({ id: 'region-eu', when: { field: 'country', in: ['DE', 'FR'] }, points: 5, reason: 'EU' });
      d.engagement.types.page_view = { points: 2, cap: 12, label: 'Website page views' };
      d.exclusions = d.exclusions.filter((e) => e.id !== 'student');
      d.serviceLines.lines.genomics_platform!.thresholds = { engagement: 30 };
      d.tiers[0]!.minTotal = 95;
    }).source;
    const changes = diffDefinitions(base, next);
    const by = (item: string) => changes.find((c) => c.item === item);
    expect(by('MQL thresholds')).toEqual({ change: 'changed', item: 'MQL thresholds', details: ['fit 20 -> 30'] });
    expect(by('fit rule seniority')).toEqual({ change: 'changed', item: 'fit rule seniority', details: ['points 10 -> 15'] });
    expect(by('fit rule no-company')?.change).toBe('removed');
    expect(by('fit rule region-eu')).toMatchObject({ change: 'added', details: expect.arrayContaining(['points 5']) });
    expect(by('engagement type page_view')?.details).toEqual(['points 1 -> 2', 'cap 8 -> 12']);
    expect(by('exclusion student')?.change).toBe('removed');
    expect(by('service line genomics_platform: thresholds')?.details).toEqual(['engagement 25 -> 30']);
    expect(by('tier A')?.details).toEqual(['minTotal 90 -> 95']);
    // Nothing else: unchanged rules are not listed.
    expect(changes).toHaveLength(9);
    const text = formatDiff(base, next, changes);
    expect(text).toMatch(/^ls-default-2026.11 -> v2: 9 change\(s\)/);
    expect(text).toContain('~ fit rule seniority: points 10 -> 15');
    expect(text).toContain('- exclusion student');
  });

  test('reordered fit rules are no change; reordered refinements and tiers are (first match wins)', () => {
    const reordered = parse(variantText('v3', (d) => d.fit.rules.reverse()));
    const compiled = parseDefinition(JSON.stringify(reordered), 'v3.yaml').source;
    expect(diffDefinitions(base, compiled).map((c) => c.item)).toEqual(['version']);
    const tiers = variant('v4', (d) => {
      d.tiers = [d.tiers[1]!, d.tiers[0]!, d.tiers[2]!];
    }).source;
    expect(diffDefinitions(base, tiers).map((c) => c.item)).toContain('tier order');
    const refinements = variant('v5', (d) => d.engagement.refinements.reverse()).source;
    expect(diffDefinitions(base, refinements).find((c) => c.item === 'refinement order')?.details).toEqual(['pricing-pages, gmp-validation-pages, tech-transfer-pages, quality-content -> quality-content, tech-transfer-pages, gmp-validation-pages, pricing-pages']);
  });
});
