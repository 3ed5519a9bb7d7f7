/**
 * Contacts changed since a cursor, through the search API, without losing a record to its
 * 10,000-result cap and without looping on equal timestamps.
 *
 * - A query covers a time window [from, end] sorted by `lastmodifieddate` ascending. When
 *   the window holds more than the cap, its end is pulled in (proportionally, at least by
 *   half) until it fits; the next window is sized from the last one. A window of one
 *   millisecond that still does not fit is paged by `hs_object_id` instead (keyset:
 *   `hs_object_id > last`, sorted by id).
 * - Search sorts on one property only, so the order of records sharing a timestamp is not
 *   known. The trailing group of a page (its last timestamp) is held back until the next
 *   page shows the group has ended, so every emitted cursor `(t, maxId)` is exact: all
 *   records before t and all at t have been emitted.
 * - `total` is re-checked on each page: when it moves (a record was modified and left the
 *   window, which shifts offsets), the window restarts from the last exact cursor.
 */
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import type { ContactCursor, ContactPage, HubSpotContactRecord } from '../ports';
import type { ConnectorContext } from './context';
import { toRecord } from './normalise';
import { toEpochMs } from './time';

const ENDPOINT = 'POST /crm/v3/objects/contacts/search';

/** Numeric ids compared as numbers without precision loss ('' sorts first). */
function compareIds(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

interface Filter {
  propertyName: string;
  operator: FilterOperatorEnum;
  value: string;
}

interface SearchPage {
  total: number;
  records: HubSpotContactRecord[];
  after: string | undefined;
}

async function search(ctx: ConnectorContext, filters: Filter[], sortBy: string, after: string | undefined): Promise<SearchPage> {
  const response = await ctx.requester.call(
    ENDPOINT,
    () =>
      ctx.apis.contactsSearch.doSearch({
        filterGroups: [{ filters }],
        // Typed as strings in the client; HubSpot's documented form is {propertyName, direction}.
        sorts: [{ propertyName: sortBy, direction: 'ASCENDING' } as unknown as string],
        properties: ctx.contactProperties,
        limit: ctx.settings.searchPageSize,
        ...(after ? { after } : {}),
      }),
    'search',
  );
  return { total: response.total, records: response.results.map(toRecord), after: response.paging?.next?.after };
}

const modifiedAt = (record: HubSpotContactRecord): number => toEpochMs(record.properties.lastmodifieddate) ?? toEpochMs(record.updatedAt) ?? 0;

/** A page of complete timestamp groups and the exact cursor after it. */
function pageOf(records: HubSpotContactRecord[]): ContactPage {
  const last = records[records.length - 1]!;
  const t = modifiedAt(last);
  let maxId = last.id;
  for (const r of records) if (modifiedAt(r) === t && compareIds(r.id, maxId) > 0) maxId = r.id;
  return { records, cursor: { modifiedAt: t, id: maxId } };
}

export async function* changedContacts(ctx: ConnectorContext, since: ContactCursor, until?: number): AsyncGenerator<ContactPage> {
  const hi = until ?? Date.now() - ctx.settings.searchLagMs;
  const cap = ctx.settings.searchMaxResults;
  // Next query starts at `from`; records at exactly `from` with id <= skipId were already emitted.
  let from = since.modifiedAt;
  let skipId = since.id;
  let end = hi;
  const between = (lo: number, high: number): Filter[] => [
    { propertyName: 'lastmodifieddate', operator: FilterOperatorEnum.Gte, value: String(lo) },
    { propertyName: 'lastmodifieddate', operator: FilterOperatorEnum.Lte, value: String(high) },
  ];

  while (from <= hi) {
    const filters = between(from, end);
    const first = await search(ctx, filters, 'lastmodifieddate', undefined);
    if (first.total > cap) {
      if (end > from) {
        const span = end - from;
        end = from + Math.min(Math.floor(span / 2), Math.floor((span * cap * 0.9) / first.total));
        ctx.logger.debug({ from, end, total: first.total }, 'search window over the cap; narrowed');
        continue;
      }
      yield* pageInstant(ctx, from, skipId);
      from += 1;
      skipId = '';
      end = hi;
      continue;
    }

    // Page through the window (same filters, `after` offsets), holding back each page's trailing group.
    const windowStart = from;
    const skipUpTo = skipId;
    const alreadyEmitted = (r: HubSpotContactRecord): boolean => modifiedAt(r) === windowStart && compareIds(r.id, skipUpTo) <= 0;
    let page: SearchPage = first;
    let held: HubSpotContactRecord[] = [];
    let changed = false;
    for (;;) {
      const all = [...held, ...page.records.filter((r) => !alreadyEmitted(r))];
      if (!page.after) {
        if (all.length > 0) yield pageOf(all);
        break;
      }
      const tail = all.length > 0 ? modifiedAt(all[all.length - 1]!) : undefined;
      const complete = all.filter((r) => modifiedAt(r) !== tail);
      held = all.filter((r) => modifiedAt(r) === tail);
      if (complete.length > 0) {
        const out = pageOf(complete);
        yield out;
        ({ modifiedAt: from, id: skipId } = out.cursor);
      }
      page = await search(ctx, filters, 'lastmodifieddate', page.after);
      if (page.total !== first.total) {
        changed = true;
        break;
      }
    }
    if (changed) {
      // Offsets shifted: restart from the last exact cursor, on a shorter window that is more likely to be read before the next change.
      ctx.logger.debug({ from, end, before: first.total }, 'search window changed while paging; restarting it');
      end = from + Math.floor((end - from) / 2);
      continue;
    }
    // The next window starts where this one ended, sized from what this one held (aiming at
    // 90% of the cap, growing at most 4x), so a long backlog does not probe from `hi` each time.
    const span = end - windowStart + 1;
    const growth = first.total > 0 ? Math.min(4, (cap * 0.9) / first.total) : 4;
    from = end + 1;
    skipId = '';
    end = Math.min(hi, from + Math.max(0, Math.floor(span * growth) - 1));
  }
}

/** One millisecond holding more records than the cap: keyset paging by `hs_object_id`. */
async function* pageInstant(ctx: ConnectorContext, instant: number, afterId: string): AsyncGenerator<ContactPage> {
  let last = afterId;
  for (;;) {
    const filters: Filter[] = [
      { propertyName: 'lastmodifieddate', operator: FilterOperatorEnum.Eq, value: String(instant) },
      ...(last ? [{ propertyName: 'hs_object_id', operator: FilterOperatorEnum.Gt, value: last }] : []),
    ];
    const page = await search(ctx, filters, 'hs_object_id', undefined);
    if (page.records.length === 0) return;
    last = page.records.reduce((max, r) => (compareIds(r.id, max) > 0 ? r.id : max), last);
    yield { records: page.records, cursor: { modifiedAt: instant, id: last } };
    if (!page.after) return;
  }
}
