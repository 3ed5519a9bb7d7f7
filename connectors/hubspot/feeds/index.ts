/**
 * Feed refreshes, one at a time across workers (a Redis lock), and the staleness check that
 * lets a webhook-driven sync see the activity that caused it.
 */
import { RetryableError } from '../../errors';
import type { ActivityRules } from '../activity-rules';
import type { ConnectorContext } from '../context';
import { FEED_HINTS, readFeedStates, type FeedName, type FeedState } from '../feed-state';
import { acquireLock } from '../lock';
import type { HubSpotContactRecord } from '../../ports';
import { toEpochMs } from '../time';
import { refreshEmailEvents } from './email-events';
import { refreshForms } from './forms';
import { refreshMarketingEvents } from './marketing-events';
import { eachAtOnce, type FeedOutcome, type FeedRun } from './run';
import { refreshWebEvents } from './web-events';

const REFRESH: Record<FeedName, (run: FeedRun) => Promise<FeedOutcome>> = {
  forms: refreshForms,
  email: refreshEmailEvents,
  events: refreshMarketingEvents,
  web: refreshWebEvents,
};

export interface RefreshResult {
  contactIds: string[];
  items: number;
}

const lockKey = (ctx: ConnectorContext) => `${ctx.keyPrefix}:lock:hubspot:feeds`;
const throttleKey = (ctx: ConnectorContext, feed: FeedName) => `${ctx.keyPrefix}:hubspot:feed-throttle:${feed}`;

export function enabledFeeds(ctx: ConnectorContext): FeedName[] {
  return ctx.settings.webEvents ? ['forms', 'email', 'events', 'web'] : ['forms', 'email', 'events'];
}

async function runFeeds(ctx: ConnectorContext, rules: ActivityRules, feeds: FeedName[], full: boolean): Promise<RefreshResult> {
  const states = await readFeedStates(ctx);
  const contactIds = new Set<string>();
  let items = 0;
  await eachAtOnce(feeds, async (name) => {
    const outcome = await REFRESH[name]({ ctx, rules, startedAt: Date.now(), full, state: states[name] });
    items += outcome.items;
    for (const id of outcome.contactIds) contactIds.add(id);
    ctx.logger.debug({ feed: name, items: outcome.items, contacts: outcome.contactIds.size }, 'HubSpot feed refreshed');
  });
  return { contactIds: [...contactIds], items };
}

/** Refreshes the feeds under the lock, waiting for another worker's refresh to finish first. */
export async function refreshFeedsLocked(ctx: ConnectorContext, rules: ActivityRules, options: { full?: boolean; feeds?: FeedName[]; unlessFresherThanMs?: number } = {}): Promise<RefreshResult> {
  const lock = await acquireLock(ctx.redis, lockKey(ctx), ctx.settings.lockTtlMs, ctx.settings.lockWaitMs);
  if (!lock) throw new RetryableError(`another worker has been refreshing the HubSpot feeds for over ${ctx.settings.lockWaitMs} ms; try again later`);
  try {
    let feeds = options.feeds ?? enabledFeeds(ctx);
    if (options.unlessFresherThanMs) {
      // Read under the lock: a refresh that just finished elsewhere counts.
      const states = await readFeedStates(ctx);
      const since = Date.now() - options.unlessFresherThanMs;
      feeds = feeds.filter((feed) => (states[feed].asOf ?? -Infinity) < since);
    }
    return await runFeeds(ctx, rules, feeds, options.full ?? false);
  } finally {
    await lock.release();
  }
}

/**
 * Least time until a feed's next staleness refresh: long enough that these refreshes use at
 * most `refreshBudgetShare` of the budget (a forms refresh costs a call per listed form, an
 * e-mail events refresh one per event type), at most `refreshThrottleMs`, at least a second.
 * A fixed 15 s held form and e-mail activity back that long under a webhook load that left
 * the budget half idle (bench).
 */
