/**
 * Saving records through sObject Collections: 200 per call, `allOrNone: false`, one outcome
 * per record. Records refused with UNABLE_TO_LOCK_ROW (another transaction holds the row or
 * its parent) are sent again, alone, after a jittered backoff; every other refusal is final
 * for that record and never affects its neighbours.
 */
import { PermanentError } from '../errors';
import type { SalesforceApi, SaveError } from './api';
import { backoffDelay, sleep, type SalesforceTuning } from './config';

export const COLLECTION_SIZE = 200;
export const LOCK_ERROR = 'UNABLE_TO_LOCK_ROW';

export type SaveOutcome =
  | { ok: true; id: string; created?: boolean }
  | { ok: false; id?: string; code: string; message: string; fields: string[] };

export async function saveRecords(
  api: SalesforceApi,
  method: 'POST' | 'PATCH',
  records: ReadonlyArray<Record<string, unknown>>,
  tuning: Pick<SalesforceTuning, 'lockAttempts' | 'backoffBaseMs' | 'backoffMaxMs'>,
): Promise<SaveOutcome[]> {
  const outcomes: SaveOutcome[] = new Array<SaveOutcome>(records.length);
  // Salesforce processes a collection in chunks, a new one at every change of type, and
  // refuses more than 10 chunks: grouping by type keeps each call at one chunk per type.
  let pending = records.map((_, i) => i).sort((a, b) => typeOf(records[a]).localeCompare(typeOf(records[b])));
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > 1) await sleep(backoffDelay(tuning, attempt - 1));
    const locked: number[] = [];
    for (let start = 0; start < pending.length; start += COLLECTION_SIZE) {
      const chunk = pending.slice(start, start + COLLECTION_SIZE);
      const results = await sendChunk(api, method, chunk.map((i) => records[i] as Record<string, unknown>));
      chunk.forEach((index, position) => {
        const outcome = results[position] ?? missingResult();
        outcomes[index] = outcome;
        if (!outcome.ok && outcome.code === LOCK_ERROR && attempt < tuning.lockAttempts) locked.push(index);
      });
    }
    pending = locked;
  }
  return outcomes;
}

/** One call; a request-level refusal (400: unknown field, bad JSON) is every record's outcome. */
async function sendChunk(api: SalesforceApi, method: 'POST' | 'PATCH', records: Array<Record<string, unknown>>): Promise<SaveOutcome[]> {
  try {
    const results = await api.collection(method, records);
    return results.map((result) => {
      if (result.success && result.id) return { ok: true, id: result.id, ...(result.created === undefined ? {} : { created: result.created }) };
      const error: SaveError = result.errors[0] ?? { statusCode: 'UNKNOWN_EXCEPTION', message: 'no error detail returned' };
      return { ok: false, ...(result.id ? { id: result.id } : {}), code: error.statusCode, message: error.message, fields: error.fields ?? [] };
    });
  } catch (error) {
    if (!(error instanceof PermanentError)) throw error;
    return records.map(() => ({ ok: false, code: error.code, message: error.message, fields: [] }));
  }
}

function typeOf(record: Record<string, unknown> | undefined): string {
  return (record?.attributes as { type?: string } | undefined)?.type ?? '';
}

function missingResult(): SaveOutcome {
  return { ok: false, code: 'UNKNOWN_EXCEPTION', message: 'Salesforce returned fewer results than records sent', fields: [] };
}
