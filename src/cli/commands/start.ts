/**
 * `lifecycle-sync start` (npm start): the embedded default. Without credentials it starts the
 * sandbox (simulated HubSpot and Salesforce with a seeded life-sciences data set), runs the
 * worker and the API against the local Redis, backfills, lets the simulated sales team work
 * the new MQLs, writes their decisions back, prints what happened, and then stays live
 * (scheduled polls, webhooks from a simulated activity stream) until Ctrl-C.
 * With credentials it is `run`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import IORedis from 'ioredis';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { callTotals } from '../../../connectors/accounting';
import { startSandbox, type RunningSandbox } from '../../../sandbox';
import { onShutdown } from '../../app/shutdown';
import { waitForRedis } from '../../app/redis';
import { buildServices, type Services } from '../../app/services';
import { pollOutcomes } from '../../../jobs/poll';
import { parseEnv, type Env } from '../../config/env';
import { createLogger } from '../../logger';
import { runService } from './service';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/** Deletes the keys of one prefix only (never the whole database: Redis may be shared). */
async function deleteKeys(url: string, pattern: string): Promise<void> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function drain(services: Services, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const counts = await Promise.all([services.queues.sync, services.queues.outcomes].map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')));
    if (counts.every((c) => Object.values(c).every((n) => n === 0))) return;
    await sleep(250);
  }
}

async function backfillWithProgress(services: Services, quiet: boolean): Promise<Record<string, number>> {
  const id = await services.backfills.start({});
  const bar = quiet ? undefined : new SingleBar({ format: 'backfill |{bar}| {value}/{total} contacts | {rate}/s | ETA {eta}s', hideCursor: true });
  bar?.start(1, 0, { rate: 0 });
  for (;;) {
    const state = (await services.backfills.get(id))!;
    bar?.setTotal(Math.max(state.total, 1));
    bar?.update(state.done + state.failed, { rate: state.ratePerSecond });
    if (state.status !== 'queued' && state.status !== 'running') {
      bar?.stop();
      return { ...state.counts, failed: state.failed, done: state.done };
    }
    await sleep(300);
  }
}

function summary(counts: Record<string, number>, outcomes: Record<string, number>, calls: Awaited<ReturnType<typeof callTotals>>, services: Services, adminToken: string, contacts: number, staying: boolean): string {
  const pick = (prefix: string) =>
    Object.entries(counts)
      .filter(([k]) => k.startsWith(prefix))
      // Tiers read best in order (A, B, C); stages and service lines largest first.
      .sort(([a, x], [b, y]) => (prefix.includes('tier') ? a.localeCompare(b) : y - x))
      .map(([k, n]) => `${k.slice(prefix.length)} ${n}`)
      .join(', ') || 'none';
  const base = `http://127.0.0.1:${services.port}`;
  return [
    '',
    '== lifecycle-sync: sandbox run summary ==',
    `definition            ${services.mappings.definition.version}`,
    `contacts evaluated    ${counts.done ?? 0} of ${contacts} (${counts.failed ?? 0} failed)`,
    `stages                ${pick('stage:')}`,
    `MQLs by tier          ${pick('mql tier:')}`,
    `MQLs by service line  ${pick('mql line:')}`,
    `Salesforce            ${counts.leadsCreated ?? 0} Leads created, ${counts.salesforceUpdates ?? 0} records updated, ${counts.tasksCreated ?? 0} follow-up tasks created`,
    `HubSpot               ${counts.hubspotUpdates ?? 0} contacts updated with lifecycle fields`,
    `sales outcomes        ${Object.entries(outcomes).map(([k, n]) => `${k} ${n}`).join(', ') || 'none yet'} (written back to HubSpot)`,
    `API calls             HubSpot ${calls.hubspot.total}, Salesforce ${calls.salesforce.total} (${contacts ? ((calls.hubspot.total + calls.salesforce.total) / contacts * 1000).toFixed(0) : 0} per 1,000 contacts)`,
    '',
    `admin console         ${base}/console   (sign in with the admin token below)`,
    `admin API             ${base}/admin/status   (header: Authorization: Bearer ${adminToken})`,
    `queues (Bull Board)   ${base}/admin/queues`,
    `metrics               ${base}/metrics`,
    `from a terminal       ADMIN_TOKEN=${adminToken} LSYNC_URL=${base} npx lifecycle-sync status | explain <hubspot id> | failures | backfill --dry-run`,
    '',
    staying ? 'Still running: scheduled polls every 15 s, and webhooks from a simulated activity stream. Ctrl-C to stop.' : 'Stopped (--exit-after-summary).',
  ].join('\n');
}

