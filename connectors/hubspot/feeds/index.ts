/**
 * Feed refreshes, one at a time across workers (a Redis lock), and the staleness check that
 * lets a webhook-driven sync see the activity that caused it.
 */
import { RetryableError } from '../../errors';
import type { ActivityRules } from '../activity-rules';
import type { ConnectorContext } from '../context';
import { FEED_HINTS, readFeedStates, type FeedName, type FeedState } from '../feed-state';
import { contactFormCalls, contactFormMarks, readContactForms } from '../contact-forms';
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
 * e-mail events refresh one per event type), at most `refreshThrottleMs`, at least
 * `MIN_THROTTLE_MS`. A fixed 15 s held form and e-mail activity back that long under a webhook
 * load that left the budget half idle. The floor was tuned with `npm run bench -- --quick
 * --only webhook` (p99 of three runs each): 1,000 ms 1.6-2.0 s (syncs waited for the e-mail
 * feed), 500 ms 1.3-1.4 s, 250 ms 3.3 s (syncs refreshed so often they spent the budget).
 */
const MIN_THROTTLE_MS = 500;

function throttleMs(ctx: ConnectorContext, rules: ActivityRules, feed: FeedName): number {
  const calls = refreshCalls(rules, feed);
  const perSecond = ctx.settings.callsPerSecond * ctx.settings.refreshBudgetShare;
  return Math.min(ctx.settings.refreshThrottleMs, Math.max(MIN_THROTTLE_MS, Math.ceil((calls * 1000) / perSecond)));
}

/** Calls one refresh of a feed costs (at least). */
function refreshCalls(rules: ActivityRules, feed: FeedName): number {
  return feed === 'forms' ? (rules.readsUnlistedForms ? Infinity : rules.listedForms.length) : feed === 'email' ? rules.emailEventTypes.length : 1;
}

/** Per contact, the instant its forms were read through on their own (see contact-forms.ts). */
type FormMarks = ReadonlyMap<string, number>;

/** The record's hint for the feed when it is news to the cache, else undefined. */
function newsHint(record: HubSpotContactRecord, feed: FeedName, property: string, states: Record<FeedName, FeedState>, formMarks: FormMarks): number | undefined {
  const hint = toEpochMs(record.properties[property]) ?? -Infinity;
  const asOf = Math.max(states[feed].asOf ?? -Infinity, feed === 'forms' ? (formMarks.get(record.id) ?? -Infinity) : -Infinity);
  return hint > asOf ? hint : undefined;
}

/** Feeds some record says have news the cache does not have yet. */
export function staleFeeds(records: HubSpotContactRecord[], states: Record<FeedName, FeedState>, enabled: FeedName[], formMarks: FormMarks = new Map()): FeedName[] {
  const stale = new Set<FeedName>();
  for (const [feed, property] of FEED_HINTS) {
    if (!enabled.includes(feed) || stale.has(feed)) continue;
    if (records.some((r) => newsHint(r, feed, property, states, formMarks) !== undefined)) stale.add(feed);
  }
  return [...stale];
}

const FORMS_HINT = FEED_HINTS.find(([feed]) => feed === 'forms')![1];

/** The marks of the records whose forms hint is newer than the forms feed. */
async function formMarksOf(ctx: ConnectorContext, records: HubSpotContactRecord[], states: Record<FeedName, FeedState>): Promise<Map<string, number>> {
  return contactFormMarks(ctx, records.filter((r) => newsHint(r, 'forms', FORMS_HINT, states, new Map()) !== undefined).map((r) => r.id));
}

/**
 * Reads the forms of the records still behind the forms feed contact by contact when that
 * costs fewer calls than refreshing the feed; returns the marks with theirs added.
 */
