/**
 * HubSpot webhook events -> the sync queue, near real time.
 *
 * Accepting is one Redis round trip: de-duplicate by `eventId`, drop the echoes of our own
 * property writes, add the contact to a pending set (a burst of changes to one contact
 * collapses into one entry) and make sure one debounced flush job exists. Only then does the
 * HTTP handler answer 2xx, so an acknowledged event is never lost. The flush turns pending
 * contacts into sync jobs of up to a batch each and removes them only after the job is added.
 */
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { PRIORITY, QUEUE_NAMES, type Queues } from './queues';
import type { Store } from './store';

export const webhookEventSchema = z.object({
  eventId: z.union([z.number(), z.string()]).transform(String),
  subscriptionId: z.union([z.number(), z.string()]).optional(),
  portalId: z.union([z.number(), z.string()]).optional(),
  occurredAt: z.number(),
  subscriptionType: z.string().min(1),
  attemptNumber: z.number().optional(),
  objectId: z.union([z.number(), z.string()]).transform(String),
  propertyName: z.string().optional(),
  propertyValue: z.string().optional(),
  changeSource: z.string().optional(),
  mergedObjectIds: z.array(z.union([z.number(), z.string()]).transform(String)).optional(),
  primaryObjectId: z.union([z.number(), z.string()]).transform(String).optional(),
});
export const webhookBatchSchema = z.array(webhookEventSchema).min(1).max(1000);
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

export interface AcceptResult {
  accepted: number;
  duplicates: number;
  echoes: number;
  ignored: number;
  purges: number;
}

const EVENT_TTL_S = 7 * 86_400;
export const FLUSH_DELAY_MS = 300;

/** A flush within the delay (one per delay however many events ask). */
const scheduleFlush = (queues: Queues) =>
  queues.control.add('flush-webhooks', {}, { delay: FLUSH_DELAY_MS, deduplication: { id: 'flush-webhooks', ttl: FLUSH_DELAY_MS } });

/** The contact ids an event asks to sync, or a purge, echo or nothing. */
function classify(e: WebhookEvent, ownProperties: ReadonlySet<string>): { kind: 'echo' | 'purge' | 'ignored' } | { kind: 'sync'; ids: string[] } {
  const type = e.subscriptionType;
  if (type === 'contact.propertyChange' && e.propertyName && ownProperties.has(e.propertyName)) return { kind: 'echo' };
  if (type === 'contact.deletion' || type === 'contact.privacyDeletion') return { kind: 'purge' };
  if (type === 'contact.merge') return { kind: 'sync', ids: [e.primaryObjectId ?? e.objectId, ...(e.mergedObjectIds ?? [])] };
  if (['contact.creation', 'contact.propertyChange', 'contact.associationChange', 'contact.restore'].includes(type)) return { kind: 'sync', ids: [e.objectId] };
  return { kind: 'ignored' };
}

/**
 * One round trip for a whole delivery: de-duplicates each event by id, adds the contacts of
 * fresh ones to the pending set (score = latest event, so a flush that read an older score
 * leaves the entry for the next one) and says whether a flush must be scheduled (none is
 * due within the flush delay). Per request the receiver used to make four round trips, one
 * of them BullMQ's add script even when the flush was already scheduled.
 * KEYS: pending, first-seen, flush-due, then one event key per event.
 * ARGV: event TTL s, flush delay ms, then per event: occurredAt, id count, ids.
 */
const ACCEPT = `
local fresh = {}
local pos = 3
local added = 0
for i = 4, #KEYS do
  local n = tonumber(ARGV[pos + 1])
  if redis.call('set', KEYS[i], '1', 'EX', ARGV[1], 'NX') then
    fresh[#fresh + 1] = 1
    for j = 1, n do
      redis.call('zadd', KEYS[1], 'GT', ARGV[pos], ARGV[pos + 1 + j])
      redis.call('hsetnx', KEYS[2], ARGV[pos + 1 + j], ARGV[pos])
      added = added + 1
    end
  else
    fresh[#fresh + 1] = 0
  end
  pos = pos + 2 + n
end
local flush = 0
if added > 0 and redis.call('set', KEYS[3], '1', 'PX', ARGV[2], 'NX') then flush = 1 end
fresh[#fresh + 1] = flush
return fresh`;

export async function acceptWebhookEvents(store: Store, queues: Queues, events: WebhookEvent[], ownProperties: ReadonlySet<string>): Promise<AcceptResult> {
  const kinds = events.map((e) => classify(e, ownProperties));
  const args: string[] = [];
  kinds.forEach((k, i) => {
    const ids = k.kind === 'sync' ? k.ids : [];
    args.push(String(events[i]!.occurredAt), String(ids.length), ...ids);
  });
  const keys = [store.key('webhook', 'pending'), store.key('webhook', 'first-seen'), store.key('webhook', 'flush-due'), ...events.map((e) => store.key('webhook', 'event', e.eventId))];
  const reply = (await store.redis.eval(ACCEPT, keys.length, ...keys, String(EVENT_TTL_S), String(FLUSH_DELAY_MS), ...args)) as number[];
  const result: AcceptResult = { accepted: 0, duplicates: 0, echoes: 0, ignored: 0, purges: 0 };
  const purge: string[] = [];
  kinds.forEach((k, i) => {
    if (reply[i] !== 1) return void result.duplicates++;
    if (k.kind === 'echo') return void result.echoes++;
    if (k.kind === 'ignored') return void result.ignored++;
    if (k.kind === 'purge') {
      purge.push(events[i]!.objectId);
      return void result.purges++;
    }
    result.accepted++;
  });
  if (purge.length) await queues.control.add('purge', { ids: purge }, { jobId: `purge-${createHash('sha1').update(purge.join(',')).digest('hex')}` });
  // A flush is already due within the delay unless the script just claimed it: it will read these contacts.
  if (reply[events.length] === 1) await scheduleFlush(queues);
  return result;
}

