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

function fieldValue(contact: Contact, test: FieldTest): string | number | null {
  if (test.field !== undefined) return contact[test.field] ?? null;
  return contact.properties[test.property ?? ''] ?? null;
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

function compileFieldTest(test: FieldTest, path: string, patterns: PatternRegistry): ContactPredicate {
  const checks: Array<(v: string | number | null) => boolean> = [];
  const norm = (v: unknown) => String(v).trim().toLowerCase();
  if (test.exists !== undefined) {
    const want = test.exists;
    checks.push((v) => (v !== null && String(v).trim() !== '') === want);
  }
  if (test.equals !== undefined) {
    const want = norm(test.equals);
    checks.push((v) => v !== null && norm(v) === want);
  }
  // Values usually arrive in their canonical spelling: try them as they are before normalising.
  if (test.in !== undefined) {
    const set = new Set(test.in.map(norm));
    checks.push((v) => v !== null && (set.has(v as string) || set.has(norm(v))));
  }
  if (test.notIn !== undefined) {
    const set = new Set(test.notIn.map(norm));
    checks.push((v) => v === null || !(set.has(v as string) || set.has(norm(v))));
  }
  if (test.matches !== undefined) {
    const slot = patterns.register(test.matches, `${path}.matches`);
    checks.push((v) => v !== null && patterns.flags(String(v))[slot] === 1);
  }
  if (test.emailDomainIn !== undefined) {
    const domains = test.emailDomainIn.map((d) => d.toLowerCase());
    const subdomainSuffixes = domains.map((d) => `.${d}`); // built once, not per contact
    checks.push((v) => {
      if (v === null) return false;
      const domain = emailDomain(String(v));
      for (let i = 0; i < domains.length; i++) if (domain === domains[i] || domain.endsWith(subdomainSuffixes[i]!)) return true;
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
  return (contact) => {
    const value = fieldValue(contact, test);
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
    const HOLDS = Object.freeze({ holds: true, value: '' });
    return (contact) => (inner(contact).holds ? FAILS : HOLDS);
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
