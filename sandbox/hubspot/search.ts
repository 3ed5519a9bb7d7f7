/**
 * `POST /crm/v3/objects/contacts/search` over a lazily generated portal. Filters on the
 * indexed timestamps, ids and e-mails narrow the candidates without generating contacts;
 * other filters generate the candidates they must look at. A sorted result is cached per
 * query until the store changes, so paging a large result does not sort it again per page.
 */
import { contactIdOf, HISTORY_DERIVED_PROPERTIES } from '../dataset';
import type { ContactStore } from './contact-store';
import type { PropertyRegistry } from './property-registry';

export interface SearchFilter {
  propertyName: string;
  operator: string;
  value?: unknown;
  values?: unknown[];
  highValue?: unknown;
}
export interface SearchRequest {
  filterGroups?: Array<{ filters?: SearchFilter[] }>;
  sorts?: Array<{ propertyName?: string; direction?: string } | string>;
  properties?: string[];
  limit?: number;
  after?: string | number;
}

export interface SearchLimits {
  maxGroups: number;
  /** 6 in current documentation, 10 in older. @defaultValue 6 */
  maxFiltersPerGroup: number;
  maxFilters: number;
  /** Results reachable by paging. @defaultValue 10000 */
  maxResults: number;
}
export const DEFAULT_SEARCH_LIMITS: SearchLimits = { maxGroups: 5, maxFiltersPerGroup: 6, maxFilters: 18, maxResults: 10_000 };

export const OPERATORS = ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN'] as const;
const INDEXED_TIMES = new Set(['lastmodifieddate', 'hs_lastmodifieddate', 'createdate']);

type Kind = 'number' | 'time' | 'string';

export class SearchError extends Error {
  constructor(message: string, readonly subCategory?: string) {
    super(message);
    this.name = 'SearchError';
  }
}

function kindOf(registry: PropertyRegistry, name: string): Kind {
  const type = registry.get(name)?.type;
  return type === 'number' ? 'number' : type === 'datetime' || type === 'date' ? 'time' : 'string';
}

/** A filter value or property value as a comparable number/string for its kind. */
function comparable(kind: Kind, raw: unknown): number | string | undefined {
  if (raw === null || raw === undefined || raw === '') return undefined;
  if (typeof raw === 'number' && kind !== 'string') return raw;
  const text = String(raw);
  if (kind === 'number') return Number(text);
  if (kind === 'time') return /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  return text.toLowerCase();
}

