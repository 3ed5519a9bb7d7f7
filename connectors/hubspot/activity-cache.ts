/**
 * The activity cache in Redis: what the portal-wide feeds said about each person.
 *
 * - One hash per person: `<prefix>:acts:<contactId>` for feeds that name the contact
 *   (marketing events, web events), `<prefix>:acts:e:<sha256 of the e-mail>` for feeds that
 *   only know an e-mail address (form submissions, marketing e-mail events). No address
 *   appears in a key; reading a contact reads both of its hashes.
 * - Field = source id (so a re-read item overwrites itself: de-duplicated), value = the
 *   compact entry of feed-items.ts. A Lua script adds entries and drops those older than the
 *   retention in one step, and lets an idle hash expire after the retention.
 * - An e-mail hash carries `_id`, the contact id it was last read for, so a feed refresh can
 *   tell which known contacts got new items.
 */
import { createHash } from 'node:crypto';
import type { ChainableCommander } from 'ioredis';
import type Redis from 'ioredis';
import type { ConnectorContext } from './context';
import { decodeEntry, encodeEntry, type CacheEntry } from './feed-items';

const ADD_COMMAND = 'lsyncHubspotCacheAdd';
const BACKLINK = '_id';

/** KEYS[1] hash; ARGV[1] cutoff ms, ARGV[2] ttl ms, then field/value pairs. Returns {added, backlink}. */
const ADD_SCRIPT = `
local cutoff = tonumber(ARGV[1])
local added = 0
for i = 3, #ARGV, 2 do
  local at = tonumber(string.match(ARGV[i + 1], '^%[(%-?%d+)'))
  if at and at >= cutoff then added = added + redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local at = tonumber(string.match(all[i + 1], '^%[(%-?%d+)'))
  if at and at < cutoff then redis.call('HDEL', KEYS[1], all[i]) end
end
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return {added, redis.call('HGET', KEYS[1], '${BACKLINK}') or ''}
`;

type AddCommand = (key: string, cutoff: string, ttl: string, ...fieldValues: string[]) => ChainableCommander;

function withCommand(redis: Redis): void {
  // Defined once per connection; ioredis sends EVALSHA and falls back to EVAL after a Redis restart.
  if (typeof (redis as unknown as Record<string, unknown>)[ADD_COMMAND] !== 'function') {
    redis.defineCommand(ADD_COMMAND, { numberOfKeys: 1, lua: ADD_SCRIPT });
  }
}

export function contactKey(ctx: ConnectorContext, contactId: string): string {
  return `${ctx.keyPrefix}:acts:${contactId}`;
}

export function emailKey(ctx: ConnectorContext, email: string): string {
  return `${ctx.keyPrefix}:acts:e:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32)}`;
}

/** Entries for one hash; `contactId` when the key is a contact's own. */
export interface CacheWrite {
  key: string;
  contactId?: string;
  entries: CacheEntry[];
}

export interface StoreResult {
  /** Entries that were not in the cache before. */
  added: number;
  /** Contacts (known by id or by backlink) that got new entries. */
  contactIds: Set<string>;
}

/** Stores entries (one pipelined script call per hash); entries older than the retention are not kept. */
export async function storeEntries(ctx: ConnectorContext, writes: CacheWrite[]): Promise<StoreResult> {
  const result: StoreResult = { added: 0, contactIds: new Set() };
  if (writes.length === 0) return result;
  withCommand(ctx.redis);
  const cutoff = String(Date.now() - ctx.settings.retentionMs);
  const ttl = String(ctx.settings.retentionMs);
  const pipeline = ctx.redis.pipeline();
  for (const write of writes) {
    const args = write.entries.flatMap((entry) => [entry.id, encodeEntry(entry)]);
    (pipeline as unknown as Record<string, AddCommand>)[ADD_COMMAND]!(write.key, cutoff, ttl, ...args);
  }
  const replies = (await pipeline.exec()) ?? [];
  replies.forEach(([error, reply], i) => {
    if (error) throw error;
    const [added, backlink] = reply as [number, string];
    result.added += added;
    const contactId = writes[i]!.contactId ?? (backlink || undefined);
    if (added > 0 && contactId) result.contactIds.add(contactId);
  });
  return result;
}

/** Cached entries of each contact (its own hash and its e-mail's), newer than the retention. */
export async function readEntries(ctx: ConnectorContext, contacts: Array<{ id: string; email: string | null }>): Promise<Map<string, CacheEntry[]>> {
  const out = new Map<string, CacheEntry[]>();
  if (contacts.length === 0) return out;
  const cutoff = Date.now() - ctx.settings.retentionMs;
  const pipeline = ctx.redis.pipeline();
  for (const c of contacts) {
    pipeline.hgetall(contactKey(ctx, c.id));
    if (c.email) pipeline.hgetall(emailKey(ctx, c.email));
  }
  const replies = (await pipeline.exec()) ?? [];
  const backlinks = ctx.redis.pipeline();
  let pendingBacklinks = 0;
  let r = 0;
  for (const c of contacts) {
    const hashes: Array<Record<string, string>> = [];
    const own = replies[r++];
    if (own?.[0]) throw own[0];
    hashes.push((own?.[1] ?? {}) as Record<string, string>);
    if (c.email) {
      const byEmail = replies[r++];
      if (byEmail?.[0]) throw byEmail[0];
      const hash = (byEmail?.[1] ?? {}) as Record<string, string>;
      hashes.push(hash);
      if (Object.keys(hash).length > 0 && hash[BACKLINK] !== c.id) {
        backlinks.hset(emailKey(ctx, c.email), BACKLINK, c.id);
        pendingBacklinks++;
      }
    }
    const entries: CacheEntry[] = [];
    for (const hash of hashes) {
      for (const [field, value] of Object.entries(hash)) {
        if (field === BACKLINK) continue;
        const entry = decodeEntry(field, value);
        if (entry && entry.at >= cutoff) entries.push(entry);
      }
    }
    out.set(c.id, entries);
  }
  if (pendingBacklinks > 0) await backlinks.exec();
  return out;
}
