/**
 * The worker process: BullMQ workers for the three queues, the job schedulers, and the
 * translation of connector errors into queue behaviour:
 *  - RateLimitedError: the whole queue waits (`worker.rateLimit`), no attempt is used up;
 *  - AuthConfigError / PermanentError of a whole batch: UnrecoverableError, the job stays
 *    failed, visible and re-drivable once fixed;
 *  - anything else: retried with exponential backoff and jitter, then kept as failed.
 */
import { randomUUID } from 'node:crypto';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type IORedis from 'ioredis';
import { AuthConfigError, PermanentError, RateLimitedError } from '../connectors/errors';
import { Backfills } from './backfill';
import { deferContacts, flushAfterSync, flushWebhooks } from './webhooks';
import { purgeContacts } from './purge';
import { pollHubSpot, pollOutcomes, reevaluateMqls } from './poll';
import { enqueueSync, QUEUE_NAMES, type OutcomesJobData, type Queues, type SyncJobData } from './queues';
import type { Runtime } from './runtime';
import { recordRun } from './runs';
import { syncContacts } from './sync-contacts';
import { writeOutcomes } from './write-outcomes';
import { webhookLatency } from './metrics';

export interface WorkerOptions {
  concurrency: number;
  batchSize: number;
  /** Contacts per backfill chunk (one sync job). */
  backfillChunkSize: number;
  syncIntervalMs: number;
  outcomesIntervalMs: number;
  reevaluateCron: string;
}

const MAX_REDRIVES = 5;

/** Every log line of a job carries its queue, job id and trigger. */
function forJob(rt: Runtime, job: Job): Runtime {
  return { ...rt, logger: rt.logger.child({ queue: job.queueName, job: job.id, trigger: (job.data as { trigger?: string }).trigger }) };
}

/**
 * A worker that dies (SIGKILL, OOM, lost host) leaves its active jobs locked; they are found
 * stalled and handed to another worker within about lockDuration + stalledInterval.
 */
const STALL = { lockDuration: 20_000, stalledInterval: 10_000, maxStalledCount: 3 };

function translate(worker: () => Worker | undefined) {
  return async (error: unknown): Promise<never> => {
    if (error instanceof RateLimitedError) {
      await worker()?.rateLimit(error.retryAfterMs);
      throw Worker.RateLimitError();
    }
    if (error instanceof AuthConfigError || error instanceof PermanentError) throw new UnrecoverableError(error.message);
    throw error;
  };
}

export interface Workers {
  workers: Worker[];
  close(): Promise<void>;
}