// Removes an entry only if no newer event arrived since it was read.
const REMOVE_IF_UNCHANGED = `
for i = 1, #ARGV, 2 do
  if redis.call('zscore', KEYS[1], ARGV[i]) == ARGV[i + 1] then
    redis.call('zrem', KEYS[1], ARGV[i])
    redis.call('hdel', KEYS[2], ARGV[i])
  end
end
return 1`;

const WAITING = new Set(['waiting', 'prioritized', 'delayed', 'waiting-children', 'active']);
const FLUSH_LOCK_MS = 30_000;

/**
 * Moves pending contacts into sync jobs; ids leave the pending set only once their job
 * exists. While the previous flush's last job has not finished, the flush waits instead: the
 * contacts gather into one larger job, since a sync costs about the same calls for 3
 * contacts as for 30 (bench: 50 events/s made two jobs a second, which alone spent the
 * HubSpot budget). The job's end flushes at once (`flushAfterSync`). One flush runs at a
 * time (a Redis lock), so two never turn the same contacts into two jobs.
 */
export async function flushWebhooks(store: Store, queues: Queues, batchSize: number): Promise<number> {
  const lock = store.key('webhook', 'flush-lock');
  const token = randomUUID();
  if ((await store.redis.set(lock, token, 'PX', FLUSH_LOCK_MS, 'NX')) !== 'OK') {
    await scheduleFlush(queues);
    return 0;
  }
  try {
    return await flushLocked(store, queues, batchSize);
  } finally {
    await store.redis.eval(RELEASE_IF_OWNER, 1, lock, token);
  }
}

const RELEASE_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

async function flushLocked(store: Store, queues: Queues, batchSize: number): Promise<number> {
  const pending = store.key('webhook', 'pending');
  const first = store.key('webhook', 'first-seen');
  const lastJob = store.key('webhook', 'last-job');
  const later = store.key('webhook', 'later');
  const due = await store.redis.zrangebyscore(later, '-inf', Date.now());
  if (due.length) {
    const now = String(Date.now());
    await store.redis.multi().zadd(pending, 'GT', ...due.flatMap((id) => [now, id])).zrem(later, ...due).exec();
  }
  const previous = await store.redis.get(lastJob);
  if (previous && WAITING.has(await queues.sync.getJobState(previous))) {
    await scheduleFlush(queues);
    return 0;
  }
  let jobs = 0;
  let after = '-inf';
  for (;;) {
    const entries = await store.redis.zrangebyscore(pending, after, '+inf', 'WITHSCORES', 'LIMIT', 0, batchSize);
    if (entries.length === 0) return jobs;
    const ids = entries.filter((_, i) => i % 2 === 0);
    const firstSeen = (await store.redis.hmget(first, ...ids)).map(Number).filter(Number.isFinite);
    const job = await queues.sync.add('webhook', { ids, trigger: 'webhook', oldestEventAt: Math.min(...firstSeen, Number(entries[1])) }, { priority: PRIORITY.webhook });
    await store.redis.set(lastJob, job.id!, 'EX', 3600);
    jobs++;
    await store.redis.eval(REMOVE_IF_UNCHANGED, 2, pending, first, ...entries);
    // Entries kept because a newer event arrived are re-read by the next flush, not this loop.
    after = `(${entries[entries.length - 1]}`;
  }
}

/**
 * Called once a webhook sync job has completed: contacts that gathered while it ran go into the next
 * job now rather than at the next timed check (bench: up to 300 ms of the webhook latency).
 */
export async function flushAfterSync(store: Store, queues: Queues, jobId: string): Promise<void> {
  if ((await store.redis.zcard(store.key('webhook', 'pending'))) === 0) return;
  await queues.control.add('flush-webhooks', {}, { jobId: `flush-after-${jobId}` });
}

/**
 * Contacts a sync left for later because their feed news was not cached yet: they rejoin
 * the webhook flushes once due, so several deferrals of one contact, and of many contacts,
 * make one sync instead of a small job each (bench: these alone were half the sync jobs).
 */
export async function deferContacts(store: Store, queues: Queues, ids: string[], delayMs: number, oldestEventAt?: number): Promise<void> {
  const due = Date.now() + delayMs;
  const tx = store.redis.multi();
  for (const id of ids) {
    tx.zadd(store.key('webhook', 'later'), 'NX', due, id);
    if (oldestEventAt) tx.hsetnx(store.key('webhook', 'first-seen'), id, String(oldestEventAt));
  }
  await tx.exec();
  // One flush per second of due times, however many syncs defer into it.
  const second = Math.ceil(due / 1000);
  await queues.control.add('flush-webhooks', {}, { delay: second * 1000 - Date.now(), deduplication: { id: `flush-later-${second}`, ttl: delayMs + 2_000 } });
}

export { QUEUE_NAMES };
