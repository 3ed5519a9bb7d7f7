/**
 * Marketing-event participations (registered, attended, no-show), per event
 * (`.../participations/{externalAccountId}/{externalEventId}/breakdown`, 100 per page),
 * joined by the contact id HubSpot gives. Participation has no date filter: an event is
 * re-read on each refresh until it ended longer ago than `eventRecheckMs`, after which its
 * participations no longer change and it is marked done. Events the rules ignore (other
 * accounts, unmapped types) are never read.
 */
import { rawJson } from '../client';
import { contactKey } from '../activity-cache';
import type { CacheEntry } from '../feed-items';
import { writeFeedState } from '../feed-state';
import { toEpochMs } from '../time';
import { eachAtOnce, emptyOutcome, storeGrouped, type FeedOutcome, type FeedRun } from './run';

interface MarketingEvent {
  externalEventId: string;
  externalAccountId: string;
  eventType?: string;
  eventName?: string;
  endDateTime?: string;
  startDateTime?: string;
}

interface Participation {
  createdAt?: string;
  associations?: { contact?: { contactId?: string | number } };
  properties?: { attendanceState?: string; occurredAt?: number | string };
}

interface Paged<T> {
  results: T[];
  paging?: { next?: { after?: string } };
}

const EVENTS = 'GET /marketing/v3/marketing-events';
const BREAKDOWN = 'GET /marketing/v3/marketing-events/participations/{externalAccountId}/{externalEventId}/breakdown';

async function listEvents(run: FeedRun): Promise<MarketingEvent[]> {
  const events: MarketingEvent[] = [];
  let after: string | undefined;
  do {
    const qs: Record<string, string> = { limit: '100', ...(after ? { after } : {}) };
    const page = await run.ctx.requester.call(EVENTS, () => rawJson<Paged<MarketingEvent>>(run.ctx.apis.client, { method: 'GET', path: '/marketing/v3/marketing-events', qs }));
    events.push(...page.results);
    after = page.paging?.next?.after;
  } while (after);
  return events;
}

export async function refreshMarketingEvents(run: FeedRun): Promise<FeedOutcome> {
  const { ctx, rules } = run;
  const outcome = emptyOutcome();
  const done = new Set(run.full ? [] : (run.state.done ?? []));
  await eachAtOnce(await listEvents(run), async (event) => {
    const eventType = event.eventType ?? '';
    const name = `${event.externalAccountId}/${event.externalEventId}`;
    if (!rules.readsMarketingEvent(event.externalAccountId, eventType) || done.has(name)) return;
    const path = `/marketing/v3/marketing-events/participations/${encodeURIComponent(event.externalAccountId)}/${encodeURIComponent(event.externalEventId)}/breakdown`;
    let after: string | undefined;
    do {
      const qs: Record<string, string> = { limit: '100', ...(after ? { after } : {}) };
      const page = await ctx.requester.call(BREAKDOWN, () => rawJson<Paged<Participation>>(ctx.apis.client, { method: 'GET', path, qs }));
      const items: Array<{ key: string; contactId: string; entry: CacheEntry }> = [];
      for (const p of page.results) {
        const contactId = p.associations?.contact?.contactId;
        const state = p.properties?.attendanceState;
        const at = toEpochMs(p.properties?.occurredAt) ?? toEpochMs(p.createdAt);
        if (contactId === undefined || !state || at === undefined) continue;
        const id = String(contactId);
        items.push({
          key: contactKey(ctx, id), contactId: id,
          entry: { id: `event:${event.externalEventId}:${id}:${state}`, at, item: { kind: 'event', eventType, state, ...(event.eventName ? { name: event.eventName } : {}) } },
        });
      }
      await storeGrouped(run, outcome, items);
      after = page.paging?.next?.after;
    } while (after);
    const ended = toEpochMs(event.endDateTime ?? event.startDateTime);
    if (ended !== undefined && ended + ctx.settings.eventRecheckMs < run.startedAt) done.add(name);
  });
  await writeFeedState(ctx, 'events', { asOf: run.startedAt, done: [...done] });
  return outcome;
}