export async function startWorkers(rt: Runtime, queues: Queues, connection: IORedis, options: WorkerOptions): Promise<Workers> {
  const prefix = `${rt.store.prefix}:bull`;
  const owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const backfills = new Backfills(rt.store, queues);
  let syncWorker: Worker | undefined;
  let outcomesWorker: Worker | undefined;

  syncWorker = new Worker<SyncJobData>(
    QUEUE_NAMES.sync,
    async (job: Job<SyncJobData>) => {
      const data = job.data;
      if (data.backfillId && (await backfills.isCancelled(data.backfillId))) return { skipped: 'backfill cancelled' };
      // A backfill chunk that reads its own contacts syncs them as read.
      const sync = async () => {
        const listed = await backfills.takeChunk(rt, data, (ids) => job.updateData({ ...data, ids }));
        // The job owns its contacts' locks, so its retry on another worker can take them back.
        return syncContacts(forJob(rt, job), listed ? { ...data, ids: listed.map((r) => r.id) } : data, `job-${job.id}`, listed);
      };
      const report = await recordRun(rt.store, data.trigger, 'sync', () => sync().catch(translate(() => syncWorker)), (r) => ({
        contacts: r.synced, missing: r.missing.length, failures: r.failures, ...r.writes, mqlsCreated: r.mqlsCreated,
      }));
      if (data.oldestEventAt) webhookLatency.observe((Date.now() - data.oldestEventAt) / 1000);
      // Contacts another worker was syncing: their change may have come after that sync read.
      if (report.busy.length) await enqueueSync(queues, report.busy, options.batchSize, { trigger: 'retry' }, { delay: 2_000 });
      const redrive = (data.redrive ?? 0) + 1;
      // Contacts whose feed news was not cached yet: once the feed may be refreshed again.
      if (report.deferred.length) await deferContacts(rt.store, queues, report.deferred, report.deferMs, data.oldestEventAt);
      if (report.retryable.length && redrive <= MAX_REDRIVES) {
        await enqueueSync(queues, report.retryable, options.batchSize, { trigger: 'retry', redrive }, { delay: 2 ** redrive * 5_000 });
      }
      if (data.backfillId !== undefined && data.chunk !== undefined) await backfills.chunkFinished(data.backfillId, data.chunk, { report });
      return { synced: report.synced, writes: report.writes, failures: report.failures };
    },
    { connection, prefix, concurrency: options.concurrency, name: owner, ...STALL },
  );
  // Contacts that gathered while a webhook sync ran go into the next job now; on 'completed',
  // because the flush waits for the last webhook job and a job still running counts as not done.
  syncWorker.on('completed', (job) => {
    if (job.data.trigger === 'webhook') void flushAfterSync(rt.store, queues, job.id!).catch((e) => rt.logger.error({ err: e }, 'webhook flush failed'));
  });
  // A backfill chunk that gave up still counts, as failed, so the backfill can finish.
  syncWorker.on('failed', (job, error) => {
    if (!job?.data.backfillId || job.data.chunk === undefined) return;
    if (job.attemptsMade < (job.opts.attempts ?? 1) && !(error instanceof UnrecoverableError)) return;
    const unread = Boolean(job.data.listing) && job.data.ids.length === 0;
    void backfills.chunkFinished(job.data.backfillId, job.data.chunk, { error: error.message.slice(0, 200), contacts: job.data.ids.length, unread }).catch((e) => rt.logger.error({ err: e }, 'backfill report failed'));
  });

  outcomesWorker = new Worker<OutcomesJobData>(
    QUEUE_NAMES.outcomes,
    (job) =>
      recordRun(rt.store, job.data.trigger, 'outcomes', () => writeOutcomes(forJob(rt, job), job.data.items, job.data.trigger).catch(translate(() => outcomesWorker)), (r) => ({
        outcomes: r.requested, written: r.written, failures: r.failures,
      })),
    { connection, prefix, concurrency: options.concurrency, name: owner, ...STALL },
  );

  const controlWorker = new Worker(
    QUEUE_NAMES.control,
    async (job: Job) => {
      switch (job.name) {
        case 'poll-hubspot':
          return recordRun(rt.store, 'scheduled', 'poll-hubspot', () => pollHubSpot(rt, queues, options.batchSize), (r) => ({ seen: r.seen, enqueued: r.enqueued, echoes: r.skippedEchoes, feedContacts: r.feedContacts }));
        case 'poll-outcomes':
          return recordRun(rt.store, 'scheduled', 'poll-outcomes', () => pollOutcomes(rt, queues, options.batchSize), (r) => ({ seen: r.seen, enqueued: r.enqueued, echoes: r.skippedEchoes, firstTouches: r.handoff.firstTouches, slaBreaches: r.handoff.breaches }));
        case 'reevaluate':
          return recordRun(rt.store, 'reevaluate', 'reevaluate', () => reevaluateMqls(rt, queues, options.batchSize), (r) => ({ enqueued: r.enqueued }));
        case 'flush-webhooks':
          return { jobs: await flushWebhooks(rt.store, queues, options.batchSize) };
        case 'backfill':
          return backfills.drive(rt, job.data.backfillId as string, options.backfillChunkSize);
        case 'purge':
          return purgeContacts(rt, job.data.ids as string[]);
        default:
          throw new UnrecoverableError(`unknown control job "${job.name}"`);
      }
    },
    // Polls and drivers are sequential by nature; a second slot keeps flushes from waiting on a long poll.
    { connection, prefix, concurrency: 2, name: owner, ...STALL },
  );

  await queues.control.upsertJobScheduler('poll-hubspot', { every: options.syncIntervalMs }, { name: 'poll-hubspot', opts: { attempts: 3 } });
  await queues.control.upsertJobScheduler('poll-outcomes', { every: options.outcomesIntervalMs }, { name: 'poll-outcomes', opts: { attempts: 3 } });
  await queues.control.upsertJobScheduler('reevaluate', { pattern: options.reevaluateCron, tz: 'UTC' }, { name: 'reevaluate', opts: { attempts: 3 } });

  const workers = [syncWorker, outcomesWorker, controlWorker];
  for (const w of workers) w.on('error', (error) => rt.logger.error({ err: error, queue: w.name }, 'worker error'));
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
