/**
 * Resolves a parsed query against the schema: canonical field names, type-checked literals
 * (a quoted date-time is an error, as in Salesforce) and a compiled record predicate.
 */
import { normaliseId } from '../ids';
import { objectNamed } from '../objects';
import { isText, type FieldDef, type FieldValue, type ObjectDef, type SfRecord } from '../schema';
import type { ComparisonOp, Condition, Ident, Literal, SelectQuery } from './ast';
import { SoqlError } from './errors';

export type Predicate = (record: SfRecord) => boolean;

/** A bound condition keeps its shape so the engine can plan index use from it. */
export type BoundCondition =
  | { kind: 'and' | 'or'; items: BoundCondition[]; test: Predicate }
  | { kind: 'not'; item: BoundCondition; test: Predicate }
  | { kind: 'compare'; field: FieldDef; op: ComparisonOp; value: FieldValue; test: Predicate }
  | { kind: 'in'; field: FieldDef; negated: boolean; values: FieldValue[]; test: Predicate }
  | { kind: 'like'; field: FieldDef; test: Predicate };

export interface BoundOrder {
  field: FieldDef;
  descending: boolean;
  nullsFirst: boolean;
}

export interface BoundQuery {
  object: ObjectDef;
  /** Fields to return, in the order selected; empty for COUNT(). */
  fields: FieldDef[];
  /** `COUNT()` answers only totalSize; `COUNT(field)` answers one AggregateResult row. */
  count?: { field?: FieldDef };
  where?: BoundCondition;
  orderBy: BoundOrder[];
  limit?: number;
  offset?: number;
}

const LONG_TEXT = 255;

export function bindQuery(query: SelectQuery): BoundQuery {
  const object = objectNamed(query.from.name);
  if (!object) {
    throw new SoqlError(
      'INVALID_TYPE',
      `sObject type '${query.from.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
      query.from.pos,
    );
  }
  const fields: FieldDef[] = [];
  let count: BoundQuery['count'];
  for (const item of query.select) {
    if (item.kind === 'count') count = { field: item.field ? resolve(object, item.field) : undefined };
    else if (!fields.includes(resolve(object, item.field))) fields.push(resolve(object, item.field));
  }
  const orderBy = query.orderBy.map((o) => {
    const field = resolve(object, o.field);
    if (field.type === 'textarea' && field.length > LONG_TEXT) {
      throw new SoqlError('INVALID_FIELD', `field '${field.name}' can not be sorted in a query call`, o.field.pos);
    }
    return { field, descending: o.descending, nullsFirst: o.nullsFirst ?? !o.descending };
  });
  const where = query.where ? bindCondition(object, query.where) : undefined;
  return { object, fields, count, where, orderBy, limit: query.limit, offset: query.offset };
}

function resolve(object: ObjectDef, ident: Ident): FieldDef {
  if (ident.name.includes('.')) {
    const relationship = ident.name.split('.')[0];
    throw new SoqlError(
      'INVALID_FIELD',
      `Didn't understand relationship '${relationship}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      ident.pos,
    );
  }
  const field = object.byLower.get(ident.name.toLowerCase());
  if (!field) {
    throw new SoqlError(
      'INVALID_FIELD',
      `No such column '${ident.name}' on entity '${object.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      ident.pos,
    );
  }
  return field;
}

function bindCondition(object: ObjectDef, c: Condition): BoundCondition {
  switch (c.kind) {
    case 'and':
    case 'or': {
      const items = c.items.map((item) => bindCondition(object, item));
      const tests = items.map((item) => item.test);
      const test: Predicate =
        c.kind === 'and' ? (r) => tests.every((t) => t(r)) : (r) => tests.some((t) => t(r));
      return { kind: c.kind, items, test };
    }
    case 'not': {
      const item = bindCondition(object, c.item);
      return { kind: 'not', item, test: (r) => !item.test(r) };
    }
    case 'compare': {
      const field = filterable(object, c.field);
      const value = bindLiteral(field, c.value);
      return { kind: 'compare', field, op: c.op, value, test: compareTest(field, c.op, value) };
    }
    case 'in': {
      const field = filterable(object, c.field);
      const values = c.values.map((v) => bindLiteral(field, v));
      const keys = new Set(values.map((v) => key(field, v)));
      const test: Predicate = (r) => keys.has(key(field, r[field.name] ?? null)) !== c.negated;
      return { kind: 'in', field, negated: c.negated, values, test };
    }
    case 'like': {
      const field = filterable(object, c.field);
      if (c.pattern.kind !== 'string' || !isText(field)) {
        throw new SoqlError('INVALID_FIELD', `invalid operator on field '${field.name}': LIKE`, c.field.pos);
      }
      const regex = likeRegex(c.pattern.value);
      return { kind: 'like', field, test: (r) => typeof r[field.name] === 'string' && regex.test(r[field.name] as string) };
    }
  }
}

function filterable(object: ObjectDef, ident: Ident): FieldDef {
  const field = resolve(object, ident);
  if (field.type === 'textarea' && field.length > LONG_TEXT) {
    throw new SoqlError('INVALID_FIELD', `field '${field.name}' can not be filtered in a query call`, ident.pos);
  }
  return field;
}

/** The stored-form value of a literal, or the type error Salesforce gives. */
function bindLiteral(field: FieldDef, literal: Literal): FieldValue {
  if (literal.kind === 'null') return null;
  const wrongType = (expected: string, quoted: boolean): never => {
    throw new SoqlError(
      'INVALID_FIELD',
      `value of filter criterion for field '${field.name}' must be of type ${expected} and ${quoted ? 'should be enclosed in quotes' : 'should not be enclosed in quotes'}`,
      literal.pos,
    );
  };
  switch (field.type) {
    case 'boolean':
      return literal.kind === 'boolean' ? literal.value : wrongType('boolean', false);
    case 'double':
      return literal.kind === 'number' ? literal.value : wrongType('double', false);
    case 'datetime':
      return literal.kind === 'datetime' ? literal.value : wrongType('dateTime', false);
    case 'date':
      return literal.kind === 'date' ? literal.value : wrongType('date', false);
    case 'id':
    case 'reference': {
      if (literal.kind !== 'string') return wrongType('id', true);
      if (literal.value === '') return null;
      const id = normaliseId(literal.value);
      if (!id) throw new SoqlError('INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${literal.value}`, literal.pos);
      return id;
    }
    default:
      return literal.kind === 'string' ? literal.value : wrongType('string', true);
  }
}

