/**
 * Marketing e-mail opens and clicks (`GET /email/public/v1/events`, 1000 per page), per
 * event type, from where the previous pull ended (less an overlap for late events) to the
 * start of this one. Joined by recipient address.
 */
import { rawJson } from '../client';
import { emailKey } from '../activity-cache';
import type { CacheEntry } from '../feed-items';
import { writeFeedState } from '../feed-state';
import { emptyOutcome, retentionFloor, storeGrouped, type FeedOutcome, type FeedRun } from './run';

interface EmailEvent {
  id: string;
  type: string;
  recipient?: string;
  created: number;
  url?: string;
  sentBy?: { created?: number };
}

interface EmailEventsPage {
  events: EmailEvent[];
  hasMore: boolean;
  offset?: string;
}

const ENDPOINT = 'GET /email/public/v1/events';

export async function refreshEmailEvents(run: FeedRun): Promise<FeedOutcome> {
  const { ctx, rules } = run;
  const outcome = emptyOutcome();
  const marks = { ...(run.full ? {} : run.state.marks) };
  const ignoreOpensMs = rules.mapping.emailEvents.ignoreOpensWithinSecondsOfSend * 1000;
  for (const eventType of rules.emailEventTypes) {
    const through = marks[eventType];
    const start = Math.max(retentionFloor(run), through === undefined ? -Infinity : through - ctx.settings.feedOverlapMs);
    let offset: string | undefined;
    let page: EmailEventsPage;
    do {
      const qs: Record<string, string> = {
        eventType, startTimestamp: String(start), endTimestamp: String(run.startedAt), limit: '1000', ...(offset ? { offset } : {}),
      };
      page = await ctx.requester.call(ENDPOINT, () => rawJson<EmailEventsPage>(ctx.apis.client, { method: 'GET', path: '/email/public/v1/events', qs }));
      const items: Array<{ key: string; entry: CacheEntry }> = [];
      for (const e of page.events) {
        if (!e.recipient || e.type !== eventType) continue;
        // Mail scanners open a message seconds after it is sent; that is not a person reading it.
        if (eventType === 'OPEN' && ignoreOpensMs > 0 && e.sentBy?.created !== undefined && e.created - e.sentBy.created < ignoreOpensMs) continue;
        items.push({ key: emailKey(ctx, e.recipient), entry: { id: `email-event:${e.id}`, at: e.created, item: { kind: 'email', eventType, ...(e.url ? { url: e.url } : {}) } } });
      }
      await storeGrouped(run, outcome, items);
      offset = page.offset;
    } while (page.hasMore && offset);
    marks[eventType] = run.startedAt;
    await writeFeedState(ctx, 'email', { ...run.state, marks });
  }
  await writeFeedState(ctx, 'email', { ...run.state, marks, asOf: run.startedAt });
  return outcome;
}
