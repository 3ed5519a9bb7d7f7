/**
 * The chaos run: a full backfill of the sandbox through real worker processes while both
 * simulators inject faults, the workers are SIGKILLed and restarted, the private Redis
 * crashes and comes back, and every Salesforce session expires once; then the simulated
 * sales team works the MQLs and the outcome polls write their decisions back. Afterwards
 * every contact is checked against the state computed from the data set and the definition.
 *
 * Events fire at seeded random points of the backfill's progress (not of wall-clock time,
 * which varies with the machine), each at least `EVENT_GAP_MS` after the previous one so a
 * restarted worker is back at work before the next blow.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import IORedis from 'ioredis';
import { Backfills } from '../../jobs/backfill';
import { createQueues, type Queues } from '../../jobs/queues';
import { Store } from '../../jobs/store';
import { loadMappings } from '../../src/mappings/load';
import { startSandbox, type RunningSandbox } from '../../sandbox';
import { defaultAnchor } from '../../sandbox/hubspot';
import { rngFor } from '../../sandbox/common';
import { expectedState } from './expected';
import { PrivateRedis } from './private-redis';
import { leaks, type Secrets } from './leaks';
import { verify, type Verdict } from './verify';
import { WorkerPool } from './worker-pool';

export interface ChaosOptions {
  contacts: number;
  seed: number;
  /** `node` arguments that run the CLI, e.g. `['dist/src/cli/main.js']`. */
  entry: string[];
  /** Project root (mappings, cwd of the workers). */
  root: string;
  workers?: number;
  kills?: number;
  redisRestarts?: number;
  /** false: a baseline run without injected faults or session expiry. @defaultValue true */
  faults?: boolean;
  /** Give up (and fail) after this long. @defaultValue 15 minutes */
  deadlineMs?: number;
  batchSize?: number;
  /** Keep the workers' log here (it is deleted after the run otherwise). */
  logFile?: string;
  /** Progress lines while it runs. */
  onProgress?: (line: string) => void;
  /** Stops the run at its next wait (Ctrl-C), still stopping every process it started. */
  signal?: AbortSignal;
}

export interface ChaosResult {
  line: string;
  seed: number;
  contacts: number;
  faults: { hubspot: Record<string, number>; salesforce: Record<string, number>; sessionExpiries: number; total: number };
  /** HubSpot 429s the workers met, by policy (search answers SECONDLY, the rest TEN_SECONDLY_ROLLING), from their logs. */
  rateLimitPolicies: Record<string, number>;
  kills: number;
  redisRestarts: number;
  verdict: Verdict;
  /** Secrets or e-mail addresses found in the workers' logs (must be empty). */
  leaks: string[];
  /** Jobs that gave up for good (kept failed by BullMQ), and the reasons of the first few. */
  failedJobs: number;
  failedReasons: string[];
  unexpectedExits: string[];
  /** The service's audit entries (writes with trigger and reason) of the first problem contacts. */
  trails: Record<string, string[]>;
  durationMs: number;
}

/** Audit entries per contact, oldest first: what was written where, by which trigger, and why. */
async function auditTrails(store: Store, ids: string[]): Promise<Record<string, string[]>> {
  const wanted = new Set(ids.slice(0, 5));
  const trails: Record<string, string[]> = {};
  for (const [, fields] of await store.redis.xrange(store.key('audit'), '-', '+')) {
    const entry: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2) entry[fields[i]!] = fields[i + 1]!;
    if (!entry.hubspotId || !wanted.has(entry.hubspotId)) continue;
    (trails[entry.hubspotId] ??= []).push(`${entry.at} ${entry.trigger} ${entry.system} ${entry.action} [${entry.fields}] ${entry.stage ?? ''} ${entry.why ?? ''}`);
  }
  return trails;
}

const EVENT_GAP_MS = 3_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type ChaosEvent = { at: number; kind: 'kill'; worker: number } | { at: number; kind: 'redis' } | { at: number; kind: 'expire-sessions' };

/** Seeded points of the backfill's progress (0..1) where each blow falls. */
export function chaosEvents(seed: number, kills: number, redisRestarts: number, workers: number): ChaosEvent[] {
  const rng = rngFor(seed, 'chaos-events');
  const at = () => 0.05 + rng.next() * 0.8;
  const events: ChaosEvent[] = [
    ...Array.from({ length: kills }, () => ({ at: at(), kind: 'kill' as const, worker: rng.int(0, workers - 1) })),
    ...Array.from({ length: redisRestarts }, () => ({ at: at(), kind: 'redis' as const })),
    { at: at(), kind: 'expire-sessions' as const },
  ];
  return events.sort((a, b) => a.at - b.at);
}

