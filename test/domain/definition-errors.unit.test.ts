import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { parseDefinition } from '../../src/domain/definition/parse';
import { DefinitionError } from '../../src/domain/errors';
import { DEFAULT_DEFINITION_PATH, loadDefinition } from '../../src/mappings/load-definition';
import { evaluate } from '../../src/domain/evaluate';
import { examples, NOW } from '../fixtures/worked-examples';

const text = readFileSync(DEFAULT_DEFINITION_PATH, 'utf8');

/** Edits the default file through the YAML document model, keeping the rest intact. */
function edited(path: Array<string | number>, value: unknown): string {
  const doc = parseDocument(text);
  if (value === undefined) doc.deleteIn(path);
  else doc.setIn(path, value);
  return doc.toString();
}

function errorOf(source: string): DefinitionError {
  try {
    parseDefinition(source, 'mappings/bad.yaml');
  } catch (error) {
    if (error instanceof DefinitionError) return error;
    throw error;
  }
  throw new Error('expected a DefinitionError');
}

describe('definition file errors name file, line, path, value and expectation', () => {
  test('the shipped default is valid', () => {
    expect(loadDefinition().version).toBe('ls-default-2026.11');
  });

  test('unknown activity type', () => {
    const e = errorOf(edited(['engagement', 'types', 'webinar_attendence'], { points: 5 }));
    expect(e.path).toBe('engagement.types.webinar_attendence');
    expect(e.message).toMatch(/^mappings\/bad\.yaml:\d+ at engagement\.types\.webinar_attendence: unknown activity type; expected one of page_view, .*webinar_attendance/);
    expect(e.message).toContain('(got "webinar_attendence")');
  });

  test('unknown activity type in a refinement', () => {
    const e = errorOf(edited(['engagement', 'refinements', 0, 'when', 'type'], 'pageview'));
    expect(e.path).toBe('engagement.refinements[0].when.type');
    expect(e.message).toMatch(/"pageview"/);
  });

  test('negative half-life', () => {
    const e = errorOf(edited(['engagement', 'halfLifeDays'], -3));
    expect(e.path).toBe('engagement.halfLifeDays');
    expect(e.message).toMatch(/expected number to be >0.*\(got -3\)/);
    expect(e.file).toMatch(/^mappings\/bad\.yaml:\d+$/);
  });

  test('missing thresholds', () => {
    const e = errorOf(edited(['thresholds'], undefined));
    expect(e.path).toBe('thresholds');
    expect(e.message).toMatch(/thresholds: missing; expected object/);
  });

  test('missing engagement threshold', () => {
    const e = errorOf(edited(['thresholds', 'engagement'], undefined));
    expect(e.message).toMatch(/at thresholds\.engagement: missing; expected number/);
  });

  test('YAML syntax error gives line and column', () => {
    const e = errorOf(text.replace('lookbackDays: 365', 'lookbackDays: [365'));
    expect(e.message).toMatch(/^mappings\/bad\.yaml:\d+:\d+: YAML syntax error/);
  });

  test('misspelt key is refused, not ignored', () => {
    const e = errorOf(edited(['hysteresis', 'minDaysInMQL'], 3));
    expect(e.message).toMatch(/at hysteresis: Unrecognized key: "minDaysInMQL"/);
  });

  test('invalid regular expression', () => {
    const e = errorOf(edited(['fit', 'rules', 5, 'when', 'matches'], '(unclosed'));
    expect(e.path).toBe('fit.rules[5].when.matches');
    expect(e.message).toMatch(/not a valid regular expression.*\(got "\(unclosed"\)/);
  });

  test('default service line must exist', () => {
    const e = errorOf(edited(['serviceLines', 'default'], 'oncology'));
    expect(e.message).toMatch(/serviceLines\.default: must name one of serviceLines\.lines \(general, .*\) \(got "oncology"\)/);
  });

  test('exit threshold above entry threshold', () => {
    const e = errorOf(edited(['hysteresis', 'exitEngagement'], 50));
    expect(e.path).toBe('hysteresis.exitEngagement');
  });

  test('last tier must catch every MQL', () => {
    const e = errorOf(edited(['tiers', 2, 'minTotal'], 10));
    expect(e.path).toBe('tiers[2]');
  });

  test('duplicate rule id', () => {
    const e = errorOf(edited(['fit', 'rules', 1, 'id'], 'org-core'));
    expect(e.message).toMatch(/fit\.rules\[1\]\.id: duplicate rule id \(got "org-core"\)/);
  });

  test('a condition with no operator', () => {
    const e = errorOf(edited(['exclusions', 0, 'when'], { field: 'email' }));
    expect(e.message).toMatch(/give an operator/);
  });

  test('not a mapping at all', () => {
    expect(errorOf('- just\n- a list\n').message).toMatch(/expected a mapping/);
  });

  test('missing file names the file', () => {
    expect(() => loadDefinition('mappings/nope.yaml')).toThrow(/mappings\/nope\.yaml: file not found/);
  });

  test('fuzz: any text either parses or fails with a DefinitionError, never anything else', () => {
    const fragments = fc.constantFrom(text, text.slice(0, 400), 'version: 1', ': :', '{}', '[', 'thresholds: {fit: x}', '\t- a', '');
    fc.assert(fc.property(fragments, fc.string(), fc.nat(2000), (base, noise, at) => {
      const source = base.slice(0, at) + noise + base.slice(at);
      try {
        parseDefinition(source, 'f.yaml');
      } catch (error) {
        expect(error).toBeInstanceOf(DefinitionError);
      }
    }), { numRuns: 1000 });
  });

  /** Paths of every scalar in the default file, e.g. ['fit', 'rules', 3, 'points']. */
  const scalarPaths = (value: unknown, at: Array<string | number> = []): Array<Array<string | number>> =>
    Array.isArray(value) ? value.flatMap((v, i) => scalarPaths(v, [...at, i]))
      : value && typeof value === 'object' ? Object.entries(value).flatMap(([k, v]) => scalarPaths(v, [...at, k]))
        : [at];

  test('fuzz: any value at any place of the default file either loads and evaluates, or fails with a located DefinitionError', () => {
    const paths = scalarPaths(parseDocument(text).toJS());
    const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(-1, 0, 1e9, Number.NaN, '', '(', '[a-', 'mql', 'page_view', null, true));
    fc.assert(fc.property(fc.constantFrom(...paths), value, (path, v) => {
      let definition;
      try {
        definition = parseDefinition(edited(path, v), 'f.yaml');
      } catch (error) {
        expect(error).toBeInstanceOf(DefinitionError);
        expect((error as Error).message).toMatch(/^f\.yaml(:\d+)?( at \S+)?: \S/);
        return;
      }
      // Whatever loads must evaluate without throwing, whatever the contact.
      for (const n of [1, 3, 4] as const) evaluate(definition, examples[n].contact, examples[n].activities, NOW);
    }), { numRuns: 400 });
  });
});

test('a bad pattern in a service line refinement is located in that line', () => {
  const e = errorOf(edited(['serviceLines', 'lines', 'cdmo_services', 'engagement', 'refinements', 0, 'when', 'titleMatches'], '*oops'));
  expect(e.path).toBe('serviceLines.lines.cdmo_services.engagement.refinements[0].when.titleMatches');
});
