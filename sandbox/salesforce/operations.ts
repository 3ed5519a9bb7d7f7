/**
 * Record writes (create, update, upsert, delete) for single-record routes and sObject
 * Collections alike: each request is planned (validated, uniqueness and lock faults
 * decided) and then applied; under allOrNone nothing is applied unless every plan succeeded.
 */
import { recordError, ROLLED_BACK, type RecordError } from './errors';
import { normaliseId } from './ids';
import { objectOfId } from './objects';
import type { FieldDef, FieldValue, ObjectDef, SfRecord } from './schema';
import type { SalesforceStore } from './store';
import { checkWrite, roundNumbers } from './validate';

/** One element of a save result list, as Salesforce returns it. */
export interface SaveResult {
  id?: string | null;
  success: boolean;
  errors: RecordError[];
  created?: boolean;
}

export type WriteRequest =
  | { op: 'create'; def: ObjectDef; values: Record<string, FieldValue> }
  | { op: 'update'; def: ObjectDef; id: string; values: Record<string, FieldValue> }
  | { op: 'upsert'; def: ObjectDef; field: FieldDef; values: Record<string, FieldValue> }
  | { op: 'delete'; id: string };

export interface WriteContext {
  store: SalesforceStore;
  /** The running user, stamped into CreatedById / LastModifiedById. */
  userId: string;
  /** True when a write locking `key` (a record id) must fail with UNABLE_TO_LOCK_ROW. */
  lockFault(key: string): boolean;
  /** Block new Leads and Contacts whose e-mail a live Lead or Contact already has. */
  blockDuplicates?: boolean;
}

type Plan =
  | { kind: 'insert'; def: ObjectDef; values: Record<string, FieldValue>; created?: boolean }
  | { kind: 'update'; def: ObjectDef; record: SfRecord; values: Record<string, FieldValue>; created?: boolean }
  | { kind: 'delete'; def: ObjectDef; record: SfRecord };
type Outcome = { plan: Plan } | { error: RecordError; id?: string };

/** Plans and applies `requests`, returning one result per request in order. */
export function executeWrites(ctx: WriteContext, requests: WriteRequest[], allOrNone: boolean): SaveResult[] {
  const duplicates = duplicateExternalIds(requests);
  const claims = new Set<string>();
  const outcomes: Outcome[] = [];
  const results: SaveResult[] = [];
  for (const [i, request] of requests.entries()) {
    const outcome = duplicates.has(i)
      ? { error: duplicates.get(i) as RecordError }
      : plan(ctx, request, claims);
    outcomes.push(outcome);
    if (!allOrNone) results.push('plan' in outcome ? apply(ctx, outcome.plan) : failure(outcome));
  }
  if (!allOrNone) return results;
  if (outcomes.some((o) => 'error' in o)) {
    return outcomes.map((o) => ('error' in o ? failure(o) : failure({ error: ROLLED_BACK, id: idOf(o.plan) })));
  }
  return outcomes.map((o) => apply(ctx, (o as { plan: Plan }).plan));
}

function plan(ctx: WriteContext, request: WriteRequest, claims: Set<string>): Outcome {
  if (request.op === 'delete') return planDelete(ctx, request.id);
  const { def } = request;
  const values = { ...request.values };
  roundNumbers(def, values);
  if (request.op === 'create') return planInsert(ctx, def, values, claims);
  if (request.op === 'update') {
    const found = findForWrite(ctx, request.id, def);
    if ('error' in found) return found;
    return planUpdate(ctx, def, found.record, values, claims);
  }
  const key = values[request.field.name];
  if (key === undefined || key === null) {
    return { error: recordError('MISSING_ARGUMENT', `${request.field.name} not specified`) };
  }
  const matches = ctx.store.lookup(def.name, request.field.name, key).filter((r) => r.IsDeleted !== true);
  if (matches.length > 1) {
    const ids = matches.map((r) => String(r.Id)).join(', ');
    return {
      error: recordError('DUPLICATE_EXTERNAL_ID', `${request.field.label}: more than one record found for external id field: [${ids}]`, [request.field.name]),
    };
  }
  const [match] = matches;
  const outcome = match ? planUpdate(ctx, def, match, values, claims) : planInsert(ctx, def, values, claims);
  if ('plan' in outcome && outcome.plan.kind !== 'delete') outcome.plan.created = match === undefined;
  return outcome;
}

function planInsert(ctx: WriteContext, def: ObjectDef, values: Record<string, FieldValue>, claims: Set<string>): Outcome {
  const error = checkWrite(def, values, { store: ctx.store, mode: 'create' }) ?? claim(def, values, claims) ?? duplicateOf(ctx, def, values);
  if (error) return { error };
  // A Task insert locks its parent Lead or Contact, which is where real orgs see lock errors.
  const parent = def.name === 'Task' && typeof values.WhoId === 'string' ? values.WhoId : undefined;
  if (parent && ctx.lockFault(parent)) return { error: lockError(parent) };
  return { plan: { kind: 'insert', def, values } };
}

