/**
 * The composition root: from the parsed configuration to running pieces. One place builds
 * Redis connections, mappings, both connectors, the runtime, queues, workers and the HTTP
 * server, and one `close()` takes them down in order (stop HTTP, close workers, close Redis).
 */
import type { Server } from 'node:http';
import type IORedis from 'ioredis';
import type { Logger } from 'pino';
import { callTotals } from '../../connectors/accounting';
import { createHubSpotConnector, type HubSpotConnector } from '../../connectors/hubspot';
import { createSalesforceConnector, type SalesforceConnector } from '../../connectors/salesforce';
import { ApiUsage, startUsageFlusher, type UsageFlusher } from '../../jobs/api-usage';
import { Backfills } from '../../jobs/backfill';
import { connect, createQueues, type Queues } from '../../jobs/queues';
import { History } from '../../jobs/history';
import { DefinitionRegistry } from '../../jobs/definition-registry';
import type { Runtime } from '../../jobs/runtime';
import { registerFailureGauge, registerLagGauge } from '../../jobs/metrics';
import { Store } from '../../jobs/store';
import { startWorkers, type Workers } from '../../jobs/worker';
import type { Env } from '../config/env';
import { loadMappings, type Mappings } from '../mappings/load';
import { createApp } from '../server/app';
import { mountConsole } from '../server/console';
import { waitForRedis } from './redis';

/** `cli`: connectors and queues only, for one-off admin commands. */
export type Role = 'worker' | 'api' | 'both' | 'cli';

export interface Services {
  env: Env;
  mappings: Mappings;
  hubspot: HubSpotConnector;
  salesforce: SalesforceConnector;
  runtime: Runtime;
  queues: Queues;
  backfills: Backfills;
  workers?: Workers;
  server?: Server;
  /** Port the API listens on (when it runs). */
  port?: number;
  /** Adds this process's API calls to the counts in Redis (every 10 s; tests flush at once). */
  usageFlusher?: UsageFlusher;
  close(): Promise<void>;
}

export interface BuildOptions {
  role: Role;
  /** Stop waiting for Redis after this long (the demo); the service waits forever. */
  redisGiveUpAfterMs?: number;
}

const USAGE_FLUSH_MS = 10_000;

