/**
 * What the service keeps in Redis besides its queues: cursors, per-record echo markers, the
 * set of follow-up tasks known to exist, failed records, recent runs and the audit stream.
 * Everything here can be lost without losing data: the systems of record hold the links
 * (external ids) and the tasks' idempotency keys.
 */
import type Redis from 'ioredis';
import { recordFailuresTotal } from './metrics';

export interface FailureRecord {
  /** `<system>:<hubspotId>`: one entry per contact and system, updated on each attempt. */
  id: string;
  system: 'hubspot' | 'salesforce';
  hubspotId: string;
  code: string;
  message: string;
  correlationId?: string;
  retryable: boolean;
  firstSeen: string;
  lastSeen: string;
  attempts: number;
}

export interface RunRecord {
  id: string;
  trigger: string;
  kind: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  counts: Record<string, number>;
  error?: string;
}

const RUNS_KEPT = 500;
const AUDIT_KEPT = 200_000;

export class Store {
  constructor(
    readonly redis: Redis,
    readonly prefix: string,
  ) {}

  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  // ---------------------------------------------------------------- cursors
  async getCursor<T>(name: string): Promise<T | null> {
    const raw = await this.redis.get(this.key('cursor', name));
    return raw === null ? null : (JSON.parse(raw) as T);
  }

  async setCursor(name: string, value: unknown): Promise<void> {
    await this.redis.set(this.key('cursor', name), JSON.stringify(value));
  }

  // ---------------------------------------------------------------- echo markers
  /** HubSpot's `updatedAt` after our own write, so the next poll recognises the echo. */
  async markHubSpotWrites(updatedAt: Map<string, string>): Promise<void> {
    if (updatedAt.size === 0) return;
    const pipeline = this.redis.pipeline();
    for (const [id, at] of updatedAt) pipeline.set(this.key('written', 'hs', id), at, 'EX', 7 * 86_400);
    await pipeline.exec();
  }

  async hubspotEchoes(records: Array<{ id: string; updatedAt: string }>): Promise<Set<string>> {
    if (records.length === 0) return new Set();
    const values = await this.redis.mget(records.map((r) => this.key('written', 'hs', r.id)));
    return new Set(records.filter((r, i) => values[i] !== null && Date.parse(values[i]!) === Date.parse(r.updatedAt)).map((r) => r.id));
  }

  /** Fingerprint of the sales-owned fields last seen per Salesforce record. */
  async unseenOutcomes(fingerprints: Map<string, string>): Promise<Set<string>> {
    const ids = [...fingerprints.keys()];
    if (ids.length === 0) return new Set();
    const seen = await this.redis.mget(ids.map((id) => this.key('seen', 'sf', id)));
    return new Set(ids.filter((id, i) => seen[i] !== fingerprints.get(id)));
  }

  async markOutcomesSeen(fingerprints: Map<string, string>): Promise<void> {
    if (fingerprints.size === 0) return;
    const pipeline = this.redis.pipeline();
    for (const [id, fp] of fingerprints) pipeline.set(this.key('seen', 'sf', id), fp, 'EX', 30 * 86_400);
    await pipeline.exec();
  }

  /**
   * Fingerprint of the inputs a contact was last evaluated on (its properties other than the
   * service's own). A poll that finds the same fingerprint is looking at the echo of our own
   * write-back and skips the contact.
   */
  async unchangedInputs(fingerprints: Map<string, string>): Promise<Set<string>> {
    const ids = [...fingerprints.keys()];
    if (ids.length === 0) return new Set();
    const seen = await this.redis.mget(ids.map((id) => this.key('inputs', id)));
    return new Set(ids.filter((id, i) => seen[i] === fingerprints.get(id)));
  }

  async rememberInputs(fingerprints: Map<string, string>): Promise<void> {
    if (fingerprints.size === 0) return;
    const pipeline = this.redis.pipeline();
    for (const [id, fp] of fingerprints) pipeline.set(this.key('inputs', id), fp, 'EX', 30 * 86_400);
    await pipeline.exec();
  }

  // ---------------------------------------------------------------- MQLs to re-evaluate
  /** Keeps the set of contacts the service holds as MQL, so the daily re-evaluation needs no search. */
  async trackMqls(stages: Map<string, string>): Promise<void> {
    if (stages.size === 0) return;
    const key = this.key('mqls');
    const pipeline = this.redis.pipeline();
    for (const [id, stage] of stages) {
      if (stage === 'mql') pipeline.sadd(key, id);
      else pipeline.srem(key, id);
    }
    await pipeline.exec();
  }

  async *mqlIds(pageSize = 1000): AsyncIterable<string[]> {
    let cursor = '0';
    do {
      const [next, ids] = await this.redis.sscan(this.key('mqls'), cursor, 'COUNT', pageSize);
      cursor = next;
      if (ids.length) yield ids;
    } while (cursor !== '0');
  }