function throttleMs(ctx: ConnectorContext, rules: ActivityRules, feed: FeedName): number {
  const calls = feed === 'forms' ? (rules.readsUnlistedForms ? Infinity : rules.listedForms.length) : feed === 'email' ? rules.emailEventTypes.length : 1;
  const perSecond = ctx.settings.callsPerSecond * ctx.settings.refreshBudgetShare;
  return Math.min(ctx.settings.refreshThrottleMs, Math.max(1000, Math.ceil((calls * 1000) / perSecond)));
}

/** Feeds some record says have news the cache does not have yet. */
export function staleFeeds(records: HubSpotContactRecord[], states: Record<FeedName, FeedState>, enabled: FeedName[]): FeedName[] {
  const stale = new Set<FeedName>();
  for (const [feed, property] of FEED_HINTS) {
    if (!enabled.includes(feed) || stale.has(feed)) continue;
    const asOf = states[feed].asOf ?? -Infinity;
    if (records.some((r) => (toEpochMs(r.properties[property]) ?? -Infinity) > asOf)) stale.add(feed);
  }
  return [...stale];
}

/**
 * Refreshes the feeds these records say are behind, so a sync triggered by a form
 * submission sees it. At most one refresh per feed per `refreshThrottleMs` across workers
 * (a Redis key set NX). The lock is taken before the throttle: a worker that finds a refresh
 * under way waits for it and reads the cache it filled, instead of passing the throttle while
 * the refresh has not started and evaluating on a cache that is about to change.
 */
export async function refreshIfStale(ctx: ConnectorContext, rules: ActivityRules, records: HubSpotContactRecord[]): Promise<void> {
  const enabled = enabledFeeds(ctx);
  if (staleFeeds(records, await readFeedStates(ctx), enabled).length === 0) return;
  const lock = await acquireLock(ctx.redis, lockKey(ctx), ctx.settings.lockTtlMs, ctx.settings.lockWaitMs);
  if (!lock) throw new RetryableError(`another worker has been refreshing the HubSpot feeds for over ${ctx.settings.lockWaitMs} ms; try again later`);
  try {
    const stale = staleFeeds(records, await readFeedStates(ctx), enabled);
    const granted: FeedName[] = [];
    for (const feed of stale) {
      const ok = await ctx.redis.set(throttleKey(ctx, feed), '1', 'PX', throttleMs(ctx, rules, feed), 'NX');
      if (ok === 'OK') granted.push(feed);
    }
    if (granted.length === 0) {
      if (stale.length) ctx.logger.debug({ stale }, 'HubSpot feeds behind but refreshed moments ago; using the cache as it is');
      return;
    }
    await runFeeds(ctx, rules, granted, false);
  } finally {
    await lock.release();
  }
}

/**
 * Contacts of `records` whose summary properties still say a feed has news the cache lacks
 * (its refresh was throttled moments ago), and how long until that feed may be refreshed
 * again: a sync leaves them for then instead of evaluating them without the activity that
 * triggered it (bench: a quarter of the webhook events of form and e-mail activity were
 * otherwise evaluated without it and waited for the next scheduled poll).
 */
export async function feedsBehind(ctx: ConnectorContext, records: HubSpotContactRecord[]): Promise<{ ids: string[]; retryInMs: number }> {
  const enabled = enabledFeeds(ctx);
  const states = await readFeedStates(ctx);
  const now = Date.now();
  const ids = new Set<string>();
  const feeds = new Set<FeedName>();
  for (const [feed, property] of FEED_HINTS) {
    if (!enabled.includes(feed)) continue;
    const asOf = states[feed].asOf ?? -Infinity;
    for (const r of records) {
      // A hint ahead of this clock (skew) cannot be caught up by any refresh: not waited for.
      const hint = toEpochMs(r.properties[property]) ?? -Infinity;
      if (hint <= asOf || hint > now) continue;
      ids.add(r.id);
      feeds.add(feed);
    }
  }
  if (ids.size === 0) return { ids: [], retryInMs: 0 };
  const waits = await Promise.all([...feeds].map((feed) => ctx.redis.pttl(throttleKey(ctx, feed))));
  return { ids: [...ids], retryInMs: Math.max(0, ...waits) };
}
