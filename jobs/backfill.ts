/**
 * Admin backfills: full, by date range, by ids, or by service line, optionally as a dry run.
 *
 * Chunks are ordinary sync jobs with deterministic job ids (`bf-<id>-<chunk>`), so a chunk
 * enqueued twice is one job. A full or date-range backfill is a chain: each chunk lists (or
 * searches) its own contacts, makes the next chunk from where it stopped and syncs what it
 * read, so every contact is read once; a chunk retried after reading syncs the ids it saved.
 * Backfills of given ids are enqueued by a driver job with a checkpoint. Chunks report into
 * the backfill's record once each (a set of finished chunks), so progress stays exact under
 * retries. Cancelling stops the driver and makes waiting chunks skip themselves.
 */
import { randomUUID } from 'node:crypto';
import type { HubSpotContactRecord } from '../connectors/ports';
import { PRIORITY, type ChunkListing, type Queues, type SyncJobData } from './queues';
import type { Runtime } from './runtime';
import type { Store } from './store';
import type { PlannedWrite, SyncReport } from './sync-contacts';

export interface BackfillParams {
  since?: string;
  until?: string;
  ids?: string[];
  serviceLine?: string;
  dryRun?: boolean;
}

export type BackfillStatus = 'queued' | 'running' | 'completed' | 'cancelled' | 'failed';

export interface BackfillState {
  id: string;
  params: BackfillParams;
  status: BackfillStatus;
  createdAt: string;
  finishedAt?: string;
  /** Contacts the driver has enqueued; final once `enqueueDone`. */
  total: number;
  enqueueDone: boolean;
  chunks: number;
  done: number;
  failed: number;
  counts: Record<string, number>;
  errors: Record<string, number>;
}

export interface BackfillProgress extends BackfillState {
  ratePerSecond: number;
  etaSeconds: number | null;
  plannedWrites?: number;
}

const PLANNED_KEPT = 200_000;
/** Feeds refreshed this recently are not refreshed again by a backfill or a poll. */
export const FRESH_FEEDS_MS = 60_000;

// Compare-and-set of the status field: only a live backfill may change status.
const SET_STATUS = `
local current = redis.call('hget', KEYS[1], 'status')
if current == ARGV[1] or current == ARGV[2] then
  redis.call('hset', KEYS[1], 'status', ARGV[3], 'finishedAt', ARGV[4])
  return 1
end
return 0`;

/**
 * State lives in Redis hashes updated with atomic increments (HINCRBY) and a compare-and-set
 * for the status, so chunk reports from many workers never lose a count.
 */
export class Backfills {
  constructor(
    private readonly store: Store,
    private readonly queues: Queues,
  ) {}

  private key(id: string, ...rest: string[]) {
    return this.store.key('backfill', id, ...rest);
  }

  async start(params: BackfillParams): Promise<string> {
    const id = randomUUID();
    const createdAt = new Date().toISOString();
    await this.store.redis
      .multi()
      .hset(this.key(id), { params: JSON.stringify(params), status: 'queued', createdAt, total: 0, enqueueDone: 0, chunks: 0, done: 0, failed: 0 })
      .zadd(this.store.key('backfills'), Date.now(), id)
      .exec();
    await this.queues.control.add('backfill', { backfillId: id }, { jobId: `backfill-${id}`, attempts: 20 });
    return id;
  }

