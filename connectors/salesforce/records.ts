/** Query rows as port records, and Salesforce's date-time text as instants. */
import type { SalesforceObject, SalesforceRecord } from '../ports';
import type { SfRow } from './api';

export function toRecord(sobject: SalesforceObject, row: SfRow): SalesforceRecord {
  const { attributes: _attributes, ...fields } = row;
  return { sobject, id: row.Id, fields };
}

/** Epoch ms of `2026-11-23T10:00:00.000+0000` (Salesforce) or any ISO-8601 instant; NaN when absent. */
export function instantOf(value: unknown): number {
  if (typeof value !== 'string') return NaN;
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/** The first 15 characters identify a record; the 18-character form adds a case checksum. */
export function sameId(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.length >= 15 && b.length >= 15 && a.slice(0, 15) === b.slice(0, 15);
}
