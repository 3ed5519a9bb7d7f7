/**
 * The BullMQ queues. `sync` carries the unit of work (contact ids), `outcomes` the sales
 * decisions to write back, `control` the scheduled polls, webhook flushes and backfill drivers.
 * Jobs carry ids and statuses, never personal data.
 */
import { Queue, type JobsOptions } from 'bullmq';
import IORedis, { type RedisOptions } from 'ioredis';
import type { ContactCursor } from '../connectors/ports';
import type { Trigger } from './runtime';
import type { OutcomeItem } from './write-outcomes';

export const QUEUE_NAMES = { sync: 'sync', outcomes: 'outcomes', control: 'control' } as const;

/** Webhook syncs jump ahead of scheduled ones, which jump ahead of backfills. */
export const PRIORITY: Record<Trigger, number> = { webhook: 1, retry: 2, manual: 2, outcomes: 3, scheduled: 5, reevaluate: 8, backfill: 10 };

export interface SyncJobData {
  ids: string[];
  trigger: Trigger;
  dryRun?: boolean;
  serviceLine?: string;
  backfillId?: string;
  chunk?: number;
  /** For webhook syncs: the oldest event's `occurredAt` (ms), to measure end-to-end latency. */
  oldestEventAt?: number;
  /** How many times per-record retryable failures have been re-driven already. */
  redrive?: number;
  /**
   * A full or date-range backfill chunk reads its own contacts from here and hands the rest
   * on to the next chunk, so no contact is read twice; `ids` are filled in once read.
   */
  listing?: ChunkListing;
}

/** Where a backfill chunk's contacts start: the listing's `after`, or a search cursor up to `until`. */
export interface ChunkListing {
  /** Contacts per chunk (whole pages, so it may hold a page more). */
  size: number;
  after?: string;
  cursor?: ContactCursor;
  until?: number;
}

export interface OutcomesJobData {
  items: OutcomeItem[];
  trigger: Trigger;
}

export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  // 2 s, 4 s, 8 s ... with jitter so retries from many workers do not arrive together.
  backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 5_000 },
  // Failed jobs stay inspectable (admin API, Bull Board) and re-drivable for a month.
  removeOnFail: { age: 30 * 24 * 3600 },
};

export function redisOptions(forWorker: boolean): RedisOptions {
  // Workers block on Redis and must wait through outages; producers in HTTP handlers must
  // fail fast so the request can answer 503 instead of hanging.
  return forWorker
    ? { maxRetriesPerRequest: null, enableReadyCheck: true, retryStrategy: (n) => Math.min(n * 200, 5_000) }
    : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, retryStrategy: (n) => Math.min(n * 200, 5_000) };
}

export function connect(url: string, forWorker: boolean): IORedis {
  return new IORedis(url, redisOptions(forWorker));
}

export interface Queues {
  sync: Queue<SyncJobData>;
  outcomes: Queue<OutcomesJobData>;
  control: Queue;
  close(): Promise<void>;
}

export function createQueues(connection: IORedis, prefix: string): Queues {
  const opts = { connection, prefix: `${prefix}:bull`, defaultJobOptions: DEFAULT_JOB_OPTIONS };
  const sync = new Queue<SyncJobData>(QUEUE_NAMES.sync, opts);
  const outcomes = new Queue<OutcomesJobData>(QUEUE_NAMES.outcomes, opts);
  const control = new Queue(QUEUE_NAMES.control, opts);
  return {
    sync,
    outcomes,
    control,
    async close() {
      await Promise.all([sync.close(), outcomes.close(), control.close()]);
    },
  };
}

/** Splits ids into sync jobs of `batchSize`. */
export async function enqueueSync(queues: Queues, ids: string[], batchSize: number, data: Omit<SyncJobData, 'ids'>, options: JobsOptions = {}): Promise<number> {
  const jobs = [];
  for (let i = 0; i < ids.length; i += batchSize) {
    jobs.push({ name: data.trigger, data: { ...data, ids: ids.slice(i, i + batchSize) }, opts: { priority: PRIORITY[data.trigger], ...options } });
  }
  if (jobs.length) await queues.sync.addBulk(jobs);
  return jobs.length;
}