function matches(kind: Kind, filter: SearchFilter, raw: string | number | null | undefined): boolean {
  const value = comparable(kind, raw);
  const target = comparable(kind, filter.value);
  const list = (filter.values ?? []).map((v) => comparable(kind, v));
  switch (filter.operator) {
    case 'HAS_PROPERTY': return value !== undefined;
    case 'NOT_HAS_PROPERTY': return value === undefined;
    case 'EQ': return value !== undefined && value === target;
    case 'NEQ': return value !== target;
    case 'IN': return value !== undefined && list.includes(value);
    case 'NOT_IN': return value === undefined || !list.includes(value);
    case 'CONTAINS_TOKEN':
    case 'NOT_CONTAINS_TOKEN': {
      const pattern = new RegExp(`^${String(filter.value ?? '').toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      const hit = value !== undefined && String(value).split(/[^\p{L}\p{N}@._*-]+/u).some((token) => pattern.test(token));
      return filter.operator === 'CONTAINS_TOKEN' ? hit : !hit;
    }
  }
  if (value === undefined || target === undefined) return false;
  switch (filter.operator) {
    case 'LT': return value < target;
    case 'LTE': return value <= target;
    case 'GT': return value > target;
    case 'GTE': return value >= target;
    case 'BETWEEN': {
      const high = comparable(kind, filter.highValue);
      return high !== undefined && value >= target && value <= high;
    }
    default: return false;
  }
}

export function validateSearch(request: SearchRequest, registry: PropertyRegistry, limits: SearchLimits): void {
  const groups = request.filterGroups ?? [];
  if (groups.length > limits.maxGroups) throw new SearchError(`Too many filter groups: ${groups.length}. The maximum is ${limits.maxGroups}.`, 'crm.search.TOO_MANY_FILTER_GROUPS');
  let total = 0;
  for (const group of groups) {
    const filters = group.filters ?? [];
    total += filters.length;
    if (filters.length > limits.maxFiltersPerGroup) throw new SearchError(`Too many filters in a filter group: ${filters.length}. The maximum is ${limits.maxFiltersPerGroup}.`, 'crm.search.TOO_MANY_FILTERS');
    for (const f of filters) {
      if (!(OPERATORS as readonly string[]).includes(f.operator)) throw new SearchError(`Unknown operator ${String(f.operator)}`);
      if (!registry.has(f.propertyName)) throw new SearchError(`There was a problem with the request: property ${f.propertyName} does not exist`);
    }
  }
  if (total > limits.maxFilters) throw new SearchError(`Too many filters: ${total}. The maximum is ${limits.maxFilters}.`, 'crm.search.TOO_MANY_FILTERS');
}

/** True when a property is null on every seeded contact (only overlay writes can set it). */
function neverSeeded(store: ContactStore, name: string): boolean {
  return store.seeded === 0 || !(name in store.seed(0).properties);
}
const needsValue = (f: SearchFilter): boolean => !['NEQ', 'NOT_IN', 'NOT_HAS_PROPERTY', 'NOT_CONTAINS_TOKEN'].includes(f.operator);

/** Candidate indexes of one filter group (a superset of its matches), ascending. */
function candidates(store: ContactStore, filters: SearchFilter[]): Iterable<number> {
  const overlaid = [...store.overlaidIndexes()];
  const email = filters.find((f) => f.propertyName === 'email' && (f.operator === 'EQ' || f.operator === 'IN'));
  if (email) {
    const wanted = email.operator === 'EQ' ? [email.value] : (email.values ?? []);
    const found = wanted.flatMap((v) => store.indexes.emailCandidates(String(v)));
    return [...new Set([...found, ...overlaid])].sort((a, b) => a - b);
  }
  if (filters.some((f) => needsValue(f) && neverSeeded(store, f.propertyName))) return overlaid.sort((a, b) => a - b);
  const time = filters.find((f) => INDEXED_TIMES.has(f.propertyName) && ['EQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN'].includes(f.operator));
  if (time) {
    const column = time.propertyName === 'createdate' ? store.indexes.createdAt : store.indexes.lastModified;
    const out: number[] = [];
    for (let i = 0; i < store.seeded; i++) if (store.isOverlaid(i) || matches('time', time, column[i])) out.push(i);
    for (const i of overlaid) if (i >= store.seeded) out.push(i);
    return out;
  }
  return { *[Symbol.iterator]() { for (let i = 0; i < store.size; i++) yield i; } };
}

/** The value search sorts and filters by for an indexed property, without generating the contact. */
function indexedValue(store: ContactStore, name: string, index: number): number | undefined {
  if (store.isOverlaid(index) || index >= store.seeded) return undefined;
  if (name === 'hs_object_id') return Number(contactIdOf(index));
  if (name === 'createdate') return store.indexes.createdAt[index];
  if (name === 'lastmodifieddate' || name === 'hs_lastmodifieddate') return store.indexes.lastModified[index];
  return undefined;
}

interface CachedResult {
  key: string;
  version: number;
  expires: number;
  indexes: number[];
}

export class SearchEngine {
  private cached: CachedResult | undefined;

  constructor(private readonly store: ContactStore, private readonly registry: PropertyRegistry, public limits: SearchLimits = DEFAULT_SEARCH_LIMITS) {}

  /** All matching indexes in result order (cached for a second while the store and search visibility are unchanged). */
  matchingIndexes(request: SearchRequest, now: number): number[] {
    const key = JSON.stringify([request.filterGroups ?? [], request.sorts ?? []]);
    const c = this.cached;
    if (c && c.key === key && c.version === this.store.version && c.expires > now) return c.indexes;
    const groups = (request.filterGroups ?? []).map((g) => g.filters ?? []).filter((g) => g.length > 0);
    const seen = new Set<number>();
    const found: number[] = [];
    for (const filters of groups.length > 0 ? groups : [[]]) {
      const kinds = filters.map((f) => kindOf(this.registry, f.propertyName));
      // Filters on who the contact is (not on what it did) need no activity history.
      const historyFree = filters.every((f) => !HISTORY_DERIVED_PROPERTIES.has(f.propertyName));
      for (const index of candidates(this.store, filters)) {
        if (seen.has(index)) continue;
        let props: Record<string, string | null> | undefined;
        let ok = true;
        for (let i = 0; i < filters.length && ok; i++) {
          const f = filters[i]!;
          const fast = indexedValue(this.store, f.propertyName, index);
          if (fast !== undefined) {
            ok = matches(kinds[i]!, f, kinds[i] === 'string' ? String(fast) : fast);
            continue;
          }
          props ??= (historyFree ? this.store.historyFreeView(index) : undefined) ?? this.store.searchView(index, now);
          ok = props !== undefined && matches(kinds[i]!, f, props[f.propertyName]);
        }
        const plainSeed = index < this.store.seeded && !this.store.isOverlaid(index);
        if (ok && (props !== undefined || plainSeed || this.store.searchView(index, now) !== undefined)) {
          seen.add(index);
          found.push(index);
        }
      }
    }
    const sorted = this.sort(found, request, now);
    // While a change waits for its search delay the result can change without a write: no cache.
    const expires = this.store.hasPendingSearchChanges(now) ? now : now + 1000;
    this.cached = { key, version: this.store.version, expires, indexes: sorted };
    return sorted;
  }

  private sort(found: number[], request: SearchRequest, now: number): number[] {
    const first = request.sorts?.[0];
    const name = typeof first === 'string' ? first.replace(/^-/, '') : (first?.propertyName ?? 'hs_object_id');
    const descending = typeof first === 'string' ? first.startsWith('-') : first?.direction === 'DESCENDING';
    const kind = name === 'hs_object_id' ? 'number' : kindOf(this.registry, name);
    const keys = new Map<number, number | string | undefined>();
    for (const index of found) {
      const fast = indexedValue(this.store, name, index);
      keys.set(index, fast ?? (name === 'hs_object_id' ? index : comparable(kind, this.store.searchView(index, now)?.[name])));
    }
    // Missing values last; ties by id so paging is stable.
    return found.sort((a, b) => {
      const ka = keys.get(a);
      const kb = keys.get(b);
      if (ka === kb) return a - b;
      if (ka === undefined) return 1;
      if (kb === undefined) return -1;
      const c = ka < kb ? -1 : 1;
      return descending ? -c : c;
    });
  }
}
