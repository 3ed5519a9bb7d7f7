/**
 * Cursors of the portal-wide feeds, one JSON value per feed in Redis
 * (`<prefix>:cursor:hubspot:feed:<name>`). A feed writes its cursor only after the items it
 * covers are in the activity cache, so a crash re-reads (de-duplicated), never skips.
 */
import type { ConnectorContext } from './context';

export const FEED_NAMES = ['forms', 'email', 'events', 'web'] as const;
export type FeedName = (typeof FEED_NAMES)[number];

/**
 * Contact summary properties that move when a feed gets something new for the contact: a
 * value newer than the feed's `asOf` means the cache is behind for that contact.
 */
export const FEED_HINTS: ReadonlyArray<readonly [FeedName, string]> = [
  ['forms', 'recent_conversion_date'],
  ['email', 'hs_email_last_open_date'],
  ['email', 'hs_email_last_click_date'],
  ['web', 'hs_analytics_last_timestamp'],
];

export interface FeedState {
  /** Everything that happened before this instant (epoch ms) is in the cache. */
  asOf?: number;
  /** Per-source positions: newest item seen per form, pulled-through instant per e-mail event type. */
  marks?: Record<string, number>;
  /** Marketing events read completely after they ended (not read again). */
  done?: string[];
}

export function feedKey(ctx: ConnectorContext, name: FeedName): string {
  return `${ctx.keyPrefix}:cursor:hubspot:feed:${name}`;
}

export async function readFeedStates(ctx: ConnectorContext): Promise<Record<FeedName, FeedState>> {
  const values = await ctx.redis.mget(...FEED_NAMES.map((name) => feedKey(ctx, name)));
  const parse = (text: string | null): FeedState => {
    if (!text) return {};
    try {
      return JSON.parse(text) as FeedState;
    } catch {
      return {};
    }
  };
  return Object.fromEntries(FEED_NAMES.map((name, i) => [name, parse(values[i] ?? null)])) as Record<FeedName, FeedState>;
}

export async function writeFeedState(ctx: ConnectorContext, name: FeedName, state: FeedState): Promise<void> {
  await ctx.redis.set(feedKey(ctx, name), JSON.stringify(state));
}
