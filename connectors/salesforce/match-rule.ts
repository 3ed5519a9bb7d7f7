/**
 * The deterministic matching rule (docs/DATA-MODEL.md), pure: given every Lead and Contact
 * fetched for a HubSpot contact, which one the service writes to.
 *
 * 1. A record whose external-id field holds the HubSpot id: Contact, else unconverted Lead,
 *    else a converted Lead followed to its Contact.
 * 2. Else by e-mail, case-insensitively: unconverted Lead, else Contact, else a converted
 *    Lead followed to its Contact. A record already linked to another HubSpot contact is
 *    never taken by e-mail (it would be relinked and written by two contacts).
 * 3. Several candidates at one step: the oldest CreatedDate, then the smallest Id; the others
 *    are returned in `ambiguous`.
 */
import type { MatchResult, SalesforceRecord } from '../ports';
import { instantOf } from './records';

export interface MatchInput {
  hubspotId: string;
  email: string | null;
}

export interface RuleContext {
  externalIdField: string;
  /** A Contact by id, for following converted Leads; undefined when it is gone. */
  contactById(id: string): SalesforceRecord | undefined;
}

type Step = { via: MatchResult['via']; records: SalesforceRecord[]; follow?: boolean };

export function decideMatch(input: MatchInput, candidates: readonly SalesforceRecord[], context: RuleContext): MatchResult {
  const externalId = (r: SalesforceRecord): string => stringOf(r.fields[context.externalIdField]);
  const email = normaliseEmail(input.email);
  const byExternalId = candidates.filter((r) => externalId(r) === input.hubspotId);
  const byEmail = email
    ? candidates.filter((r) => normaliseEmail(r.fields.Email) === email && (externalId(r) === '' || externalId(r) === input.hubspotId))
    : [];
  const steps: Step[] = [
    { via: 'external_id', records: byExternalId.filter(isContact) },
    { via: 'external_id', records: byExternalId.filter(isOpenLead) },
    { via: 'converted', records: byExternalId.filter(isConvertedLead), follow: true },
    { via: 'email', records: byEmail.filter(isOpenLead) },
    { via: 'email', records: byEmail.filter(isContact) },
    { via: 'converted', records: byEmail.filter(isConvertedLead), follow: true },
  ];
  for (const step of steps) {
    const ordered = oldestFirst(step.records);
    const resolved = step.follow ? followConversions(ordered, context) : ordered;
    const [winner, ...others] = resolved;
    if (winner) return { hubspotId: input.hubspotId, record: winner, via: step.via, ambiguous: others.map((r) => r.id) };
  }
  return { hubspotId: input.hubspotId, record: null, via: 'none', ambiguous: [] };
}

/** Oldest CreatedDate first, then the smallest Id. */
export function oldestFirst(records: readonly SalesforceRecord[]): SalesforceRecord[] {
  return [...records].sort((a, b) => {
    const ta = instantOf(a.fields.CreatedDate);
    const tb = instantOf(b.fields.CreatedDate);
    if (ta !== tb && !(Number.isNaN(ta) && Number.isNaN(tb))) {
      if (Number.isNaN(ta)) return 1;
      if (Number.isNaN(tb)) return -1;
      return ta - tb;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

/** The Contacts converted Leads became, in the Leads' order, each once; gone ones skipped. */
function followConversions(leads: readonly SalesforceRecord[], context: RuleContext): SalesforceRecord[] {
  const seen = new Set<string>();
  const out: SalesforceRecord[] = [];
  for (const lead of leads) {
    const target = context.contactById(stringOf(lead.fields.ConvertedContactId));
    if (target && !seen.has(target.id)) {
      seen.add(target.id);
      out.push(target);
    }
  }
  return out;
}

export function normaliseEmail(value: unknown): string {
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

function stringOf(value: unknown): string {
  return value === null || value === undefined ? '' : String(value).trim();
}

const isContact = (r: SalesforceRecord): boolean => r.sobject === 'Contact';
const isOpenLead = (r: SalesforceRecord): boolean => r.sobject === 'Lead' && r.fields.IsConverted !== true;
const isConvertedLead = (r: SalesforceRecord): boolean => r.sobject === 'Lead' && r.fields.IsConverted === true;
