/**
 * `updateRecords` and `createLeads`: the planner's writes as sObject Collections, one
 * RecordResult per input in input order. A new Lead always carries the HubSpot id in the
 * unique external-id field, so a create retried after a lost answer (or raced by another
 * worker) is refused with DUPLICATE_VALUE instead of making a second Lead: that refusal is
 * reported as success with `created: false`.
 */
import type { RecordResult } from '../errors';
import type { SalesforceObject } from '../ports';
import type { SalesforceApi } from './api';
import { redact } from './classify';
import { LOCK_ERROR, saveRecords, type SaveOutcome } from './collections';
import type { SalesforceTuning } from './config';

export interface RecordUpdate {
  key: string;
  sobject: SalesforceObject;
  id: string;
  fields: Record<string, unknown>;
}

/** Record-level codes worth another run of the job (the others need a fix first). */
const RETRYABLE_RECORD_CODES = new Set([LOCK_ERROR, 'UNKNOWN_EXCEPTION', 'REQUEST_RUNNING_TOO_LONG', 'SERVER_UNAVAILABLE']);

export async function updateRecords(api: SalesforceApi, tuning: SalesforceTuning, updates: readonly RecordUpdate[]): Promise<RecordResult[]> {
  const records = updates.map((u) => ({ ...u.fields, attributes: { type: u.sobject }, Id: u.id }));
  const outcomes = await saveRecords(api, 'PATCH', records, tuning);
  return updates.map((u, i) => toRecordResult(u.key, outcomes[i] as SaveOutcome));
}

export async function createLeads(
  api: SalesforceApi,
  tuning: SalesforceTuning,
  externalIdField: string,
  leads: ReadonlyArray<{ key: string; fields: Record<string, unknown> }>,
): Promise<RecordResult[]> {
  const records = leads.map((l) => ({ ...l.fields, attributes: { type: 'Lead' }, [externalIdField]: l.key }));
  const outcomes = await saveRecords(api, 'POST', records, tuning);
  return leads.map((l, i) => {
    const outcome = outcomes[i] as SaveOutcome;
    const existing = duplicateOf(outcome, externalIdField);
    return existing === undefined ? toRecordResult(l.key, outcome, true) : { key: l.key, ok: true, ...(existing ? { id: existing } : {}), created: false };
  });
}

export function toRecordResult(key: string, outcome: SaveOutcome, created?: boolean): RecordResult {
  if (outcome.ok) return { key, ok: true, id: outcome.id, ...(created === undefined ? {} : { created }) };
  const fields = outcome.fields.length > 0 ? ` (fields: ${outcome.fields.join(', ')})` : '';
  return { key, ok: false, retryable: RETRYABLE_RECORD_CODES.has(outcome.code), code: outcome.code, message: `${redact(outcome.message)}${fields}` };
}

/**
 * For a DUPLICATE_VALUE refusal on `uniqueField`: the id of the record holding the value
 * (Salesforce names it in the message), or '' when not named. Undefined for any other outcome.
 */
export function duplicateOf(outcome: SaveOutcome, uniqueField: string): string | undefined {
  if (outcome.ok || outcome.code !== 'DUPLICATE_VALUE') return undefined;
  const onField = outcome.fields.some((f) => f.toLowerCase() === uniqueField.toLowerCase()) || outcome.message.toLowerCase().includes(uniqueField.toLowerCase());
  if (!onField) return undefined;
  return /record with id: ([a-zA-Z0-9]{15,18})/.exec(outcome.message)?.[1] ?? '';
}
