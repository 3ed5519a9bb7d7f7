/**
 * The sales side of the handoff SLA. `tasksSince` reads, in (SystemModstamp, Id) order, the
 * Tasks that closed since the cursor: the service's follow-up tasks (by their key) and the
 * calls, e-mails and meetings sales logged on linked Leads and Contacts. One query per 2,000
 * Tasks, plus one query per object for the records behind logged activities. The first read
 * (no cursor) takes the follow-up tasks only: the org's whole activity log is not needed.
 * `updateOpenTasks` escalates follow-up tasks still open (priority, owner) by key.
 */
import type { RecordResult } from '../errors';
import type { OutcomeCursor, TaskTouch } from '../ports';
import type { SalesforceApi, SfRow } from './api';
import { saveRecords } from './collections';
import type { SalesforceTuning } from './config';
import type { SalesforceMapping } from './fields';
import { instantOf } from './records';
import { chunkedQueries, dateTimeLiteral, quote, quoteList, type QueryLimits } from './soql';
import { toRecordResult } from './writes';

/** Task types that count as a sales touch when logged on the record. */
export const LOGGED_TYPES = ['Call', 'Email', 'Meeting'] as const;
const KEY_PREFIX = 'lsync:';

export interface TaskActivityContext {
  api: SalesforceApi;
  mapping: SalesforceMapping;
  tuning: SalesforceTuning & QueryLimits;
}

function taskQuery(keyField: string, cursor: OutcomeCursor | null): string {
  const fields = ['Id', keyField, 'WhoId', 'Type', 'IsClosed', 'CompletedDateTime', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp'];
  let where = `IsClosed = true AND ${keyField} != null`;
  if (cursor) {
    const ts = dateTimeLiteral(cursor.modstamp);
    where = `IsClosed = true AND (${keyField} != null OR (Type IN (${quoteList(LOGGED_TYPES)}) AND WhoId != null)) AND (SystemModstamp > ${ts} OR (SystemModstamp = ${ts} AND Id > ${quote(cursor.id)}))`;
  }
  return `SELECT ${fields.join(', ')} FROM Task WHERE ${where} ORDER BY SystemModstamp, Id`;
}

const iso = (value: unknown): string | null => {
  const ms = instantOf(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
};

/** HubSpot ids of Leads and Contacts, by the first 15 characters of their Salesforce id. */
async function linkedContacts(context: TaskActivityContext, whoIds: string[]): Promise<Map<string, string>> {
  const linked = new Map<string, string>();
  const ext = context.mapping.externalIdField;
  for (const [sobject, prefix] of [['Lead', '00Q'], ['Contact', '003']] as const) {
    const ids = whoIds.filter((id) => id.startsWith(prefix));
    const queries = chunkedQueries(ids, (chunk) => `SELECT Id, ${ext} FROM ${sobject} WHERE Id IN (${quoteList(chunk)}) AND ${ext} != null`, context.tuning);
    for (const soql of queries) {
      for (const row of await context.api.queryAllRows<SfRow>(soql)) linked.set(row.Id.slice(0, 15), String(row[ext]));
    }
  }
  return linked;
}

export async function* tasksSince(context: TaskActivityContext, cursor: OutcomeCursor | null): AsyncGenerator<{ touches: TaskTouch[]; cursor: OutcomeCursor }> {
  const keyField = context.mapping.taskKeyField;
  for await (const page of context.api.pages<SfRow>(taskQuery(keyField, cursor))) {
    const last = page.records[page.records.length - 1];
    if (!last) continue;
    const logged = page.records.filter((row) => typeof row[keyField] !== 'string' && typeof row.WhoId === 'string');
    const linked = logged.length ? await linkedContacts(context, [...new Set(logged.map((row) => String(row.WhoId)))]) : new Map<string, string>();
    const touches = page.records.flatMap((row): TaskTouch[] => {
      const key = row[keyField];
      if (typeof key === 'string') {
        if (!key.startsWith(KEY_PREFIX)) return [];
        const at = iso(row.CompletedDateTime) ?? iso(row.LastModifiedDate) ?? iso(row.SystemModstamp);
        return at ? [{ hubspotId: key.slice(KEY_PREFIX.length, key.lastIndexOf(':')), key, taskId: row.Id, kind: 'task', at }] : [];
      }
      const hubspotId = linked.get(String(row.WhoId).slice(0, 15));
      const kind = String(row.Type).toLowerCase() as TaskTouch['kind'];
      const at = iso(row.CompletedDateTime) ?? iso(row.CreatedDate);
      return hubspotId && at ? [{ hubspotId, key: null, taskId: row.Id, kind, at }] : [];
    });
    yield { touches, cursor: { modstamp: instantOf(last.SystemModstamp), id: last.Id } };
  }
}

/** Changes fields of follow-up tasks that are still open; a key with no open task is reported, not written. */
export async function updateOpenTasks(context: TaskActivityContext, updates: ReadonlyArray<{ key: string; fields: Record<string, unknown> }>): Promise<RecordResult[]> {
  const keyField = context.mapping.taskKeyField;
  const open = new Map<string, string>();
  const queries = chunkedQueries(updates.map((u) => u.key), (chunk) => `SELECT Id, ${keyField} FROM Task WHERE ${keyField} IN (${quoteList(chunk)}) AND IsClosed = false`, context.tuning);
  for (const soql of queries) for (const row of await context.api.queryAllRows<SfRow>(soql)) open.set(String(row[keyField]), row.Id);
  const writable = updates.filter((u) => open.has(u.key));
  const outcomes = await saveRecords(context.api, 'PATCH', writable.map((u) => ({ ...u.fields, attributes: { type: 'Task' }, Id: open.get(u.key) })), context.tuning);
  const byKey = new Map(writable.map((u, i) => [u.key, toRecordResult(u.key, outcomes[i]!)]));
  return updates.map((u) => byKey.get(u.key) ?? { key: u.key, ok: false, retryable: false, code: 'TASK_NOT_OPEN', message: 'no open follow-up task with this key (completed or deleted)' });
}