async function readFormsIfCheaper(ctx: ConnectorContext, rules: ActivityRules, records: HubSpotContactRecord[], states: Record<FeedName, FeedState>, formMarks: Map<string, number>): Promise<Map<string, number>> {
  if (!enabledFeeds(ctx).includes('forms')) return formMarks;
  const behind = records.filter((r) => newsHint(r, 'forms', FORMS_HINT, states, formMarks) !== undefined);
  if (behind.length === 0 || contactFormCalls(behind.length) >= refreshCalls(rules, 'forms')) return formMarks;
  const read = await readContactForms(ctx, rules, behind);
  return read ? new Map([...formMarks, ...read]) : formMarks;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Refreshes the feeds these records say are behind, so a sync triggered by a form
 * submission sees it. At most one refresh per feed per throttle interval across workers (a
 * Redis key set NX). The lock is taken before the throttle: a worker that finds a refresh
 * under way waits for it and reads the cache it filled, instead of passing the throttle while
 * the refresh has not started and evaluating on a cache that is about to change.
 *
 * A feed throttled for at most `refreshWaitMs` more is waited for and refreshed then: the
 * contacts behind it would otherwise be left for a later sync, which costs a whole webhook
 * cycle more (bench: every event in the slowest 5% had been left so, most for under 250 ms
 * of throttle).
 */
export async function refreshIfStale(ctx: ConnectorContext, rules: ActivityRules, records: HubSpotContactRecord[]): Promise<void> {
  const enabled = enabledFeeds(ctx);
  let states = await readFeedStates(ctx);
  if (staleFeeds(records, states, enabled).length === 0) return;
  const formMarks = await readFormsIfCheaper(ctx, rules, records, states, await formMarksOf(ctx, records, states));
  let waited = 0;
  while (staleFeeds(records, states, enabled, formMarks).length > 0) {
    const throttledFor = await refreshStaleOnce(ctx, rules, records, enabled, formMarks);
    if (throttledFor <= 0 || waited + throttledFor > ctx.settings.refreshWaitMs) return;
    await sleep(throttledFor);
    waited += throttledFor;
    states = await readFeedStates(ctx);
  }
}

/** One refresh of the stale feeds the throttle allows; returns how long until the others may be refreshed (0: none left). */
async function refreshStaleOnce(ctx: ConnectorContext, rules: ActivityRules, records: HubSpotContactRecord[], enabled: FeedName[], formMarks: FormMarks): Promise<number> {
  const lock = await acquireLock(ctx.redis, lockKey(ctx), ctx.settings.lockTtlMs, ctx.settings.lockWaitMs);
  if (!lock) throw new RetryableError(`another worker has been refreshing the HubSpot feeds for over ${ctx.settings.lockWaitMs} ms; try again later`);
  try {
    const stale = staleFeeds(records, await readFeedStates(ctx), enabled, formMarks);
    const granted: FeedName[] = [];
    const throttled: FeedName[] = [];
    for (const feed of stale) {
      const ok = await ctx.redis.set(throttleKey(ctx, feed), '1', 'PX', throttleMs(ctx, rules, feed), 'NX');
      (ok === 'OK' ? granted : throttled).push(feed);
    }
    if (granted.length) await runFeeds(ctx, rules, granted, false);
    if (throttled.length === 0) return 0;
    ctx.logger.debug({ throttled }, 'HubSpot feeds behind but refreshed moments ago');
    // -2: the throttle ended since; try again at once.
    const waits = await Promise.all(throttled.map((feed) => ctx.redis.pttl(throttleKey(ctx, feed))));
    return Math.max(1, ...waits);
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
  const formMarks = await formMarksOf(ctx, records, states);
  const now = Date.now();
  const ids = new Set<string>();
  const feeds = new Set<FeedName>();
  for (const [feed, property] of FEED_HINTS) {
    if (!enabled.includes(feed)) continue;
    for (const r of records) {
      // A hint ahead of this clock (skew) cannot be caught up by any refresh: not waited for.
      const hint = newsHint(r, feed, property, states, formMarks);
      if (hint === undefined || hint > now) continue;
      ids.add(r.id);
      feeds.add(feed);
    }
  }
  if (ids.size === 0) return { ids: [], retryInMs: 0 };
  const waits = await Promise.all([...feeds].map((feed) => ctx.redis.pttl(throttleKey(ctx, feed))));
  return { ids: [...ids], retryInMs: Math.max(0, ...waits) };
}