/** Comparable form of a value: text folds case (Salesforce compares text case-insensitively). */
function key(field: FieldDef, value: FieldValue): FieldValue {
  if (value === null) return null;
  return isText(field) && field.type !== 'id' && field.type !== 'reference' ? String(value).toLowerCase() : value;
}

function compareTest(field: FieldDef, op: ComparisonOp, literal: FieldValue): Predicate {
  const want = key(field, literal);
  const name = field.name;
  if (op === '=') return (r) => key(field, r[name] ?? null) === want;
  if (op === '!=') return (r) => key(field, r[name] ?? null) !== want;
  return (r) => {
    const have = key(field, r[name] ?? null);
    if (have === null || want === null) return false;
    const d = have < want ? -1 : have > want ? 1 : 0;
    return op === '<' ? d < 0 : op === '<=' ? d <= 0 : op === '>' ? d > 0 : d >= 0;
  };
}

/** `%` any run, `_` one character, `\%` `\_` literal; case-insensitive, whole value. */
function likeRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
      source += `\\${pattern[++i]}`;
    } else if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}

/** Orders records by the bound ORDER BY list, then by Id so results are deterministic. */
export function compareRecords(order: BoundOrder[]): (a: SfRecord, b: SfRecord) => number {
  return (a, b) => {
    for (const o of order) {
      const x = key(o.field, a[o.field.name] ?? null);
      const y = key(o.field, b[o.field.name] ?? null);
      if (x === y) continue;
      if (x === null) return o.nullsFirst ? -1 : 1;
      if (y === null) return o.nullsFirst ? 1 : -1;
      const d = x < y ? -1 : 1;
      return o.descending ? -d : d;
    }
    const ia = a.Id as string;
    const ib = b.Id as string;
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  };
}
