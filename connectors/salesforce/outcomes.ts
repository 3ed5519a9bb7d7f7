/**
 * Incremental read of sales decisions: Leads or Contacts that carry a HubSpot id, changed
 * after the cursor, in (SystemModstamp, Id) order so records sharing a timestamp are neither
 * skipped nor read twice. Each page (up to 2,000 rows) is yielded with the cursor after its
 * last row, so the caller stores the cursor only once the page is durably processed.
 */
import type { ReasonsMapping } from '../../src/mappings/schema';
import type { OutcomeChange, OutcomeCursor, SalesforceObject } from '../ports';
import type { SalesforceApi, SfRow } from './api';
import { outcomeFields, type SalesforceMapping } from './fields';
import { outcomeOf } from './outcome-map';
import { instantOf, sameId, toRecord } from './records';
import { dateTimeLiteral, quote } from './soql';

export interface OutcomeContext {
  api: SalesforceApi;
  mapping: SalesforceMapping;
  reasons: ReasonsMapping;
  /** The connector's own user id, learned once. */
  integrationUserId(): Promise<string>;
}

export async function* outcomesSince(
  context: OutcomeContext,
  sobject: SalesforceObject,
  cursor: OutcomeCursor | null,
): AsyncGenerator<{ changes: OutcomeChange[]; cursor: OutcomeCursor }> {
  const { api, mapping, reasons } = context;
  const ownUser = await context.integrationUserId();
  for await (const page of api.pages<SfRow>(outcomeQuery(mapping, sobject, cursor))) {
    const last = page.records[page.records.length - 1];
    if (!last) continue;
    const changes = page.records.map((row): OutcomeChange => {
      const record = toRecord(sobject, row);
      return {
        hubspotId: String(row[mapping.externalIdField]),
        record,
        outcome: outcomeOf(record, mapping, reasons),
        modifiedAt: new Date(instantOf(row.SystemModstamp)).toISOString(),
        byIntegrationUser: sameId(row.LastModifiedById, ownUser),
      };
    });
    yield { changes, cursor: { modstamp: instantOf(last.SystemModstamp), id: last.Id } };
  }
}

function outcomeQuery(mapping: SalesforceMapping, sobject: SalesforceObject, cursor: OutcomeCursor | null): string {
  const conditions = [`${mapping.externalIdField} != null`];
  if (cursor) {
    const ts = dateTimeLiteral(cursor.modstamp);
    conditions.push(`(SystemModstamp > ${ts} OR (SystemModstamp = ${ts} AND Id > ${quote(cursor.id)}))`);
  }
  return `SELECT ${outcomeFields(mapping, sobject).join(', ')} FROM ${sobject} WHERE ${conditions.join(' AND ')} ORDER BY SystemModstamp, Id`;
}
