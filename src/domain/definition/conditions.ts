/** Compiles definition conditions and activity matchers into fast predicates. */
import type { Activity, Contact } from '../types';
import type { ActivityMatch, Condition, FieldTest } from './schema';

/** A compiled condition: whether it holds, and the value to quote in the reason. */
export type ContactPredicate = (contact: Contact) => { holds: boolean; value: string };

/** An activity with its url and title already classified against the definition's patterns. */
export interface ClassifiedActivity {
  activity: Activity;
  url: Uint8Array;
  title: Uint8Array;
}
export type ActivityPredicate = (a: ClassifiedActivity) => boolean;

/** Patterns evaluated once per distinct text; implemented by TextPatterns (kept apart to avoid an import cycle). */
export interface PatternRegistry {
  register(pattern: string, path: string): number;
  flags(text: string | undefined): Uint8Array;
}

/** Thrown with the relative path of the bad pattern; the loader adds file and prefix. */
export class PatternError extends Error {
  constructor(
    readonly path: string,
    readonly pattern: string,
    message: string,
  ) {
    super(message);
    this.name = 'PatternError';
  }
}

export function compileRegex(pattern: string, path: string): RegExp {
  try {
    return new RegExp(pattern, 'i');
  } catch (error) {
    throw new PatternError(path, pattern, `not a valid regular expression: ${(error as Error).message}`);
  }
}

type FieldReader = (contact: Contact) => string | number | null;

/**
 * One reader per contact field, each its own function: a shared `contact[field]` sees every
 * field name at one site, and that generic lookup showed in the profile of every condition.
 */
const FIELD_READERS: { [F in NonNullable<FieldTest['field']>]: FieldReader } = {
  email: (c) => c.email ?? null,
  firstName: (c) => c.firstName ?? null,
  lastName: (c) => c.lastName ?? null,
  jobTitle: (c) => c.jobTitle ?? null,
  jobFunction: (c) => c.jobFunction ?? null,
  company: (c) => c.company ?? null,
  organizationType: (c) => c.organizationType ?? null,
  employees: (c) => c.employees ?? null,
  country: (c) => c.country ?? null,
  serviceLine: (c) => c.serviceLine ?? null,
};

function fieldReader(test: FieldTest): FieldReader {
  if (test.field !== undefined) return FIELD_READERS[test.field];
  const property = test.property ?? '';
  return (contact) => contact.properties[property] ?? null;
}

/** Trimmed, lower-cased text: how listed values and contact values are compared. */
const norm = (v: unknown): string => String(v).trim().toLowerCase();

let lastRaw: unknown = undefined;
let lastNorm = 'undefined';

/** `norm` of a contact value; the last answer is kept, as rules on one field ask in turn. */
function normalised(v: unknown): string {
  if (v !== lastRaw) {
    lastNorm = norm(v);
    lastRaw = v;
  }
  return lastNorm;
}

let lastEmail = '';
let lastDomain = '';

/** The domain of an address; the last answer is kept, as the free-mail and competitor rules ask in turn. */
function emailDomain(value: string): string {
  if (value !== lastEmail) {
    const at = value.lastIndexOf('@');
    lastDomain = at < 0 ? '' : value.slice(at + 1).trim().toLowerCase();
    lastEmail = value;
  }
  return lastDomain;
}

/** The one result of every condition that does not hold: most tests fail, so allocate nothing for them. */
const FAILS: { holds: boolean; value: string } = Object.freeze({ holds: false, value: '' });
/** The result of a `not` that holds (it carries no value). */
const HOLDS_WITHOUT_VALUE: { holds: boolean; value: string } = Object.freeze({ holds: true, value: '' });