  async state(id: string): Promise<BackfillState | null> {
    const [fields, counts, errors] = await Promise.all([
      this.store.redis.hgetall(this.key(id)),
      this.store.redis.hgetall(this.key(id, 'counts')),
      this.store.redis.hgetall(this.key(id, 'errors')),
    ]);
    if (!fields.status) return null;
    const numbers = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)]));
    const state: BackfillState = {
      id,
      params: JSON.parse(fields.params ?? '{}') as BackfillParams,
      status: fields.status as BackfillStatus,
      createdAt: fields.createdAt ?? '',
      total: Number(fields.total),
      enqueueDone: fields.enqueueDone === '1',
      chunks: Number(fields.chunks),
      done: Number(fields.done),
      failed: Number(fields.failed),
      counts: numbers(counts),
      errors: numbers(errors),
    };
    if (fields.finishedAt) state.finishedAt = fields.finishedAt;
    return state;
  }

  async get(id: string): Promise<BackfillProgress | null> {
    const state = await this.state(id);
    if (state === null) return null;
    const elapsed = ((state.finishedAt ? Date.parse(state.finishedAt) : Date.now()) - Date.parse(state.createdAt)) / 1000;
    const processed = state.done + state.failed;
    const ratePerSecond = elapsed > 0 ? processed / elapsed : 0;
    const left = state.total - processed;
    const progress: BackfillProgress = { ...state, ratePerSecond: Math.round(ratePerSecond * 10) / 10, etaSeconds: state.status === 'running' && state.enqueueDone && ratePerSecond > 0 ? Math.ceil(left / ratePerSecond) : null };
    if (state.params.dryRun) progress.plannedWrites = await this.store.redis.llen(this.key(id, 'planned'));
    return progress;
  }

  async list(limit = 20): Promise<BackfillProgress[]> {
    const ids = await this.store.redis.zrevrange(this.store.key('backfills'), 0, limit - 1);
    return (await Promise.all(ids.map((id) => this.get(id)))).filter((b): b is BackfillProgress => b !== null);
  }

  async planned(id: string, offset = 0, limit = 100): Promise<PlannedWrite[]> {
    return (await this.store.redis.lrange(this.key(id, 'planned'), offset, offset + limit - 1)).map((r) => JSON.parse(r) as PlannedWrite);
  }

  private async setStatus(id: string, to: BackfillStatus, from: [BackfillStatus, BackfillStatus]): Promise<boolean> {
    const finishedAt = to === 'running' ? '' : new Date().toISOString();
    return (await this.store.redis.eval(SET_STATUS, 1, this.key(id), from[0], from[1], to, finishedAt)) === 1;
  }

  /** Cancels a queued or running backfill; false when it had already ended. */
  async cancel(id: string): Promise<boolean> {
    return this.setStatus(id, 'cancelled', ['queued', 'running']);
  }

  async isCancelled(id: string): Promise<boolean> {
    const status = await this.store.redis.hget(this.key(id), 'status');
    return status === null || status === 'cancelled';
  }

  private chunkData(id: string, params: BackfillParams, chunk: number, ids: string[]): SyncJobData {
    return { ids, trigger: 'backfill', dryRun: Boolean(params.dryRun), backfillId: id, chunk, ...(params.serviceLine ? { serviceLine: params.serviceLine } : {}) };
  }

  /**
   * The driver. A full or date-range backfill gets its first chunk, which reads its own
   * contacts and hands the rest on (see takeChunk): listing in the driver meant reading
   * every contact twice, a tenth more HubSpot calls. Given ids are enqueued in chunks here,
   * with a checkpoint.
   */
  async drive(rt: Runtime, id: string, chunkSize: number): Promise<void> {
    await this.setStatus(id, 'running', ['queued', 'queued']);
    const state = await this.state(id);
    if (!state || state.status !== 'running' || state.enqueueDone) return;
    const { params } = state;
    if (!params.ids) {
      // Feeds first (unless a poll just did it): chunks evaluate on the activity cache, and a
      // first load of a large portal's feeds outlasts the feed-lock wait of chunks started
      // alongside it (bench). Only for a full backfill, which syncs every contact the
      // refresh finds news for.
      if (!params.since && !params.until) await rt.hubspot.refreshFeeds({ unlessFresherThanMs: FRESH_FEEDS_MS });
      const listing: ChunkListing = params.since || params.until
        ? { size: chunkSize, cursor: { modifiedAt: params.since ? Date.parse(params.since) : 0, id: '0' }, ...(params.until ? { until: Date.parse(params.until) } : {}) }
        : { size: chunkSize };
      await this.queues.sync.add('backfill', { ...this.chunkData(id, params, 0, []), listing }, { jobId: `bf-${id}-0`, priority: PRIORITY.backfill });
      return;
    }
    const checkpoint = await this.store.getCursor<{ offset?: number }>(`backfill-${id}`);
    let chunk = state.chunks;
    for await (const page of idPages(params.ids, chunkSize, checkpoint?.offset ?? 0)) {
      if (await this.isCancelled(id)) return;
      if (page.ids.length) {
        await this.queues.sync.add('backfill', this.chunkData(id, params, chunk, page.ids), { jobId: `bf-${id}-${chunk}`, priority: PRIORITY.backfill });
        chunk++;
      }
      // Checkpoint and chunk counter move together, after the chunk exists: a crash before
      // this re-reads the page and re-adds the same job id, which BullMQ ignores.
      await this.store.redis.multi().hset(this.key(id), 'chunks', chunk).hincrby(this.key(id), 'total', page.ids.length).exec();
      await this.store.setCursor(`backfill-${id}`, page.checkpoint);
    }
    await this.store.redis.hset(this.key(id), 'enqueueDone', 1);
    await this.completeIfDone(id);
  }

  /**
   * A full or date-range chunk that has not read its contacts reads them (whole pages up to
   * its size), counts them in the total once, makes the next chunk from where it stopped (a
   * fixed job id, so once however often this is retried) and saves their ids in its job
   * data, so a retry syncs the same contacts. Undefined for a chunk of given ids.
   */
  async takeChunk(rt: Runtime, data: SyncJobData, saveIds: (ids: string[]) => Promise<unknown>): Promise<HubSpotContactRecord[] | undefined> {
    const { listing, backfillId: id, chunk } = data;
    if (!listing || data.ids.length > 0 || id === undefined || chunk === undefined) return undefined;
    const { records, next } = await readListing(rt, listing);
    // Counted before the next chunk exists, so the chunk count only grows.
    if ((await this.store.redis.sadd(this.key(id, 'chunks-read'), String(chunk))) === 1) {
      const tx = this.store.redis.multi().hset(this.key(id), 'chunks', chunk + 1).hincrby(this.key(id), 'total', records.length);
      if (!next) tx.hset(this.key(id), 'enqueueDone', 1);
      await tx.exec();
    }
    if (next) await this.queues.sync.add('backfill', { ...data, chunk: chunk + 1, listing: next }, { jobId: `bf-${id}-${chunk + 1}`, priority: PRIORITY.backfill });
    await saveIds(records.map((r) => r.id));
    return records;
  }

  /**
   * Called once a chunk's sync job has finished, or failed for good. `unread`: it failed
   * before reading its contacts, so it never made the next chunk and the backfill stops.
   */
  async chunkFinished(id: string, chunk: number, outcome: { report: SyncReport } | { error: string; contacts: number; unread?: boolean }): Promise<void> {
    const first = await this.store.redis.sadd(this.key(id, 'chunks-done'), String(chunk));
    if (first === 0) return;
    const tx = this.store.redis.multi();
    const counts = this.key(id, 'counts');
    if ('error' in outcome) {
      tx.hincrby(this.key(id), 'failed', outcome.contacts).hincrby(this.key(id, 'errors'), outcome.error, outcome.contacts);
    } else {
      const { report } = outcome;
      tx.hincrby(this.key(id), 'done', report.requested - report.failures).hincrby(this.key(id), 'failed', report.failures);
      for (const [stage, n] of Object.entries(report.stages)) tx.hincrby(counts, `stage:${stage}`, n);
      for (const [key, n] of Object.entries(report.mqls)) tx.hincrby(counts, `mql ${key}`, n);
      for (const [write, n] of Object.entries(report.writes)) if (n) tx.hincrby(counts, write, n);
      if (report.mqlsCreated) tx.hincrby(counts, 'mqlsCreated', report.mqlsCreated);
      if (report.missing.length) tx.hincrby(counts, 'missing', report.missing.length);
      if (report.skippedOtherServiceLine) tx.hincrby(counts, 'otherServiceLine', report.skippedOtherServiceLine);
      if (report.failures) tx.hincrby(this.key(id, 'errors'), 'record rejected by an API (see /admin/failures)', report.failures);
      if (report.planned?.length) {
        tx.rpush(this.key(id, 'planned'), ...report.planned.map((p) => JSON.stringify(p))).ltrim(this.key(id, 'planned'), 0, PLANNED_KEPT - 1);
      }
    }
    await tx.exec();
    if ('error' in outcome && outcome.unread) await this.setStatus(id, 'failed', ['queued', 'running']);
    await this.completeIfDone(id);
  }

  private async completeIfDone(id: string): Promise<void> {
    const [enqueueDone, chunks] = await this.store.redis.hmget(this.key(id), 'enqueueDone', 'chunks');
    if (enqueueDone !== '1') return;
    const finished = await this.store.redis.scard(this.key(id, 'chunks-done'));
    if (finished >= Number(chunks)) await this.setStatus(id, 'completed', ['running', 'running']);
  }
}

type Page = { ids: string[]; checkpoint: unknown };

async function* idPages(ids: string[], size: number, offset: number): AsyncIterable<Page> {
  for (let i = offset; i < ids.length; i += size) yield { ids: ids.slice(i, i + size), checkpoint: { offset: i + size } };
}

/** Whole pages from where a chunk starts until it holds `size` contacts, and where the next chunk starts. */
async function readListing(rt: Runtime, listing: ChunkListing): Promise<{ records: HubSpotContactRecord[]; next?: ChunkListing }> {
  const records: HubSpotContactRecord[] = [];
  if (listing.cursor) {
    for await (const page of rt.hubspot.changedContacts(listing.cursor, listing.until)) {
      records.push(...page.records);
      if (records.length >= listing.size) return { records, next: { ...listing, cursor: page.cursor } };
    }
    return { records };
  }
  for await (const page of rt.hubspot.listContacts(listing.after)) {
    records.push(...page.records);
    if (page.after === undefined) return { records };
    if (records.length >= listing.size) return { records, next: { ...listing, after: page.after } };
  }
  return { records };
}
