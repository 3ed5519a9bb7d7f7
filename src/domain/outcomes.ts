/**
 * Reads a sales decision out of a Salesforce record's sales-owned fields, through
 * mappings/reasons.yaml. Pure: used by the outcome write-back and by the contact sync, so a
 * contact is never re-qualified over a decision sales has just made.
 */
import type { FieldsMapping, ReasonsMapping } from '../mappings/schema';
import type { SalesOutcome } from './types';

export type SalesforceFieldValues = Record<string, unknown>;

/** Salesforce dates: `2026-11-20`, `2026-11-20T12:00:00.000+0000`, or ISO. */
export function salesforceInstant(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const normalised = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalised.length === 10 ? `${normalised}T00:00:00Z` : normalised);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

function reasonLabel(raw: unknown, map: Record<string, string>, prefix: string): string | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  // Own keys only: a Salesforce value such as "toString" must not find Object.prototype's.
  return Object.hasOwn(map, raw) ? map[raw]! : `${prefix}${raw}`;
}

/**
 * The outcome a record shows, or null when its status carries no decision.
 * `decidedAt` is when the service first saw this decision (the caller's clock), unless the
 * record dates it itself (SQL date).
 */
export function outcomeFromRecord(
  sobject: 'Lead' | 'Contact',
  fields: SalesforceFieldValues,
  mappings: { fields: FieldsMapping; reasons: ReasonsMapping },
  decidedAt: string,
): SalesOutcome | null {
  const pull = mappings.fields.salesforce.pull[sobject];
  const status = fields[pull.status];
  if (typeof status !== 'string') return null;
  const kind = Object.hasOwn(mappings.reasons.statuses, status) ? mappings.reasons.statuses[status] : undefined;
  if (kind === undefined) return null;
  const outcome: SalesOutcome = { kind, at: decidedAt };
  if (kind === 'sql') outcome.at = salesforceInstant(fields[pull.sqlDate]) ?? decidedAt;
  const { disqualificationReasons, recycleReasons, unmappedReasonPrefix } = mappings.reasons;
  const reason =
    kind === 'disqualified'
      ? reasonLabel(fields[pull.disqualificationReason], disqualificationReasons, unmappedReasonPrefix) ?? 'No reason given'
      : kind === 'recycled'
        ? reasonLabel(fields[pull.recycleReason], recycleReasons, unmappedReasonPrefix) ?? 'No reason given'
        : undefined;
  if (reason !== undefined) outcome.reason = reason;
  return outcome;
}
