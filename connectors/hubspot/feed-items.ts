/**
 * What the activity cache stores per feed item: the few raw facts the rules need, not the
 * domain activity, so a change to mappings/activities.yaml applies without re-reading the
 * feeds. Encoded as short JSON arrays `[atMs, kind, ...]` to keep Redis small.
 */
import type { Activity } from '../../src/domain/types';
import type { ActivityRules } from './activity-rules';

export type FeedItem =
  | { kind: 'form'; formGuid: string; pageUrl?: string }
  | { kind: 'email'; eventType: 'OPEN' | 'CLICK'; url?: string }
  | { kind: 'event'; eventType: string; state: string; name?: string }
  | { kind: 'web'; url?: string; title?: string };

export interface CacheEntry {
  /** Source-unique id, e.g. `form:<conversionId>`: the de-duplication key. */
  id: string;
  /** Epoch ms. */
  at: number;
  item: FeedItem;
}

const CODES = { form: 'f', email: 'm', event: 'v', web: 'w' } as const;

/** Drops trailing empty values so absent fields cost nothing. */
function compact(values: Array<string | number | undefined>): Array<string | number> {
  let end = values.length;
  while (end > 0 && (values[end - 1] === undefined || values[end - 1] === '')) end--;
  return values.slice(0, end).map((v) => v ?? '');
}

export function encodeEntry({ at, item }: CacheEntry): string {
  switch (item.kind) {
    case 'form': return JSON.stringify(compact([at, CODES.form, item.formGuid, item.pageUrl]));
    case 'email': return JSON.stringify(compact([at, CODES.email, item.eventType, item.url]));
    case 'event': return JSON.stringify(compact([at, CODES.event, item.eventType, item.state, item.name]));
    case 'web': return JSON.stringify(compact([at, CODES.web, item.url, item.title]));
  }
}

/** The entry stored under `id`, or undefined when the value is not one of ours. */
export function decodeEntry(id: string, text: string): CacheEntry | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(raw) || typeof raw[0] !== 'number') return undefined;
  const [at, code, a, b, c] = raw as [number, string, string?, string?, string?];
  switch (code) {
    case CODES.form: return a ? { id, at, item: { kind: 'form', formGuid: a, ...opt('pageUrl', b) } } : undefined;
    case CODES.email: return a === 'OPEN' || a === 'CLICK' ? { id, at, item: { kind: 'email', eventType: a, ...opt('url', b) } } : undefined;
    case CODES.event: return a && b ? { id, at, item: { kind: 'event', eventType: a, state: b, ...opt('name', c) } } : undefined;
    case CODES.web: return { id, at, item: { kind: 'web', ...opt('url', a), ...opt('title', b) } };
    default: return undefined;
  }
}

/** The domain activity of a cached entry under the current rules, or undefined when the rules ignore it. */
export function toActivity(entry: CacheEntry, rules: ActivityRules): Activity | undefined {
  const at = new Date(entry.at).toISOString();
  const { item } = entry;
  switch (item.kind) {
    case 'form': {
      const meaning = rules.form(item.formGuid);
      if (!meaning) return undefined;
      return { type: meaning.type, at, id: entry.id, formId: item.formGuid, ...opt('title', meaning.title), ...opt('category', meaning.category), ...opt('url', item.pageUrl) };
    }
    case 'email': {
      const type = rules.emailEvent(item.eventType);
      return type ? { type, at, id: entry.id, ...opt('url', item.url) } : undefined;
    }
    case 'event': {
      const type = rules.marketingEvent(item.eventType, item.state);
      return type ? { type, at, id: entry.id, category: item.eventType.toLowerCase(), ...opt('title', item.name) } : undefined;
    }
    case 'web': {
      if (!item.url) return undefined;
      const category = rules.pageCategory(item.url);
      return category ? { type: 'page_view', at, id: entry.id, url: item.url, category, ...opt('title', item.title) } : undefined;
    }
  }
}

function opt<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value ? { [key]: value } : {}) as { [P in K]?: string };
}