export async function buildServices(env: Env, logger: Logger, options: BuildOptions): Promise<Services> {
  const mappings = loadMappings({ ...(env.MAPPINGS_DIR ? { dir: env.MAPPINGS_DIR } : {}), ...(env.MQL_DEFINITION_PATH ? { definitionPath: env.MQL_DEFINITION_PATH } : {}) });
  await waitForRedis(env.REDIS_URL, logger, options.redisGiveUpAfterMs);
  // Workers block on Redis and wait through outages; the API's connection fails fast (503).
  const workerRedis = connect(env.REDIS_URL, true);
  const apiRedis = connect(env.REDIS_URL, false);
  for (const r of [workerRedis, apiRedis]) r.on('error', (error) => logger.warn({ reason: (error as NodeJS.ErrnoException).code ?? error.message }, 'redis connection error'));
  const prefix = env.REDIS_PREFIX;
  const connectorLogger = logger.child({ component: 'connector' });
  const hubspot = createHubSpotConnector({ config: env, mappings, redis: workerRedis, keyPrefix: prefix, logger: connectorLogger, requests: { timeoutMs: env.HUBSPOT_TIMEOUT_MS } });
  const salesforce = createSalesforceConnector({ config: env, mappings, redis: workerRedis, keyPrefix: prefix, logger: connectorLogger, tuning: { requestTimeoutMs: env.SALESFORCE_TIMEOUT_MS } });
  const runStore = new Store(workerRedis, prefix);
  const runtime: Runtime = {
    hubspot, salesforce, mappings, definitions: new DefinitionRegistry(runStore, mappings.definition), store: runStore,
    history: new History(runStore, env.HISTORY_RETENTION_DAYS), logger, now: () => new Date(),
  };
  const queues = createQueues(options.role === 'api' ? apiRedis : workerRedis, prefix);
  // Without a listener BullMQ prints each connection error with its stack to stderr during an
  // outage; the connection's own listener above already logs it as one line.
  const quiet = (q: Queues) => [q.sync, q.outcomes, q.control].forEach((queue) => queue.on('error', (error) => logger.debug({ queue: queue.name, reason: error.message }, 'queue error')));
  quiet(queues);
  // Call counters are per process: each one adds its calls to Redis, where the console sums
  // them. On the fail-fast connection, so a Redis outage cannot hold up a shutdown.
  const usageFlusher = options.role === 'cli' ? undefined : startUsageFlusher(new ApiUsage(apiRedis, prefix), callTotals, USAGE_FLUSH_MS, (error) => logger.debug({ reason: (error as Error).message }, 'API usage flush failed'));

  let workers: Workers | undefined;
  if (options.role === 'worker' || options.role === 'both') {
    workers = await startWorkers(runtime, queues, workerRedis, {
      concurrency: env.WORKER_CONCURRENCY,
      batchSize: env.BATCH_SIZE,
      backfillChunkSize: env.BACKFILL_CHUNK_SIZE,
      syncIntervalMs: env.SYNC_INTERVAL_SECONDS * 1000,
      outcomesIntervalMs: env.OUTCOMES_INTERVAL_SECONDS * 1000,
      reevaluateCron: env.REEVALUATE_CRON,
    });
  }

  let server: Server | undefined;
  let port: number | undefined;
  let apiQueues: Queues | undefined;
  if (options.role === 'api' || options.role === 'both') {
    // HTTP handlers enqueue through the fail-fast connection: an outage answers 503, never hangs.
    apiQueues = createQueues(apiRedis, prefix);
    quiet(apiQueues);
    const apiStore = new Store(apiRedis, prefix);
    registerLagGauge(apiStore);
    registerFailureGauge(apiStore);
    const apiRuntime: Runtime = { ...runtime, store: apiStore, history: new History(apiStore, env.HISTORY_RETENTION_DAYS) };
    const app = createApp({
      runtime: apiRuntime,
      queues: apiQueues,
      backfills: new Backfills(apiRuntime.store, apiQueues),
      adminToken: env.ADMIN_TOKEN,
      verifyWebhook: (input) => {
        const result = hubspot.verifyWebhook(input);
        return result.ok ? { valid: true } : { valid: false, reason: `${result.reason}: ${result.detail}` };
      },
      ...(env.WEBHOOK_PUBLIC_URL ? { webhookPublicUrl: env.WEBHOOK_PUBLIC_URL } : {}),
      readiness: {
        redis: () => apiRedis.ping(),
        hubspot: () => hubspot.readContacts(['1']),
        salesforce: () => salesforce.limits(),
      },
      logger,
      extra: (express) => mountConsole(express, {
        runtime: apiRuntime, usage: new ApiUsage(apiRedis, prefix), adminToken: env.ADMIN_TOKEN, hubspotDailyLimit: env.HUBSPOT_DAILY_LIMIT,
        salesforceLimits: () => salesforce.limits(), findByEmail: (emails) => hubspot.readContactsByEmail(emails),
      }),
    });
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(env.PORT, () => resolve(s));
      s.once('error', reject);
    });
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : env.PORT;
  }

  const backfills = new Backfills(runStore, queues);
  return {
    env, mappings, hubspot, salesforce, runtime, queues, backfills, ...(workers ? { workers } : {}), ...(server ? { server, port: port! } : {}), ...(usageFlusher ? { usageFlusher } : {}),
    async close() {
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      server?.closeAllConnections?.();
      await workers?.close();
      await queues.close();
      await apiQueues?.close();
      await usageFlusher?.stop();
      await Promise.all([workerRedis.quit().catch(() => undefined), apiRedis.quit().catch(() => undefined)]);
    },
  };
}

export type { IORedis };