function workerEnv(sandbox: RunningSandbox, redis: PrivateRedis, prefix: string, secrets: Secrets, batchSize: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    SANDBOX: 'false',
    REDIS_URL: redis.url,
    REDIS_PREFIX: prefix,
    HUBSPOT_BASE_URL: sandbox.hubspotUrl,
    HUBSPOT_ACCESS_TOKEN: secrets.hubspotToken,
    HUBSPOT_CLIENT_SECRET: secrets.hubspotClientSecret,
    // Page views from the web-events API, as the expected state reads them from the data set.
    HUBSPOT_WEB_EVENTS: 'true',
    HUBSPOT_TIMEOUT_MS: '2000',
    // Username-password login, so an expired session is renewed rather than fatal.
    SALESFORCE_LOGIN_URL: sandbox.salesforceUrl,
    SALESFORCE_USERNAME: 'lsync-integration',
    SALESFORCE_PASSWORD: secrets.salesforcePassword,
    SALESFORCE_CLIENT_ID: 'lsync-chaos-connected-app',
    SALESFORCE_CLIENT_SECRET: secrets.salesforceClientSecret,
    SALESFORCE_INTEGRATION_USER_ID: sandbox.salesforce.control.integrationUserId,
    SALESFORCE_TIMEOUT_MS: '2000',
    ADMIN_TOKEN: secrets.adminToken,
    // Polls are what searches HubSpot (the secondly 429s): as often as the service allows.
    SYNC_INTERVAL_SECONDS: '10',
    OUTCOMES_INTERVAL_SECONDS: '10',
    WORKER_CONCURRENCY: '4',
    BATCH_SIZE: String(batchSize),
    // Small backfill chunks: progress moves in steps, and blows land while chunks are in flight.
    BACKFILL_CHUNK_SIZE: String(batchSize),
  };
}

async function pending(queues: Queues): Promise<number> {
  const counts = await Promise.all([queues.sync, queues.outcomes].map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children')));
  return counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
}

async function waitFor(what: string, deadline: number, check: () => Promise<boolean>, signal?: AbortSignal): Promise<void> {
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`chaos run: gave up waiting for ${what}`);
    if (signal?.aborted) throw new Error(`chaos run: stopped while waiting for ${what}`);
    await sleep(250);
  }
}

