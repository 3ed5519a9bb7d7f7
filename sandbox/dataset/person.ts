/**
 * Who a generated contact is: name, role, company, e-mail, and the dirt real portals carry
 * (free-mail addresses, students, competitors, duplicates, nulls, values too long for
 * Salesforce). Computed from (seed, index) alone.
 */
import { rngFor, type Rng } from '../common';
import {
  BAND_WEIGHTS, COMPETITORS, COUNTRIES, EMPLOYEE_BANDS, FIRST_NAMES, FREE_MAIL_DOMAINS, LAST_NAMES, NAME_ENDINGS,
  NAME_STEMS, ORGANIZATION_TYPES, ROLES, SERVICE_INTEREST, STUDENT_TITLES,
  type Country, type JobFunction, type OrganizationType, type ServiceLine,
} from './people-catalog';
import { slug, weightedPick } from './random';

/** Shares of the dirt, per contact (the unit tests check the measured shares). */
export const DIRT_RATES = {
  freeMail: 0.08,
  student: 0.03,
  competitor: 0.01,
  duplicate: 0.02,
  companyTooLong: 0.003,
  emailNear80: 0.002,
  noEmail: 0.004,
} as const;

/** Companies are shared by several contacts (colleagues), so a portal has realistic accounts. */
const COMPANY_COUNT = 20_000;

export interface Company {
  name: string;
  domain: string;
  organizationType: OrganizationType;
  employees: (typeof EMPLOYEE_BANDS)[number];
  country: Country;
}

export interface Person {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  jobTitle: string | null;
  jobFunction: JobFunction | null;
  /** 0 individual contributor, 1 manager, 2 director and above. */
  seniority: 0 | 1 | 2;
  company: string | null;
  /** The web domain of the employer (not of a free-mail address). */
  domain: string | null;
  organizationType: OrganizationType | null;
  employees: string | null;
  country: string | null;
  /** `''` is HubSpot's cleared value, `null` never set. */
  serviceInterest: ServiceLine | '' | null;
  ownerId: string | null;
  flags: { freeMail: boolean; student: boolean; competitor: boolean; duplicateOf: number | null };
}

const SYLLABLES = ['', '', '', 'gen', 'vax', 'cyte', 'mab', 'ix', 'ona', 'tec', 'cell', 'nova', 'ica', 'is', 'ra'];

export function companyAt(seed: number, companyIndex: number): Company {
  const rng = rngFor(seed, 'company', companyIndex);
  const organizationType = weightedPick(rng, ORGANIZATION_TYPES);
  const stem = `${rng.pick(NAME_STEMS)}${rng.pick(SYLLABLES)}`;
  const ending = rng.pick(NAME_ENDINGS[organizationType]);
  const country = weightedPick(rng, COUNTRIES);
  const name = organizationType === 'academic' && ending === 'University' ? `University of ${stem}` : `${stem} ${ending}`;
  const tld = organizationType === 'academic' ? country.academicTld : country.tld;
  const domainBase = organizationType === 'academic' || organizationType === 'hospital' ? slug(stem) : slug(`${stem} ${ending.split(' ')[0] ?? ''}`, '-');
  const bands = BAND_WEIGHTS[organizationType];
  const employees = weightedPick(rng, EMPLOYEE_BANDS.map((band, i) => [band, bands[i] ?? 0] as const));
  return { name, domain: `${domainBase}.${tld}`, organizationType, employees, country };
}

function localPart(rng: Rng, first: string | null, last: string | null): string {
  const f = slug(first ?? 'lab');
  const l = slug(last ?? 'contact');
  const style = rng.int(0, 9);
  if (style < 5) return `${f}.${l}`;
  if (style < 7) return `${f.slice(0, 1)}${l}`;
  if (style < 8) return `${f}_${l}`;
  if (style < 9) return `${f}${l.slice(0, 1)}`;
  return `${l}.${f}`;
}

