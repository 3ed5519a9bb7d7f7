/**
 * Write validation as Salesforce does it: request-level problems (unknown field, a value
 * JSON cannot turn into the field's type) throw a {@link SalesforceApiError}; record-level
 * problems come back as one {@link RecordError} so collections can report them per record.
 */
import { parseDate, parseDateTime } from './datetime';
import { invalidFieldOnWrite, jsonParserError, recordError, type RecordError } from './errors';
import { normaliseId } from './ids';
import { objectOfId } from './objects';
import { isRequired, isText, type FieldDef, type FieldValue, type ObjectDef, type SfRecord } from './schema';
import type { SalesforceStore } from './store';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The fields of a JSON record body by canonical name, values converted to their stored form.
 * `attributes` and the names in `skip` (lower-case) are left out.
 */
export function parseBody(def: ObjectDef, body: unknown, skip: string[] = []): Record<string, FieldValue> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw jsonParserError(`Cannot deserialize instance of ${def.name} from ${Array.isArray(body) ? 'START_ARRAY' : 'VALUE'}`);
  }
  const values: Record<string, FieldValue> = {};
  for (const [key, raw] of Object.entries(body)) {
    const lower = key.toLowerCase();
    if (lower === 'attributes' || skip.includes(lower)) continue;
    const f = def.byLower.get(lower);
    if (!f) throw invalidFieldOnWrite(key, def.name);
    values[f.name] = convert(f, raw);
  }
  return values;
}

function convert(f: FieldDef, raw: unknown): FieldValue {
  if (raw === null) return f.type === 'boolean' ? false : null;
  const fail = (): never => {
    throw jsonParserError(`Cannot deserialize instance of ${f.type} from value ${JSON.stringify(raw)} for field ${f.name}`);
  };
  if (typeof raw === 'object') return fail();
  switch (f.type) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      return raw === 'true' ? true : raw === 'false' ? false : fail();
    case 'double': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      return Number.isFinite(n) ? n : fail();
    }
    case 'date':
      return (typeof raw === 'string' && parseDate(raw)) || fail();
    case 'datetime': {
      const ms = typeof raw === 'string' ? parseDateTime(raw) : undefined;
      return ms ?? fail();
    }
    case 'reference':
    case 'id': {
      const text = String(raw);
      if (text === '') return null;
      return normaliseId(text) ?? text;
    }
    default: {
      const text = String(raw);
      // Salesforce stores an empty string in a text field as null.
      return text === '' ? null : text;
    }
  }
}

export interface CheckContext {
  store: SalesforceStore;
  mode: 'create' | 'update';
  /** The stored record, for updates. */
  existing?: SfRecord;
}

/** The first record-level error of a write, or undefined when it may be applied. */
export function checkWrite(def: ObjectDef, values: Record<string, FieldValue>, ctx: CheckContext): RecordError | undefined {
  const { existing, mode } = ctx;
  if (existing?.IsDeleted === true) return recordError('ENTITY_IS_DELETED', 'entity is deleted');
  if (existing?.IsConverted === true) return recordError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead');

  const names = Object.keys(values);
  const locked = names.filter((name) => {
    const f = def.byLower.get(name.toLowerCase()) as FieldDef;
    return mode === 'create' ? !f.createable : !f.updateable;
  });
  if (locked.length > 0) {
    return recordError(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${locked.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      locked,
    );
  }
  for (const name of names) {
    const error = checkValue(def.byLower.get(name.toLowerCase()) as FieldDef, values[name] ?? null, ctx.store, def);
    if (error) return error;
  }
  // Defaults fill fields left out, never an explicit null.
  const missing = def.fields.filter(
    (f) =>
      (values[f.name] === null && !f.nillable && f.type !== 'boolean') ||
      (mode === 'create' && isRequired(f) && values[f.name] === undefined),
  );
  if (missing.length > 0) {
    const list = missing.map((f) => f.name);
    return recordError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${list.join(', ')}]`, list);
  }
  return uniqueViolation(def, values, ctx.store, existing?.Id as string | undefined);
}

function checkValue(f: FieldDef, value: FieldValue, store: SalesforceStore, def: ObjectDef): RecordError | undefined {
  if (value === null) return undefined;
  if (isText(f) && f.type !== 'reference' && f.type !== 'id' && String(value).length > f.length) {
    return recordError('STRING_TOO_LONG', `${f.label}: data value too large: ${String(value)} (max length=${f.length})`, [f.name]);
  }
  if (f.type === 'email' && !EMAIL.test(String(value))) {
    return recordError('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${String(value)}`, [f.name]);
  }
  if (f.type === 'picklist' && f.restrictedPicklist && !f.picklistValues?.includes(String(value))) {
    return recordError(
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      `${f.label}: bad value for restricted picklist field: ${String(value)}`,
      [f.name],
    );
  }
  if (f.type === 'double' && typeof value === 'number') {
    const bound = 10 ** (f.precision - f.scale);
    if (Math.abs(value) >= bound) {
      return recordError('NUMBER_OUTSIDE_VALID_RANGE', `${f.label}: value outside of valid range on numeric field: ${value}`, [f.name]);
    }
  }
  if (f.type === 'reference') return checkReference(f, String(value), store, def);
  return undefined;
}

function checkReference(f: FieldDef, value: string, store: SalesforceStore, def: ObjectDef): RecordError | undefined {
  const target = normaliseId(value) ? objectOfId(value) : undefined;
  if (!normaliseId(value)) return recordError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${value}`, [f.name]);
  if (!target || !f.referenceTo.includes(target.name)) {
    // Tasks may not be owned by a queue: the classic FIELD_INTEGRITY_EXCEPTION.
    return recordError('FIELD_INTEGRITY_EXCEPTION', `${f.label}: id value of incorrect type: ${value}`, [f.name]);
  }
  const referenced = store.get(value);
  if (!referenced || referenced.IsDeleted === true) {
    return recordError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [f.name]);
  }
  if (def.name === 'Task' && referenced.IsConverted === true) {
    return recordError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', [f.name]);
  }
  return undefined;
}

/** DUPLICATE_VALUE when a unique field's value is held by another live record. */
export function uniqueViolation(
  def: ObjectDef,
  values: Record<string, FieldValue>,
  store: SalesforceStore,
  selfId?: string,
): RecordError | undefined {
  for (const f of def.fields) {
    const value = values[f.name];
    if (!f.unique || value === undefined || value === null) continue;
    const holder = store.lookup(def.name, f.name, value).find((r) => r.IsDeleted !== true && r.Id !== selfId);
    if (holder) {
      return recordError(
        'DUPLICATE_VALUE',
        `duplicate value found: ${f.name} duplicates value on record with id: ${String(holder.Id)}`,
      );
    }
  }
  return undefined;
}

/** Rounds numbers to their field's scale, as Salesforce stores them. */
export function roundNumbers(def: ObjectDef, values: Record<string, FieldValue>): void {
  for (const [name, value] of Object.entries(values)) {
    const f = def.byLower.get(name.toLowerCase());
    if (f?.type === 'double' && typeof value === 'number') {
      const factor = 10 ** f.scale;
      values[name] = Math.round(value * factor) / factor;
    }
  }
}
