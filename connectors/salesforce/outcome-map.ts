/**
 * A Lead's or Contact's sales-owned fields as a domain SalesOutcome, through
 * mappings/reasons.yaml: the status says the kind (unlisted statuses carry no decision), the
 * reason picklist says why (unmapped values keep their text behind the configured prefix).
 */
import type { SalesOutcome } from '../../src/domain/types';
import type { ReasonsMapping } from '../../src/mappings/schema';
import type { SalesforceRecord } from '../ports';
import type { SalesforceMapping } from './fields';
import { instantOf } from './records';

export function outcomeOf(record: SalesforceRecord, mapping: SalesforceMapping, reasons: ReasonsMapping): SalesOutcome | null {
  const pull = mapping.pull[record.sobject];
  const status = record.fields[pull.status];
  // Own keys only: a status such as "constructor" must not find Object.prototype's.
  const kind = typeof status === 'string' && Object.hasOwn(reasons.statuses, status) ? reasons.statuses[status] : undefined;
  if (!kind) return null;
  const outcome: SalesOutcome = { kind, at: decisionInstant(record, pull.sqlDate, kind) };
  const reason =
    kind === 'disqualified'
      ? label(record.fields[pull.disqualificationReason], reasons.disqualificationReasons, reasons.unmappedReasonPrefix)
      : kind === 'recycled'
        ? label(record.fields[pull.recycleReason], reasons.recycleReasons, reasons.unmappedReasonPrefix)
        : undefined;
  if (reason) outcome.reason = reason;
  return outcome;
}

/** SQL_Date__c for qualified outcomes when sales set it; otherwise when the record last changed. */
function decisionInstant(record: SalesforceRecord, sqlDateField: string, kind: SalesOutcome['kind']): string {
  const sqlDate = record.fields[sqlDateField];
  if ((kind === 'sql' || kind === 'opportunity') && typeof sqlDate === 'string') {
    const ms = /^\d{4}-\d{2}-\d{2}$/.test(sqlDate) ? Date.parse(`${sqlDate}T00:00:00Z`) : instantOf(sqlDate);
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  return new Date(instantOf(record.fields.SystemModstamp)).toISOString();
}

function label(value: unknown, map: Record<string, string>, prefix: string): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  return Object.hasOwn(map, value) ? map[value]! : `${prefix}${value}`;
}
