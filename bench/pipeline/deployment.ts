/**
 * One deployment under test: a sandbox, the API process and worker processes on a Redis
 * key prefix of its own. `close()` stops every process, deletes the prefix's keys and
 * closes the sandbox.
 */
import { randomBytes } from 'node:crypto';
import IORedis from 'ioredis';
import { startBenchSandbox, type StartedSandbox } from './sandbox-client';
import type { SandboxStart } from './sandbox-host';
import { adminClient, freePort, serviceEnv } from './service-env';
import { startService, type ServiceProcess } from './processes';

export interface DeploymentOptions {
  redisUrl: string;
  sandbox: SandboxStart;
  sandboxInProcess: boolean;
  /** HubSpot requests per 10 s the service's budget allows. */
  hubspotPer10s: number;
  extraEnv?: Record<string, string>;
}

export class Deployment {
  readonly workers: ServiceProcess[] = [];
  api: ServiceProcess | undefined;
  apiUrl = '';
  readonly prefix = `lsync-bench-${randomBytes(4).toString('hex')}`;
  readonly redis: IORedis;
  private env: Record<string, string> = {};

  private constructor(readonly options: DeploymentOptions, readonly sandbox: StartedSandbox) {
    this.redis = new IORedis(options.redisUrl, { maxRetriesPerRequest: 2 });
  }

  static async start(options: DeploymentOptions): Promise<Deployment> {
    const sandbox = await startBenchSandbox(options.sandbox, options.sandboxInProcess);
    const deployment = new Deployment(options, sandbox);
    try {
      const { hubspotUrl, salesforceUrl } = await sandbox.api.urls();
      const port = await freePort();
      deployment.env = serviceEnv({ redisUrl: options.redisUrl, prefix: deployment.prefix, hubspotUrl, salesforceUrl, hubspotPer10s: options.hubspotPer10s, port, ...(options.extraEnv ? { extra: options.extraEnv } : {}) });
      deployment.api = await startService('api', deployment.env);
      deployment.apiUrl = `http://127.0.0.1:${port}`;
    } catch (error) {
      await deployment.close();
      throw error;
    }
    return deployment;
  }

  get admin() {
    return adminClient(this.apiUrl);
  }

  async startWorkers(count: number): Promise<void> {
    const started = await Promise.all(Array.from({ length: count }, () => startService('worker', { ...this.env, PORT: '0' })));
    this.workers.push(...started);
  }

  async stopWorkers(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.stop()));
  }

  /** Jobs not finished yet in the sync and outcomes queues. */
  async pendingJobs(): Promise<number> {
    let pending = 0;
    for (const queue of ['sync', 'outcomes']) {
      const base = `${this.prefix}:bull:${queue}`;
      const [wait, active, delayed, prioritized] = await Promise.all([
        this.redis.llen(`${base}:wait`), this.redis.llen(`${base}:active`), this.redis.zcard(`${base}:delayed`), this.redis.zcard(`${base}:prioritized`),
      ]);
      pending += wait + active + delayed + prioritized;
    }
    return pending;
  }

  async close(): Promise<void> {
    await this.stopWorkers();
    await this.api?.stop();
    await deleteKeys(this.redis, `${this.prefix}:*`);
    this.redis.disconnect();
    await this.sandbox.api.close();
  }
}

/** Deletes the keys of one prefix only (Redis is shared: never the whole database). */
export async function deleteKeys(redis: IORedis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== '0');
}