  // ---------------------------------------------------------------- per-contact locks
  /**
   * Locks contacts for one sync so two workers never write the same contact at once.
   * Returns the ids this owner got; the others are being synced elsewhere.
   */
  async lockContacts(ids: string[], owner: string, ttlMs: number): Promise<string[]> {
    if (ids.length === 0) return [];
    // A lock already held by the same owner is taken again: the owner is the job, so a job
    // retried after its worker died gets its own contacts back instead of waiting them out.
    const script = `local got = {}
for i, k in ipairs(KEYS) do
  if redis.call('set', k, ARGV[1], 'PX', ARGV[2], 'NX') or redis.call('get', k) == ARGV[1] then
    redis.call('pexpire', k, ARGV[2])
    got[#got + 1] = i
  end
end
return got`;
    const got = (await this.redis.eval(script, ids.length, ...ids.map((id) => this.key('lock', id)), owner, String(ttlMs))) as number[];
    return got.map((i) => ids[i - 1]!);
  }

  async unlockContacts(ids: string[], owner: string): Promise<void> {
    if (ids.length === 0) return;
    // Only release locks this owner still holds (a lock may have expired and been re-taken).
    const script = "for i, k in ipairs(KEYS) do if redis.call('get', k) == ARGV[1] then redis.call('del', k) end end return 1";
    await this.redis.eval(script, ids.length, ...ids.map((id) => this.key('lock', id)), owner);
  }

  // ---------------------------------------------------------------- tasks known to exist
  async knownTasks(keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const flags = await this.redis.smismember(this.key('tasks'), ...keys);
    return new Set(keys.filter((_, i) => flags[i] === 1));
  }

  async forgetTasksOf(hubspotId: string): Promise<void> {
    const keys = (await this.redis.smembers(this.key('tasks'))).filter((k) => k.startsWith(`lsync:${hubspotId}:`));
    if (keys.length) await this.redis.srem(this.key('tasks'), ...keys);
  }

  async rememberTasks(keys: string[]): Promise<void> {
    if (keys.length) await this.redis.sadd(this.key('tasks'), ...keys);
  }

  // ---------------------------------------------------------------- failures
  async recordFailures(failures: Array<Omit<FailureRecord, 'id' | 'firstSeen' | 'lastSeen' | 'attempts'>>, now: string): Promise<void> {
    if (failures.length === 0) return;
    const key = this.key('failures');
    const ids = failures.map((f) => `${f.system}:${f.hubspotId}`);
    const previous = await this.redis.hmget(key, ...ids);
    const entries: string[] = [];
    failures.forEach((f, i) => {
      const before = previous[i] ? (JSON.parse(previous[i]!) as FailureRecord) : undefined;
      const record: FailureRecord = { ...f, id: ids[i]!, firstSeen: before?.firstSeen ?? now, lastSeen: now, attempts: (before?.attempts ?? 0) + 1 };
      entries.push(ids[i]!, JSON.stringify(record));
    });
    await this.redis.hset(key, ...entries);
    for (const f of failures) recordFailuresTotal.inc({ system: f.system, code: f.code });
  }

  /** How many records each system has refused and the service keeps for a re-drive. */
  async failureCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = { hubspot: 0, salesforce: 0 };
    for (const id of await this.redis.hkeys(this.key('failures'))) {
      const system = id.slice(0, id.indexOf(':'));
      counts[system] = (counts[system] ?? 0) + 1;
    }
    return counts;
  }

  async clearFailures(system: 'hubspot' | 'salesforce', hubspotIds: string[]): Promise<void> {
    if (hubspotIds.length) await this.redis.hdel(this.key('failures'), ...hubspotIds.map((id) => `${system}:${id}`));
  }

  async failures(): Promise<FailureRecord[]> {
    const all = await this.redis.hvals(this.key('failures'));
    return all.map((v) => JSON.parse(v) as FailureRecord).sort((a, b) => (a.lastSeen < b.lastSeen ? 1 : -1));
  }

  async failure(id: string): Promise<FailureRecord | null> {
    const raw = await this.redis.hget(this.key('failures'), id);
    return raw === null ? null : (JSON.parse(raw) as FailureRecord);
  }

  // ---------------------------------------------------------------- runs and audit
  async recordRun(run: RunRecord): Promise<void> {
    await this.redis.multi().lpush(this.key('runs'), JSON.stringify(run)).ltrim(this.key('runs'), 0, RUNS_KEPT - 1).exec();
  }

  async runs(limit = 50): Promise<RunRecord[]> {
    return (await this.redis.lrange(this.key('runs'), 0, limit - 1)).map((r) => JSON.parse(r) as RunRecord);
  }

  /** One entry per write: what was written where, why, under which definition version. No personal data. */
  async audit(entries: Array<Record<string, string>>): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const entry of entries) pipeline.xadd(this.key('audit'), 'MAXLEN', '~', String(AUDIT_KEPT), '*', ...Object.entries(entry).flat());
    await pipeline.exec();
  }
}
