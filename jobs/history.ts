/**
 * Per-contact history: the evaluations the service made (definition version, scores, status,
 * stage, time) and the sales outcomes and follow-up milestones it read back, plus the latest
 * inputs (contact fields and activities) so a backtest can replay them without API calls.
 *
 * Stored in Redis next to the queues (one dependency to run, and the data is small):
 * `<prefix>:hist:<id>` is a list of compact JSON entries, appended only when something
 * changed, capped and trimmed to the retention; `<prefix>:hinputs:<id>` is the deflated
 * JSON of the latest inputs. `<prefix>:hist:index` (a sorted set by last change) lets
 * reports and backtests walk every contact in pages without KEYS. `<prefix>:handoff:open`
 * (task keys by SLA deadline) lists the MQL episodes that may still breach their SLA.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Activity, Contact } from '../src/domain/types';
import { deadlineMs } from '../src/domain/reports/handoff';
import type { HistoryEvaluation, HistoryEvent } from '../src/domain/reports/history';
import type { Store } from './store';

export interface HistoryInputs {
  contact: Contact;
  activities: Activity[];
}

const MAX_ENTRIES = 200;
const DAY_MS = 86_400_000;

export class History {
  constructor(
    private readonly store: Store,
    private readonly retentionDays: number,
  ) {}

  private key(id: string) {
    return this.store.key('hist', id);
  }

  private inputsKey(id: string) {
    return this.store.key('hinputs', id);
  }

  /** Appends entries; an evaluation identical to the contact's last one (same version) is skipped. */
  async record(entries: Map<string, HistoryEvent[]>, inputs?: Map<string, HistoryInputs>): Promise<void> {
    if (entries.size === 0 && !inputs?.size) return;
    const ids = [...entries.keys()];
    const lasts = ids.length ? await this.store.redis.pipeline(ids.map((id) => ['lrange', this.key(id), '-20', '-1'])).exec() : [];
    const tx = this.store.redis.pipeline();
    const ttl = this.retentionDays * 86_400;
    const now = Date.now();
    ids.forEach((id, i) => {
      const recent = ((lasts?.[i]?.[1] as string[] | undefined) ?? []).map((r) => JSON.parse(r) as HistoryEvent);
      const fresh = entries.get(id)!.filter((e) => e.kind !== 'evaluation' || !sameAsLast(e, recent));
      if (fresh.length === 0) return;
      tx.rpush(this.key(id), ...fresh.map((e) => JSON.stringify(e)));
      // Episodes waiting for a first touch, by deadline, so breaches are found without a scan.
      for (const e of fresh) if (e.kind === 'task' && e.event === 'created' && e.dueAt) tx.zadd(this.store.key('handoff', 'open'), deadlineMs(e.dueAt), e.key);
      tx.ltrim(this.key(id), -MAX_ENTRIES, -1);
      tx.expire(this.key(id), ttl);
      tx.zadd(this.store.key('hist', 'index'), now, id);
    });
    for (const [id, value] of inputs ?? []) {
      tx.set(this.inputsKey(id), deflateRawSync(JSON.stringify(value)), 'EX', ttl);
      tx.zadd(this.store.key('hist', 'index'), 'NX', now, id);
    }
    await tx.exec();
  }

  async entries(id: string): Promise<HistoryEvent[]> {
    const cutoff = new Date(Date.now() - this.retentionDays * DAY_MS).toISOString();
    return (await this.store.redis.lrange(this.key(id), 0, -1)).map((r) => JSON.parse(r) as HistoryEvent).filter((e) => e.at >= cutoff);
  }

  async inputs(id: string): Promise<HistoryInputs | null> {
    const raw = await this.store.redis.getBuffer(this.inputsKey(id));
    return raw ? (JSON.parse(inflateRawSync(raw).toString('utf8')) as HistoryInputs) : null;
  }

  /** Every contact with history, in pages, each with its entries and inputs (one round trip per page). */
  async *scan(pageSize = 500): AsyncIterable<Array<{ id: string; entries: HistoryEvent[]; inputs: HistoryInputs | null }>> {
    const index = this.store.key('hist', 'index');
    for (let offset = 0; ; offset += pageSize) {
      const ids = await this.store.redis.zrange(index, offset, offset + pageSize - 1);
      if (ids.length === 0) return;
      const pipeline = this.store.redis.pipeline();
      for (const id of ids) pipeline.lrange(this.key(id), 0, -1).getBuffer(this.inputsKey(id));
      const replies = (await pipeline.exec()) ?? [];
      yield ids.map((id, i) => {
        const list = (replies[2 * i]?.[1] as string[] | undefined) ?? [];
        const raw = replies[2 * i + 1]?.[1] as Buffer | null | undefined;
        return { id, entries: list.map((r) => JSON.parse(r) as HistoryEvent), inputs: raw ? (JSON.parse(inflateRawSync(raw).toString('utf8')) as HistoryInputs) : null };
      });
    }
  }

  async purge(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.store.redis
      .multi()
      .del(...ids.flatMap((id) => [this.key(id), this.inputsKey(id)]))
      .zrem(this.store.key('hist', 'index'), ...ids)
      .exec();
  }
}

function sameAsLast(entry: HistoryEvaluation, recent: HistoryEvent[]): boolean {
  for (let i = recent.length - 1; i >= 0; i--) {
    const r = recent[i]!;
    if (r.kind !== 'evaluation' || r.version !== entry.version || (r.shadow ?? false) !== (entry.shadow ?? false)) continue;
    // Decay moves scores a little every day: only a change of a point or more is history.
    return r.status === entry.status && r.stage === entry.stage && Math.abs(r.total - entry.total) < 1 && r.tier === entry.tier && r.serviceLine === entry.serviceLine;
  }
  return false;
}
