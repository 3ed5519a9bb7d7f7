/**
 * Matching HubSpot contacts to Salesforce records with a few batched queries: per object, one
 * `external id IN (...) OR Email IN (...)` statement per chunk of contacts (cut to fit the
 * URL), then one `Id IN (...)` query for Contacts that converted Leads point to and that
 * were not fetched already. The rule itself is in match-rule.ts.
 */
import type { MatchResult, SalesforceObject, SalesforceRecord } from '../ports';
import type { SalesforceApi, SfRow } from './api';
import { recordFields, type SalesforceMapping } from './fields';
import { decideMatch, normaliseEmail, type MatchInput } from './match-rule';
import { toRecord } from './records';
import { chunkedQueries, quoteList, type QueryLimits } from './soql';

/** Salesforce's Email fields hold at most 80 characters: longer addresses cannot match. */
const MAX_EMAIL_LENGTH = 80;
const OBJECTS: SalesforceObject[] = ['Contact', 'Lead'];

export async function matchContacts(
  api: SalesforceApi,
  mapping: SalesforceMapping,
  limits: QueryLimits,
  contacts: readonly MatchInput[],
): Promise<Map<string, MatchResult>> {
  const inputs = uniqueInputs(contacts);
  const fetched = new Map<string, SalesforceRecord>();
  for (const sobject of OBJECTS) {
    const fields = recordFields(mapping, sobject).join(', ');
    const queries = chunkedQueries(inputs, (chunk) => candidateQuery(sobject, fields, mapping.externalIdField, chunk), limits);
    for (const soql of queries) {
      for (const row of await api.queryAllRows<SfRow>(soql)) fetched.set(row.Id, toRecord(sobject, row));
    }
  }
  await fetchConvertedContacts(api, mapping, limits, fetched);

  const byExternalId = groupBy(fetched.values(), (r) => stringOf(r.fields[mapping.externalIdField]));
  const byEmail = groupBy(fetched.values(), (r) => normaliseEmail(r.fields.Email));
  const contactById = (id: string): SalesforceRecord | undefined => {
    const record = fetched.get(id);
    return record?.sobject === 'Contact' ? record : undefined;
  };
  const results = new Map<string, MatchResult>();
  for (const input of contacts) {
    const email = lookupEmail(input.email);
    const candidates = new Set([...(byExternalId.get(input.hubspotId) ?? []), ...(email ? (byEmail.get(email) ?? []) : [])]);
    results.set(input.hubspotId, decideMatch(input, [...candidates], { externalIdField: mapping.externalIdField, contactById }));
  }
  return results;
}

function candidateQuery(sobject: SalesforceObject, fields: string, externalIdField: string, chunk: readonly MatchInput[]): string {
  const ids = [...new Set(chunk.map((c) => c.hubspotId))];
  const emails = [...new Set(chunk.map((c) => lookupEmail(c.email)).filter((e) => e !== ''))];
  const byEmail = emails.length > 0 ? ` OR Email IN (${quoteList(emails)})` : '';
  return `SELECT ${fields} FROM ${sobject} WHERE ${externalIdField} IN (${quoteList(ids)})${byEmail}`;
}

/** Converted Leads are followed to their Contact, which an e-mail change may have kept out of the first queries. */
async function fetchConvertedContacts(api: SalesforceApi, mapping: SalesforceMapping, limits: QueryLimits, fetched: Map<string, SalesforceRecord>): Promise<void> {
  const missing = new Set<string>();
  for (const record of fetched.values()) {
    const target = record.fields.ConvertedContactId;
    if (record.sobject === 'Lead' && record.fields.IsConverted === true && typeof target === 'string' && !fetched.has(target)) missing.add(target);
  }
  if (missing.size === 0) return;
  const fields = recordFields(mapping, 'Contact').join(', ');
  const queries = chunkedQueries([...missing], (chunk) => `SELECT ${fields} FROM Contact WHERE Id IN (${quoteList(chunk)})`, limits);
  for (const soql of queries) {
    for (const row of await api.queryAllRows<SfRow>(soql)) fetched.set(row.Id, toRecord('Contact', row));
  }
}

/** The e-mail to look up (lower case), or '' when it cannot be in Salesforce. */
function lookupEmail(email: string | null): string {
  const normal = normaliseEmail(email);
  return normal.includes('@') && normal.length <= MAX_EMAIL_LENGTH ? normal : '';
}

function uniqueInputs(contacts: readonly MatchInput[]): MatchInput[] {
  const seen = new Set<string>();
  return contacts.filter((c) => !seen.has(c.hubspotId) && seen.add(c.hubspotId));
}

function groupBy(records: Iterable<SalesforceRecord>, key: (r: SalesforceRecord) => string): Map<string, SalesforceRecord[]> {
  const groups = new Map<string, SalesforceRecord[]>();
  for (const record of records) {
    const k = key(record);
    if (k === '') continue;
    const list = groups.get(k);
    if (list) list.push(record);
    else groups.set(k, [record]);
  }
  return groups;
}

function stringOf(value: unknown): string {
  return value === null || value === undefined ? '' : String(value).trim();
}