function planUpdate(
  ctx: WriteContext,
  def: ObjectDef,
  record: SfRecord,
  values: Record<string, FieldValue>,
  claims: Set<string>,
): Outcome {
  const id = String(record.Id);
  const error = checkWrite(def, values, { store: ctx.store, mode: 'update', existing: record }) ?? claim(def, values, claims, id);
  if (error) return { error, id };
  if (ctx.lockFault(id)) return { error: lockError(id), id };
  return { plan: { kind: 'update', def, record, values } };
}

function planDelete(ctx: WriteContext, rawId: string): Outcome {
  const found = findForWrite(ctx, rawId);
  if ('error' in found) return found;
  const id = String(found.record.Id);
  if (found.record.IsDeleted === true) return { error: recordError('ENTITY_IS_DELETED', 'entity is deleted'), id };
  if (ctx.lockFault(id)) return { error: lockError(id), id };
  return { plan: { kind: 'delete', def: found.def, record: found.record } };
}

function findForWrite(ctx: WriteContext, rawId: string, expected?: ObjectDef): { record: SfRecord; def: ObjectDef } | { error: RecordError; id?: string } {
  const id = normaliseId(rawId);
  const def = id ? objectOfId(id) : undefined;
  if (!id || !def) return { error: recordError('MALFORMED_ID', `${expected?.label ?? 'Record'} ID: id value of incorrect type: ${rawId}`, ['Id']), id: rawId };
  if (expected && def !== expected) {
    return { error: recordError('MALFORMED_ID', `${expected.label} ID: id value of incorrect type: ${rawId}`, ['Id']), id };
  }
  const record = ctx.store.get(id);
  if (!record) return { error: recordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id'), id };
  return { record, def };
}

/** Unique values claimed by earlier requests of the same batch. */
function claim(def: ObjectDef, values: Record<string, FieldValue>, claims: Set<string>, selfId = ''): RecordError | undefined {
  for (const f of def.fields) {
    const value = values[f.name];
    if (!f.unique || value === undefined || value === null) continue;
    const key = `${def.name}.${f.name}:${String(value).toLowerCase()}`;
    if (claims.has(key)) {
      return recordError('DUPLICATE_VALUE', `duplicate value found: ${f.name} duplicates value on record with id: ${selfId}`);
    }
    claims.add(key);
  }
  return undefined;
}

/** Upserts naming one external id more than once all fail, as in Salesforce. */
function duplicateExternalIds(requests: WriteRequest[]): Map<number, RecordError> {
  const seen = new Map<string, number[]>();
  for (const [i, r] of requests.entries()) {
    if (r.op !== 'upsert') continue;
    const value = r.values[r.field.name];
    if (value === undefined || value === null) continue;
    const key = String(value).toLowerCase();
    seen.set(key, [...(seen.get(key) ?? []), i]);
  }
  const out = new Map<number, RecordError>();
  for (const [key, indexes] of seen) {
    if (indexes.length < 2) continue;
    for (const i of indexes) out.set(i, recordError('DUPLICATE_EXTERNAL_ID', `Duplicate external id specified: ${key}`));
  }
  return out;
}

function apply(ctx: WriteContext, p: Plan): SaveResult {
  if (p.kind === 'insert') {
    const record = ctx.store.insert(p.def, p.values, ctx.userId);
    return withCreated({ id: String(record.Id), success: true, errors: [] }, p.created);
  }
  if (p.kind === 'update') {
    ctx.store.update(p.def, p.record, p.values, ctx.userId);
    return withCreated({ id: String(p.record.Id), success: true, errors: [] }, p.created);
  }
  ctx.store.markDeleted(p.def, p.record, ctx.userId);
  return { id: String(p.record.Id), success: true, errors: [] };
}

function withCreated(result: SaveResult, created: boolean | undefined): SaveResult {
  return created === undefined ? result : { ...result, created };
}

function failure(o: { error: RecordError; id?: string }): SaveResult {
  return o.id === undefined ? { success: false, errors: [o.error] } : { id: o.id, success: false, errors: [o.error] };
}

function idOf(p: Plan): string | undefined {
  return p.kind === 'insert' ? undefined : String(p.record.Id);
}

/** A duplicate rule with action Block on create, matching e-mail exactly (case-insensitive). */
function duplicateOf(ctx: WriteContext, def: ObjectDef, values: Record<string, FieldValue>): RecordError | undefined {
  if (!ctx.blockDuplicates || (def.name !== 'Lead' && def.name !== 'Contact') || typeof values.Email !== 'string') return undefined;
  const live = (r: SfRecord): boolean => r.IsDeleted !== true && r.IsConverted !== true;
  const matches = [...ctx.store.lookup('Lead', 'Email', values.Email), ...ctx.store.lookup('Contact', 'Email', values.Email)].filter(live);
  if (matches.length === 0) return undefined;
  return recordError('DUPLICATES_DETECTED', "You're creating a duplicate record. We recommend you use an existing record instead.");
}

function lockError(id: string): RecordError {
  return recordError('UNABLE_TO_LOCK_ROW', `unable to obtain exclusive access to this record or 1 records: ${id}`);
}
