/**
 * An end-to-end harness: the sandbox (both simulators over HTTP) and the service built by
 * the real composition root (real connectors, BullMQ workers, the API) on the shared Redis
 * under a unique prefix.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import IORedis from 'ioredis';
import pino from 'pino';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../sandbox';
import { buildServices, type Services } from '../../src/app/services';
import { parseEnv } from '../../src/config/env';

export const WEBHOOK_SECRET = 'e2e-client-secret';
export const ADMIN_TOKEN = 'e2e-admin-token-0123456789';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

export interface Harness {
  sandbox: RunningSandbox;
  services: Services;
  prefix: string;
  env: Record<string, string>;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startHarness(sandboxOptions: Partial<SandboxOptions>, envOverrides: Record<string, string> = {}): Promise<Harness> {
  const port = await freePort();
  const prefix = `lsync-e2e-${randomUUID().slice(0, 8)}`;
  const sandbox = await startSandbox({
    contacts: 60, seed: 11, webhookUrl: `http://127.0.0.1:${port}/webhooks/hubspot`, webhookSecret: WEBHOOK_SECRET,
    webhooks: { batchWindowMs: 50, retryDelaysMs: [200, 400, 800] },
    ...sandboxOptions,
  });
  const env: Record<string, string> = {
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', REDIS_PREFIX: prefix, PORT: String(port), ADMIN_TOKEN,
    HUBSPOT_ACCESS_TOKEN: 'e2e', HUBSPOT_BASE_URL: sandbox.hubspotUrl, HUBSPOT_CLIENT_SECRET: WEBHOOK_SECRET, HUBSPOT_WEB_EVENTS: 'true',
    SALESFORCE_INSTANCE_URL: sandbox.salesforceUrl, SALESFORCE_ACCESS_TOKEN: 'e2e', SALESFORCE_INTEGRATION_USER_ID: '0058a0000000001AAA',
    // Scheduled polls stay out of the way; tests trigger them.
    SYNC_INTERVAL_SECONDS: '3600', OUTCOMES_INTERVAL_SECONDS: '3600', BATCH_SIZE: '25', LOG_LEVEL: 'silent',
    ...envOverrides,
  };
  const services = await buildServices(parseEnv(env), pino({ level: 'silent' }), { role: 'both' });
  return {
    sandbox, services, prefix, env, baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await services.close();
      await sandbox.close();
      await deletePrefix(env.REDIS_URL!, prefix);
    },
  };
}

export async function deletePrefix(url: string, prefix: string): Promise<void> {
  const redis = new IORedis(url);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
}

export async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until a backfill has finished and the sync and outcome queues are idle. */
export async function settle(h: Harness, backfillId?: string): Promise<void> {
  if (backfillId) await until('backfill', async () => ['completed', 'failed', 'cancelled'].includes((await h.services.backfills.get(backfillId))!.status), 60_000);
  // The control queue always holds the schedulers' next (delayed) runs, the daily
  // re-evaluation's included: those do not count.
  await until('idle queues', async () => {
    const counts = await Promise.all([h.services.queues.sync, h.services.queues.outcomes].map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')));
    const control = await h.services.queues.control.getJobs(['waiting', 'active', 'delayed', 'prioritized']);
    return counts.every((c) => Object.values(c).every((n) => n === 0)) && control.every((job) => Boolean(job.repeatJobKey));
  }, 60_000);
}

/** Calls to write endpoints so far, both systems, from the sandbox's own accounting. */
export function writeCalls(h: Harness): number {
  const stats = h.sandbox.stats();
  const writes = (byEndpoint: Record<string, number>) =>
    Object.entries(byEndpoint)
      .filter(([endpoint]) => /^(POST|PATCH|PUT|DELETE) /.test(endpoint) && !/search|batch\/read|\/query|oauth2|associations/.test(endpoint))
      .reduce((sum, [, n]) => sum + n, 0);
  return writes(stats.hubspot.requests.byEndpoint) + writes(stats.salesforce.requests.byEndpoint);
}