function compileFieldTest(test: FieldTest, path: string, patterns: PatternRegistry): ContactPredicate {
  const checks: Array<(v: string | number | null) => boolean> = [];
  if (test.exists !== undefined) {
    const want = test.exists;
    checks.push((v) => (v !== null && String(v).trim() !== '') === want);
  }
  if (test.equals !== undefined) {
    const want = norm(test.equals);
    checks.push((v) => v !== null && normalised(v) === want);
  }
  // Values usually arrive in their canonical spelling: try them as they are before normalising.
  if (test.in !== undefined) {
    const set = new Set(test.in.map(norm));
    checks.push((v) => v !== null && (set.has(v as string) || set.has(normalised(v))));
  }
  if (test.notIn !== undefined) {
    const set = new Set(test.notIn.map(norm));
    checks.push((v) => v === null || !(set.has(v as string) || set.has(normalised(v))));
  }
  if (test.matches !== undefined) {
    const slot = patterns.register(test.matches, `${path}.matches`);
    checks.push((v) => v !== null && patterns.flags(String(v))[slot] === 1);
  }
  if (test.emailDomainIn !== undefined) {
    const domains = new Set(test.emailDomainIn.map((d) => d.toLowerCase()));
    checks.push((v) => {
      if (v === null) return false;
      // The domain or a parent domain (after any dot) is listed: one set lookup per label
      // rather than a comparison per listed domain.
      const domain = emailDomain(String(v));
      if (domains.has(domain)) return true;
      for (let dot = domain.indexOf('.'); dot >= 0; dot = domain.indexOf('.', dot + 1)) if (domains.has(domain.slice(dot + 1))) return true;
      return false;
    });
  }
  if (test.gte !== undefined) {
    const min = test.gte;
    checks.push((v) => v !== null && v !== '' && Number(v) >= min);
  }
  if (test.lte !== undefined) {
    const max = test.lte;
    checks.push((v) => v !== null && v !== '' && Number(v) <= max);
  }
  const read = fieldReader(test);
  return (contact) => {
    const value = read(contact);
    for (let i = 0; i < checks.length; i++) if (!checks[i]!(value)) return FAILS;
    return { holds: true, value: value === null ? '' : String(value) };
  };
}

export function compileCondition(condition: Condition, path: string, patterns: PatternRegistry): ContactPredicate {
  if ('all' in condition) {
    const parts = condition.all.map((c, i) => compileCondition(c, `${path}.all[${i}]`, patterns));
    return (contact) => {
      let value = '';
      for (const part of parts) {
        const result = part(contact);
        if (!result.holds) return FAILS;
        value ||= result.value;
      }
      return { holds: true, value };
    };
  }
  if ('any' in condition) {
    const parts = condition.any.map((c, i) => compileCondition(c, `${path}.any[${i}]`, patterns));
    return (contact) => {
      for (const part of parts) {
        const result = part(contact);
        if (result.holds) return result;
      }
      return FAILS;
    };
  }
  if ('not' in condition) {
    const inner = compileCondition(condition.not, `${path}.not`, patterns);
    return (contact) => (inner(contact).holds ? FAILS : HOLDS_WITHOUT_VALUE);
  }
  return compileFieldTest(condition, path, patterns);
}

export function compileActivityMatch(match: ActivityMatch, path: string, texts: PatternRegistry): ActivityPredicate {
  // One flat predicate rather than a list of closures: this runs for every activity of every contact.
  const types = match.type === undefined ? null : new Set<string>([match.type].flat());
  const urlSlot = match.urlMatches === undefined ? -1 : texts.register(match.urlMatches, `${path}.urlMatches`);
  const titleSlot = match.titleMatches === undefined ? -1 : texts.register(match.titleMatches, `${path}.titleMatches`);
  const formIds = match.formIdIn === undefined ? null : new Set(match.formIdIn);
  const categories = match.category === undefined ? null : new Set([match.category].flat());
  return (a) =>
    (types === null || types.has(a.activity.type)) &&
    (urlSlot < 0 || a.url[urlSlot] === 1) &&
    (titleSlot < 0 || a.title[titleSlot] === 1) &&
    (formIds === null || (a.activity.formId !== undefined && formIds.has(a.activity.formId))) &&
    (categories === null || (a.activity.category !== undefined && categories.has(a.activity.category)));
}

/** Signals match when any of their tests hold (a url OR a title pointing to the offer). */
export function compileSignals(match: ActivityMatch, path: string, texts: PatternRegistry): ActivityPredicate {
  const alternatives: ActivityPredicate[] = [];
  if (match.urlMatches !== undefined) alternatives.push(compileActivityMatch({ urlMatches: match.urlMatches }, path, texts));
  if (match.titleMatches !== undefined) alternatives.push(compileActivityMatch({ titleMatches: match.titleMatches }, path, texts));
  if (match.formIdIn !== undefined) alternatives.push(compileActivityMatch({ formIdIn: match.formIdIn }, path, texts));
  if (match.category !== undefined) alternatives.push(compileActivityMatch({ category: match.category }, path, texts));
  const type = match.type === undefined ? undefined : compileActivityMatch({ type: match.type }, path, texts);
  return (a) => (type === undefined || type(a)) && alternatives.some((alt) => alt(a));
}
