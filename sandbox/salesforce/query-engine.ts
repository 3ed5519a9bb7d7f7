/**
 * Runs a bound SOQL query against the store without copying it: candidate records come from
 * a value index (Id, Email, external ids, WhoId), from the (SystemModstamp, Id) index when
 * the filter bounds SystemModstamp from below, or from a full scan; an ORDER BY matching the
 * modstamp index with a LIMIT stops as soon as enough rows matched.
 */
import type { ObjectDef, SfRecord } from './schema';
import { bindQuery, compareRecords, type BoundCondition, type BoundOrder, type BoundQuery } from './soql/bind';
import { parseSoql } from './soql/parser';
import type { SalesforceStore } from './store';

export interface QueryResult {
  query: BoundQuery;
  /** Matching records after ORDER BY, OFFSET and LIMIT (references into the store). */
  records: SfRecord[];
}

/** Parses, binds and runs `soql`; throws SoqlError for Salesforce's 400 answers. */
export function runQuery(store: SalesforceStore, soql: string, includeDeleted = false): QueryResult {
  const query = bindQuery(parseSoql(soql));
  const { object, where } = query;
  const wanted = query.limit === undefined ? Infinity : (query.offset ?? 0) + query.limit;
  const accept = (r: SfRecord): boolean => (includeDeleted || r.IsDeleted !== true) && (!where || where.test(r));

  const candidates = where && candidatesOf(store, object, where);
  const bound = where && lowerBound(where, 'SystemModstamp');
  const inIndexOrder = !candidates && followsModstampIndex(query.orderBy);
  let source: Iterable<SfRecord>;
  if (candidates) source = candidates;
  else if (bound !== undefined || inIndexOrder) source = fromIds(store, object, store.byModstamp(object.name, bound));
  else source = store.table(object.name).values();

  const matched: SfRecord[] = [];
  const alreadySorted = query.orderBy.length === 0 || inIndexOrder;
  for (const record of source) {
    if (!accept(record)) continue;
    matched.push(record);
    if (alreadySorted && matched.length >= wanted) break;
  }
  if (!alreadySorted) matched.sort(compareRecords(query.orderBy));
  const start = query.offset ?? 0;
  const records = start > 0 || wanted < matched.length ? matched.slice(start, wanted) : matched;
  return { query, records };
}

function* fromIds(store: SalesforceStore, object: ObjectDef, ids: Iterable<string>): Generator<SfRecord> {
  const table = store.table(object.name);
  for (const id of ids) {
    const record = table.get(id);
    if (record) yield record;
  }
}

/** True for ORDER BY SystemModstamp [ASC] [, Id [ASC]], the order of the modstamp index. */
function followsModstampIndex(order: BoundOrder[]): boolean {
  if (order.length === 0 || order.length > 2) return false;
  const [first, second] = order;
  if (first?.field.name !== 'SystemModstamp' || first.descending) return false;
  return second === undefined || (second.field.name === 'Id' && !second.descending);
}

/** Records an equality / IN on an indexed field or Id narrows the query to, if any. */
function candidatesOf(store: SalesforceStore, object: ObjectDef, c: BoundCondition): SfRecord[] | undefined {
  if (c.kind === 'compare' && c.op === '=' || c.kind === 'in' && !c.negated) {
    const values = c.kind === 'compare' ? [c.value] : c.values;
    // Indexes hold non-null values only.
    if (values.includes(null)) return undefined;
    if (c.field.name === 'Id') {
      const table = store.table(object.name);
      return unique(values.map((v) => (typeof v === 'string' ? table.get(v) : undefined)));
    }
    if (!store.isIndexed(object.name, c.field.name)) return undefined;
    return unique(values.flatMap((v) => store.lookup(object.name, c.field.name, v)));
  }
  if (c.kind === 'and') {
    const sets = c.items.map((item) => candidatesOf(store, object, item)).filter((s) => s !== undefined);
    return sets.sort((a, b) => a.length - b.length)[0];
  }
  if (c.kind === 'or') {
    const sets = c.items.map((item) => candidatesOf(store, object, item));
    return sets.every((s) => s !== undefined) ? unique(sets.flat()) : undefined;
  }
  return undefined;
}

function unique(records: Array<SfRecord | undefined>): SfRecord[] {
  return [...new Set(records.filter((r): r is SfRecord => r !== undefined))];
}

/** The smallest value of `field` every matching record must have, when the filter implies one. */
function lowerBound(c: BoundCondition, field: string): number | undefined {
  if (c.kind === 'compare') {
    const bounded = c.field.name === field && (c.op === '>' || c.op === '>=' || c.op === '=');
    return bounded && typeof c.value === 'number' ? c.value : undefined;
  }
  if (c.kind === 'and') {
    const bounds = c.items.map((item) => lowerBound(item, field)).filter((b) => b !== undefined);
    return bounds.length > 0 ? Math.max(...bounds) : undefined;
  }
  if (c.kind === 'or') {
    const bounds = c.items.map((item) => lowerBound(item, field));
    return bounds.every((b) => b !== undefined) ? Math.min(...(bounds as number[])) : undefined;
  }
  return undefined;
}
