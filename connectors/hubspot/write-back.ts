/**
 * Lifecycle properties back to HubSpot: batch update, 100 records per call, one result per
 * input. A 207 answer is split per record; a whole-batch 4xx (HubSpot refuses a batch when
 * one value is invalid) is bisected until the bad records are alone, so one bad record never
 * fails its neighbours. Rate limits, auth problems and exhausted retries are thrown: the
 * writes are idempotent property sets, so the caller re-runs the batch.
 */
import { PermanentError, type RecordResult } from '../errors';
import type { ConnectorContext } from './context';
import { chunks } from './chunks';

const ENDPOINT = 'POST /crm/v3/objects/contacts/batch/update';
const BATCH = 100;
/** Record-level error categories worth retrying later. */
const RETRYABLE_CATEGORIES = new Set(['INTERNAL_ERROR', 'RATE_LIMITS', 'TIMEOUT', 'SERVICE_UNAVAILABLE', 'LOCKED']);

export interface ContactUpdate {
  id: string;
  properties: Record<string, string>;
}

interface BatchError {
  category?: string;
  message?: string;
  correlationId?: string;
  context?: Record<string, string[]>;
}

export async function updateContacts(ctx: ConnectorContext, updates: ContactUpdate[]): Promise<RecordResult[]> {
  // HubSpot refuses a batch naming one id twice: later values for the same id win.
  const merged = new Map<string, Record<string, string>>();
  for (const u of updates) merged.set(u.id, { ...merged.get(u.id), ...u.properties });
  const outcome = new Map<string, RecordResult>();
  const toWrite: ContactUpdate[] = [];
  for (const [id, properties] of merged) {
    if (Object.keys(properties).length === 0) outcome.set(id, { key: id, ok: true, id });
    else toWrite.push({ id, properties });
  }
  for (const batch of chunks(toWrite, BATCH)) {
    for (const result of await writeBatch(ctx, batch)) outcome.set(result.key, result);
  }
  return updates.map((u) => outcome.get(u.id)!);
}

async function writeBatch(ctx: ConnectorContext, batch: ContactUpdate[]): Promise<RecordResult[]> {
  let response;
  try {
    response = await ctx.requester.call(ENDPOINT, () => ctx.apis.contactsBatch.update({ inputs: batch.map(({ id, properties }) => ({ id, properties })) }));
  } catch (error) {
    if (!(error instanceof PermanentError)) throw error;
    if (batch.length === 1) {
      return [{ key: batch[0]!.id, ok: false, retryable: false, code: error.code, message: error.message, ...(error.correlationId ? { correlationId: error.correlationId } : {}) }];
    }
    ctx.logger.warn({ records: batch.length, code: error.code, correlationId: error.correlationId }, 'HubSpot refused a whole update batch; splitting it to isolate the bad records');
    const half = Math.ceil(batch.length / 2);
    return [...(await writeBatch(ctx, batch.slice(0, half))), ...(await writeBatch(ctx, batch.slice(half)))];
  }
  const results = new Map<string, RecordResult>();
  for (const object of response.results) results.set(String(object.id), { key: String(object.id), ok: true, id: String(object.id) });
  const errors = ('errors' in response ? response.errors : undefined) as BatchError[] | undefined;
  for (const error of errors ?? []) {
    const category = error.category ?? 'UNKNOWN';
    const message = error.message ?? 'HubSpot refused the record';
    for (const id of error.context?.ids ?? error.context?.id ?? []) {
      if (results.has(id)) continue;
      results.set(id, { key: id, ok: false, retryable: RETRYABLE_CATEGORIES.has(category), code: category, message, ...(error.correlationId ? { correlationId: error.correlationId } : {}) });
    }
  }
  // An input HubSpot neither confirmed nor named in an error is not known to be written: retry it.
  return batch.map(({ id }) => results.get(id) ?? { key: id, ok: false, retryable: true, code: 'UNCONFIRMED', message: 'HubSpot did not confirm this record in its batch answer' });
}
