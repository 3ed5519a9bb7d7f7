/**
 * Page views from the web analytics events API (`GET /events/v3/events`, Enterprise
 * portals only, HUBSPOT_WEB_EVENTS=true), from where the previous pull ended (less an
 * overlap) to the start of this one, joined by the contact id HubSpot gives.
 */
import { rawJson } from '../client';
import { contactKey } from '../activity-cache';
import type { CacheEntry } from '../feed-items';
import { writeFeedState } from '../feed-state';
import { toEpochMs } from '../time';
import { emptyOutcome, retentionFloor, storeGrouped, type FeedOutcome, type FeedRun } from './run';

interface WebEvent {
  id: string;
  objectId: string | number;
  occurredAt: string;
  properties?: { hs_url?: string; hs_title?: string };
}

interface WebEventsPage {
  results: WebEvent[];
  paging?: { next?: { after?: string } };
}

const ENDPOINT = 'GET /events/v3/events';
/** The v3 APIs' usual page maximum. */
const PAGE_SIZE = '100';

export async function refreshWebEvents(run: FeedRun): Promise<FeedOutcome> {
  const { ctx } = run;
  const outcome = emptyOutcome();
  const through = run.full ? undefined : run.state.marks?.through;
  const start = Math.max(retentionFloor(run), through === undefined ? -Infinity : through - ctx.settings.feedOverlapMs);
  let after: string | undefined;
  do {
    const qs: Record<string, string> = {
      objectType: 'contact', eventType: 'e_visited_page', occurredAfter: new Date(start).toISOString(),
      occurredBefore: new Date(run.startedAt).toISOString(), limit: PAGE_SIZE, ...(after ? { after } : {}),
    };
    const page = await ctx.requester.call(ENDPOINT, () => rawJson<WebEventsPage>(ctx.apis.client, { method: 'GET', path: '/events/v3/events', qs }));
    const items: Array<{ key: string; contactId: string; entry: CacheEntry }> = [];
    for (const e of page.results) {
      const at = toEpochMs(e.occurredAt);
      if (at === undefined) continue;
      const contactId = String(e.objectId);
      const item = { kind: 'web' as const, ...(e.properties?.hs_url ? { url: e.properties.hs_url } : {}), ...(e.properties?.hs_title ? { title: e.properties.hs_title } : {}) };
      items.push({ key: contactKey(ctx, contactId), contactId, entry: { id: `web:${e.id}`, at, item } });
    }
    await storeGrouped(run, outcome, items);
    after = page.paging?.next?.after;
  } while (after);
  await writeFeedState(ctx, 'web', { asOf: run.startedAt, marks: { through: run.startedAt } });
  return outcome;
}
