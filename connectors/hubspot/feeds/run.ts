/** What one feed refresh gets and gives back. */
import type { ActivityRules } from '../activity-rules';
import { storeEntries, type CacheWrite } from '../activity-cache';
import type { ConnectorContext } from '../context';
import type { CacheEntry } from '../feed-items';
import type { FeedState } from '../feed-state';

export interface FeedRun {
  ctx: ConnectorContext;
  rules: ActivityRules;
  /** Epoch ms the refresh started: becomes the feed's `asOf` when it completes. */
  startedAt: number;
  /** Ignore cursors and re-read everything within the retention. */
  full: boolean;
  state: FeedState;
}

export interface FeedOutcome {
  /** New cache entries. */
  items: number;
  contactIds: Set<string>;
}

export const emptyOutcome = (): FeedOutcome => ({ items: 0, contactIds: new Set() });

/** Groups entries by cache hash and stores them; adds what was new to `outcome`. */
export async function storeGrouped(run: FeedRun, outcome: FeedOutcome, items: Array<{ key: string; contactId?: string; entry: CacheEntry }>): Promise<void> {
  const byKey = new Map<string, CacheWrite>();
  for (const { key, contactId, entry } of items) {
    let write = byKey.get(key);
    if (!write) byKey.set(key, (write = { key, ...(contactId ? { contactId } : {}), entries: [] }));
    write.entries.push(entry);
  }
  const stored = await storeEntries(run.ctx, [...byKey.values()]);
  outcome.items += stored.added;
  for (const id of stored.contactIds) outcome.contactIds.add(id);
}

/**
 * Runs `work` for every item at once (the forms, the events and the feeds are independent
 * lists: one after the other, a first refresh of a large portal took minutes of round trips;
 * the shared budget still paces the calls). Waits for all, then throws the first failure, so
 * nothing is left running after the refresh lock is released.
 */
export async function eachAtOnce<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  const failed = (await Promise.allSettled(items.map(work))).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Oldest instant the cache keeps: older items are neither stored nor paged for. */
export const retentionFloor = (run: FeedRun): number => run.startedAt - run.ctx.settings.retentionMs;