/** A person without the duplicate rule (a duplicate copies one of these). */
function basePerson(seed: number, index: number): Person {
  const rng = rngFor(seed, 'person', index);
  const roll = rng.next();
  const competitor = roll < DIRT_RATES.competitor;
  const student = !competitor && roll < DIRT_RATES.competitor + DIRT_RATES.student;
  const freeMail = rng.chance(DIRT_RATES.freeMail / (1 - DIRT_RATES.competitor));
  const company = companyAt(seed, rng.int(0, COMPANY_COUNT - 1));
  const role = weightedPick(rng, ROLES);
  const firstName = rng.chance(0.03) ? null : rng.pick(FIRST_NAMES);
  const lastName = rng.chance(0.02) ? null : rng.pick(LAST_NAMES);

  const person: Person = {
    firstName, lastName, email: null,
    jobTitle: rng.chance(0.1) ? null : role.title,
    jobFunction: rng.chance(0.15) ? null : role.jobFunction,
    seniority: role.seniority,
    company: company.name, domain: company.domain,
    organizationType: rng.chance(0.12) ? null : company.organizationType,
    employees: rng.chance(0.3) ? null : company.employees,
    country: rng.chance(0.15) ? null : rng.chance(0.2) ? company.country.iso2 : company.country.name,
    serviceInterest: null, ownerId: null,
    flags: { freeMail, student, competitor, duplicateOf: null },
  };
  const interest = weightedPick(rng, SERVICE_INTEREST[company.organizationType]);
  person.serviceInterest = interest ?? (rng.chance(0.1) ? '' : null);

  if (competitor) {
    const rival = rng.pick(COMPETITORS);
    Object.assign(person, { company: rival.company, domain: rival.domain, organizationType: 'cdmo' });
  }
  if (student) {
    const school = companyAt(seed, COMPANY_COUNT + rng.int(0, 999));
    Object.assign(person, {
      jobTitle: rng.pick(STUDENT_TITLES), jobFunction: rng.chance(0.5) ? 'other' : null, seniority: 0,
      company: `University of ${school.name.split(' ')[0] ?? 'Science'}`, domain: `${slug(school.name.split(' ')[0] ?? 'uni')}.${school.country.academicTld}`,
      organizationType: 'academic', employees: null, serviceInterest: rng.chance(0.5) ? 'genomics_platform' : null,
    });
  }
  const mailDomain = freeMail ? rng.pick(FREE_MAIL_DOMAINS) : person.domain;
  person.email = rng.chance(DIRT_RATES.noEmail) ? null : `${localPart(rng, firstName, lastName)}${freeMail && rng.chance(0.5) ? rng.int(1, 99) : ''}@${mailDomain}`;
  if (freeMail && rng.chance(0.4)) Object.assign(person, { company: null, domain: null, employees: null });
  else if (!freeMail && rng.chance(0.05)) person.company = null;
  if (person.company && rng.chance(DIRT_RATES.companyTooLong)) person.company = tooLongCompany(person.company);
  if (person.email && rng.chance(DIRT_RATES.emailNear80)) person.email = longEmail(rng, person.email);
  person.ownerId = rng.chance(0.3) ? String(71_234_501 + rng.int(0, 7)) : null;
  return person;
}

/** Over 255 characters: an academic affiliation pasted whole, as forms often receive. */
function tooLongCompany(company: string): string {
  let text = company;
  const parts = ['Department of Molecular and Cellular Biology', 'Faculty of Medicine and Health Sciences', 'Translational Research Core Facility', 'Biomedical Campus North, Building 7'];
  for (let i = 0; text.length <= 255; i++) text += `, ${parts[i % parts.length]}`;
  return text;
}

/** 76 to 85 characters: around Salesforce's 80-character e-mail limit, on both sides. */
function longEmail(rng: Rng, email: string): string {
  const [local = 'contact', domain = 'example.com'] = email.split('@');
  const target = rng.int(76, 85);
  const filler = '.translational-research-operations-and-quality-assurance-group';
  const room = Math.max(1, target - domain.length - 1 - local.length);
  return `${local}${filler.slice(0, room)}@${domain}`.replace(/[.-]@/, 'x@');
}

/** Case variants a legacy import leaves behind: `Anna.Mueller@Helixa-Bio.com`. */
function mixedCase(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  const title = (s: string): string => s.replace(/(^|[._-])([a-z])/g, (_m, sep: string, c: string) => `${sep}${c.toUpperCase()}`);
  return `${title(local)}@${title(domain)}`;
}

/**
 * The person at `index`. About 2% are the same person as an earlier contact (same name and
 * employer), half with the same address in different case and half with another address at
 * the same domain. Fixture indexes (below `firstGenerated`) are never copied.
 */
export function personAt(seed: number, index: number, firstGenerated = 0): Person {
  const rng = rngFor(seed, 'duplicate', index);
  if (index > firstGenerated + 1 && rng.chance(DIRT_RATES.duplicate)) {
    const original = index - 1 - rng.int(0, Math.min(index - firstGenerated - 1, 500) - 1);
    const person = basePerson(seed, original);
    person.flags = { ...person.flags, duplicateOf: original };
    if (person.email && rng.chance(0.5)) person.email = mixedCase(person.email);
    else if (person.email) {
      const domain = person.email.split('@')[1] ?? 'example.com';
      person.email = `${slug(person.firstName ?? 'x').slice(0, 1)}.${slug(person.lastName ?? 'contact')}${rng.int(2, 9)}@${domain}`;
    }
    return person;
  }
  return basePerson(seed, index);
}