/** Outcome write-backs so far, by resulting stage, from the audit of this run's writes. */
async function outcomesSoFar(services: Services): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const entries = await services.runtime.store.redis.xrange(services.runtime.store.key('audit'), '-', '+');
  for (const [, fields] of entries) {
    const entry: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2) entry[fields[i]!] = fields[i + 1]!;
    if (entry.action !== 'write outcome') continue;
    const stage = /sales:(\w+)/.exec(entry.why ?? '')?.[1];
    if (stage) out[stage] = (out[stage] ?? 0) + 1;
  }
  return out;
}

export async function startDemo(options: { exitAfterSummary: boolean; contacts?: number }): Promise<void> {
  const parsed = parseEnv();
  if (!parsed.sandbox) return runService('both');
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', base: { role: 'demo' } });
  const contacts = options.contacts ?? parsed.SANDBOX_CONTACTS;
  // PORT=0 picks a free port; the sandbox must know it up front to send webhooks there.
  const port = parsed.PORT || (await freePort());
  const adminToken = parsed.ADMIN_TOKEN ?? randomBytes(18).toString('base64url');
  const webhookSecret = 'sandbox-client-secret';
  console.log(`Starting the sandbox: ${contacts} life-sciences contacts (seed ${parsed.SANDBOX_SEED}) in simulated HubSpot and Salesforce...`);
  const sandbox: RunningSandbox = await startSandbox({
    contacts, seed: parsed.SANDBOX_SEED, latencyMs: [5, 25], webhookUrl: `http://127.0.0.1:${port}/webhooks/hubspot`, webhookSecret,
  });
  const env: Env = {
    ...parsed,
    PORT: port,
    // The sandbox's data is thrown away with it: keep its keys apart and start clean.
    REDIS_PREFIX: `${parsed.REDIS_PREFIX}-sandbox`,
    // Fast cycles, so the demo shows polls and write-backs within seconds.
    SYNC_INTERVAL_SECONDS: Math.min(parsed.SYNC_INTERVAL_SECONDS, 15),
    OUTCOMES_INTERVAL_SECONDS: Math.min(parsed.OUTCOMES_INTERVAL_SECONDS, 15),
    HUBSPOT_ACCESS_TOKEN: 'sandbox-token', HUBSPOT_BASE_URL: sandbox.hubspotUrl, HUBSPOT_CLIENT_SECRET: webhookSecret, HUBSPOT_WEB_EVENTS: true,
    SALESFORCE_INSTANCE_URL: sandbox.salesforceUrl, SALESFORCE_ACCESS_TOKEN: 'sandbox-token', ADMIN_TOKEN: adminToken,
    // The sandbox org's integration user (every token acts as it).
    SALESFORCE_INTEGRATION_USER_ID: '0058a0000000001AAA',
  };
  let services: Services | undefined;
  const close = async () => {
    sandbox.hubspot.control.stopActivityStream();
    await services?.close();
    await sandbox.close();
  };
  try {
    await waitForRedis(env.REDIS_URL, logger, 10_000);
    await deleteKeys(env.REDIS_URL, `${env.REDIS_PREFIX}:*`);
    services = await buildServices(env, logger, { role: 'both', redisGiveUpAfterMs: 10_000 });
    console.log(`HubSpot sandbox ${sandbox.hubspotUrl}, Salesforce sandbox ${sandbox.salesforceUrl}, API on port ${services.port}`);
    const counts = await backfillWithProgress(services, !process.stdout.isTTY);
    // The simulated sales team works the new MQLs; the outcome poll writes their decisions back.
    const { changed: _ids, ...worked } = sandbox.salesforce.control.workLeads();
    console.log(`The simulated sales team worked the MQLs: ${Object.entries(worked).map(([k, n]) => `${k} ${String(n)}`).join(', ')}`);
    await pollOutcomes(services.runtime, services.queues, env.BATCH_SIZE);
    await drain(services, 60_000);
    console.log(summary(counts, await outcomesSoFar(services), await callTotals(), services, adminToken, contacts, !options.exitAfterSummary));
    if (options.exitAfterSummary) {
      await close();
      return;
    }
    sandbox.hubspot.control.startActivityStream({ ratePerSecond: 1, seed: parsed.SANDBOX_SEED });
    onShutdown(close, logger);
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run against the built-in sandbox when no credentials are set (npm start); otherwise the same as `run`')
    .option('--exit-after-summary', 'stop after printing the summary (tests, CI)')
    .option('--contacts <n>', 'sandbox contacts (default SANDBOX_CONTACTS or 3000)', (v) => Number(v))
    .action((opts: { exitAfterSummary?: boolean; contacts?: number }) => startDemo({ exitAfterSummary: Boolean(opts.exitAfterSummary), ...(opts.contacts ? { contacts: opts.contacts } : {}) }));
}
