/**
 * One follow-up Task per MQL episode, whatever retries, re-runs and backfills do: the key
 * lives in a unique external-id field on Task. Keys already there (in the recycle bin too, so
 * a task sales deleted is not put back) are reported with `created: false` and never
 * written again, so a task a salesperson edited is never overwritten. The rest are created;
 * a DUPLICATE_VALUE on the key means another worker created it first, which is success.
 */
import type { RecordResult } from '../errors';
import type { TaskRequest } from '../ports';
import type { SalesforceApi, SfRow } from './api';
import { saveRecords, type SaveOutcome } from './collections';
import type { SalesforceTuning } from './config';
import { chunkedQueries, quoteList, type QueryLimits } from './soql';
import { duplicateOf, toRecordResult } from './writes';

export async function ensureTasks(
  api: SalesforceApi,
  tuning: SalesforceTuning & QueryLimits,
  keyField: string,
  tasks: readonly TaskRequest[],
): Promise<RecordResult[]> {
  const firstByKey = new Map<string, TaskRequest>();
  for (const task of tasks) if (!firstByKey.has(task.key)) firstByKey.set(task.key, task);
  const existing = await existingKeys(api, tuning, keyField, [...firstByKey.keys()]);
  const toCreate = [...firstByKey.values()].filter((task) => !existing.has(task.key));
  const outcomes = await saveRecords(
    api,
    'POST',
    toCreate.map((t) => ({ ...t.fields, attributes: { type: 'Task' }, [keyField]: t.key })),
    tuning,
  );
  const byKey = new Map<string, RecordResult>();
  for (const [key, id] of existing) byKey.set(key, { key, ok: true, id, created: false });
  toCreate.forEach((task, i) => {
    const outcome = outcomes[i] as SaveOutcome;
    const holder = duplicateOf(outcome, keyField);
    byKey.set(task.key, holder === undefined ? toRecordResult(task.key, outcome, true) : { key: task.key, ok: true, ...(holder ? { id: holder } : {}), created: false });
  });
  // A key given twice in one batch is one task: the later copies report it as existing.
  const reported = new Set<string>();
  return tasks.map((task) => {
    const result = byKey.get(task.key) as RecordResult;
    if (!reported.has(task.key)) {
      reported.add(task.key);
      return result;
    }
    return result.ok ? { ...result, created: false } : result;
  });
}

/** Key -> Task id of the keys that exist, deleted Tasks included (queryAll). */
async function existingKeys(api: SalesforceApi, limits: QueryLimits, keyField: string, keys: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const queries = chunkedQueries(keys, (chunk) => `SELECT Id, ${keyField} FROM Task WHERE ${keyField} IN (${quoteList(chunk)})`, limits);
  for (const soql of queries) {
    for (const row of await api.queryAllRows<SfRow>(soql, { includeDeleted: true })) {
      const key = row[keyField];
      if (typeof key === 'string') found.set(key, row.Id);
    }
  }
  return found;
}