function faultCounts(sandbox: RunningSandbox) {
  const pick = (injected: Record<string, number>) => Object.fromEntries(Object.entries(injected).filter(([kind, n]) => kind !== 'latency' && n > 0));
  const stats = sandbox.stats();
  return { hubspot: pick(stats.hubspot.faults.injected), salesforce: pick(stats.salesforce.faults.injected) };
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const started = Date.now();
  const deadline = started + (options.deadlineMs ?? 15 * 60_000);
  const workers = options.workers ?? 2;
  const batchSize = options.batchSize ?? 50;
  const progress = options.onProgress ?? (() => undefined);
  const anchor = defaultAnchor();
  const startedAt = new Date().toISOString();
  const mappings = loadMappings({ dir: path.join(options.root, 'mappings') });
  const secret = () => randomBytes(18).toString('base64url');
  const secrets: Secrets = { hubspotToken: secret(), hubspotClientSecret: secret(), salesforcePassword: secret(), salesforceClientSecret: secret(), adminToken: secret() };
  const logDir = mkdtempSync(path.join(tmpdir(), 'lsync-chaos-logs-'));
  const logFile = options.logFile ?? path.join(logDir, 'workers.log');

  const redis = await PrivateRedis.start();
  const sandbox = await startSandbox({
    contacts: options.contacts, seed: options.seed, anchor, latencyMs: [1, 10],
    salesforce: { credentials: { clientSecret: secrets.salesforceClientSecret, password: secrets.salesforcePassword } },
  });
  // The issue's mix: 10% HubSpot 429s (search gets the secondly kind, the rest the
  // ten-secondly one), 5% 5xx and 2% timeouts on both, 2% UNABLE_TO_LOCK_ROW on record writes.
  const common = { seed: options.seed, latencyMs: [1, 10] as [number, number], serverErrorRate: 0.05, timeoutRate: 0.02, timeoutMs: 30_000 };
  if (options.faults !== false) {
    sandbox.hubspot.faults.set({ ...common, rateLimitRate: 0.1 });
    sandbox.salesforce.control.faults.set({ ...common, lockRowRate: 0.02 });
  }

  const prefix = `chaos-${options.seed}`;
  const connection = new IORedis(redis.url, { maxRetriesPerRequest: null });
  connection.on('error', () => undefined);
  const queues = createQueues(connection, prefix);
  // The harness waits through the Redis crash like a worker does; the outage is expected.
  for (const queue of [queues.sync, queues.outcomes, queues.control]) queue.on('error', () => undefined);
  const store = new Store(connection, prefix);
  const backfills = new Backfills(store, queues);
  const pool = new WorkerPool({ entry: options.entry, env: workerEnv(sandbox, redis, prefix, secrets, batchSize), size: workers, logFile, cwd: options.root });
  let sessionExpiries = 0;
  try {
    pool.start();
    const id = await backfills.start({});
    progress(`backfill ${id} of ${options.contacts} contacts started`);
    let last = Date.now();
    for (const event of chaosEvents(options.seed, options.kills ?? 3, options.redisRestarts ?? 1, workers)) {
      await waitFor(`backfill progress ${event.at.toFixed(2)}`, deadline, async () => {
        const state = await backfills.get(id);
        const done = state ? (state.done + state.failed) / options.contacts : 0;
        return done >= event.at && Date.now() - last >= EVENT_GAP_MS;
      }, options.signal);
      if (event.kind === 'kill') await pool.killAndRestart(event.worker);
      else if (event.kind === 'redis') await redis.crashAndRestart(1_500);
      else if (options.faults !== false) sessionExpiries += sandbox.salesforce.control.expireSessions() > 0 ? 1 : 0;
      else continue;
      last = Date.now();
      progress(`at ${(event.at * 100).toFixed(0)}%: ${event.kind === 'kill' ? `SIGKILL worker ${event.worker}` : event.kind === 'redis' ? 'redis crashed and restarted' : 'Salesforce sessions expired'}`);
    }
    await waitFor('the backfill to complete', deadline, async () => ['completed', 'failed', 'cancelled'].includes((await backfills.get(id))?.status ?? ''), options.signal);
    await waitFor('the queues to drain', deadline, async () => (await pending(queues)) === 0, options.signal);
    progress(`backfill ${(await backfills.get(id))?.status}; the sales team works the MQLs`);

    // Sales decisions, then at least one outcome poll that started after them, then a drain.
    const worked = sandbox.salesforce.control.workLeads();
    const workedAt = new Date().toISOString();
    progress(`sales worked ${worked.examined} MQLs; waiting for the outcome poll`);
    await waitFor('an outcome poll after the sales work', deadline, async () =>
      (await store.runs(100)).some((r) => r.kind === 'poll-outcomes' && r.startedAt > workedAt && !r.error), options.signal,
    );
    await waitFor('the outcome write-back', deadline, async () => (await pending(queues)) === 0, options.signal);

    const endedAt = new Date().toISOString();
    const failed = (await Promise.all([queues.sync, queues.outcomes].map((q) => q.getFailed(0, 9)))).flat();
    const failedJobs = (await Promise.all([queues.sync, queues.outcomes].map((q) => q.getJobCountByTypes('failed')))).reduce((a, b) => a + b, 0);
    const failedReasons = failed.map((j) => `${j.queueName} ${j.name} ${j.id}: ${j.failedReason} (${j.attemptsMade} attempts)`);
    const expected = expectedState({ seed: options.seed, anchor }, options.contacts, mappings, startedAt, endedAt);
    const verdict = verify(expected, sandbox, await store.failures(), mappings, endedAt);
    const faults = faultCounts(sandbox);
    const total = [...Object.values(faults.hubspot), ...Object.values(faults.salesforce)].reduce((a, b) => a + b, 0) + sessionExpiries;
    await pool.stop();
    const logText = readFileSync(logFile, 'utf8');
    const found = leaks(logText, secrets);
    const rateLimitPolicies: Record<string, number> = {};
    for (const [, policy] of logText.matchAll(/"policy":"(\w+)"[^\n]*HubSpot rate limit hit/g)) rateLimitPolicies[policy!] = (rateLimitPolicies[policy!] ?? 0) + 1;
    const line = `chaos: ${options.contacts} contacts, ${total} faults injected, ${pool.kills} worker kills, ${redis.restarts} redis restarts, lost ${verdict.lost}, duplicate tasks ${verdict.duplicateTasks}, wrong fields ${verdict.wrongFields}`;
    return {
      line, seed: options.seed, contacts: options.contacts, faults: { ...faults, sessionExpiries, total }, rateLimitPolicies, kills: pool.kills, redisRestarts: redis.restarts,
      verdict, leaks: found, failedJobs, failedReasons, unexpectedExits: pool.unexpectedExits, trails: await auditTrails(store, verdict.exampleIds), durationMs: Date.now() - started,
    };
  } finally {
    await pool.stop().catch(() => undefined);
    await queues.close().catch(() => undefined);
    connection.disconnect();
    await sandbox.close();
    await redis.stop();
    rmSync(logDir, { recursive: true, force: true });
  }
}
