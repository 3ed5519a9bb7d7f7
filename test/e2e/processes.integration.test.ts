/**
 * The service as separate processes (built `dist/`, as the image runs it): a worker killed
 * in the middle of a backfill, two workers sharing one Redis, and `npm start` end to end.
 * `npm test` builds before running jest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import IORedis from 'ioredis';
import { startSandbox, type RunningSandbox } from '../../sandbox';
import { Backfills } from '../../jobs/backfill';
import { createQueues, type Queues } from '../../jobs/queues';
import { Store } from '../../jobs/store';
import { deletePrefix, freePort, until } from './harness';

jest.setTimeout(240_000);

const MAIN = path.resolve(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function worker(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [MAIN, 'worker'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.resume();
  return child;
}

const stopped = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

interface Setup {
  sandbox: RunningSandbox;
  env: Record<string, string>;
  redis: IORedis;
  queues: Queues;
  backfills: Backfills;
  store: Store;
  close(): Promise<void>;
}

async function setup(contacts: number): Promise<Setup> {
  const prefix = `lsync-proc-${randomUUID().slice(0, 8)}`;
  const sandbox = await startSandbox({ contacts, seed: 23, latencyMs: [15, 40] });
  const env = {
    REDIS_URL, REDIS_PREFIX: prefix, LOG_LEVEL: 'warn', BATCH_SIZE: '25', BACKFILL_CHUNK_SIZE: '50', WORKER_CONCURRENCY: '2',
    HUBSPOT_ACCESS_TOKEN: 'proc', HUBSPOT_BASE_URL: sandbox.hubspotUrl, HUBSPOT_CLIENT_SECRET: 'proc-secret', HUBSPOT_WEB_EVENTS: 'true',
    SALESFORCE_INSTANCE_URL: sandbox.salesforceUrl, SALESFORCE_ACCESS_TOKEN: 'proc', SALESFORCE_INTEGRATION_USER_ID: '0058a0000000001AAA',
    SYNC_INTERVAL_SECONDS: '3600', OUTCOMES_INTERVAL_SECONDS: '3600',
  };
  const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
  const queues = createQueues(redis, prefix);
  const store = new Store(redis, prefix);
  return {
    sandbox, env, redis, queues, store, backfills: new Backfills(store, queues),
    async close() {
      await queues.close();
      await redis.quit();
      await sandbox.close();
      await deletePrefix(REDIS_URL, prefix);
    },
  };
}

/** Every contact carries a lifecycle stage; Leads and tasks are never duplicated. */
function checkEndState(s: Setup, contacts: number, ids: string[]) {
  const sf = s.sandbox.salesforce.store;
  const leads = [...sf.table('Lead').values(), ...sf.table('Contact').values()].filter((r) => r.HubSpot_Contact_Id__c && !r.IsConverted);
  const byHubSpotId = new Map<string, number>();
  for (const r of leads) byHubSpotId.set(String(r.HubSpot_Contact_Id__c), (byHubSpotId.get(String(r.HubSpot_Contact_Id__c)) ?? 0) + 1);
  expect([...byHubSpotId.values()].filter((n) => n > 1)).toEqual([]);
  const keys = [...sf.table('Task').values()].map((t) => String(t.Lifecycle_Sync_Key__c ?? '')).filter(Boolean);
  expect(new Set(keys).size).toBe(keys.length);
  // one task per contact that is (still) an MQL: its episode's task
  const perContact = new Map<string, number>();
  for (const key of keys) perContact.set(key.split(':')[1]!, (perContact.get(key.split(':')[1]!) ?? 0) + 1);
  expect([...perContact.values()].every((n) => n === 1)).toBe(true);
  expect(ids).toHaveLength(contacts);
}

async function stagesOf(s: Setup, contacts: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < contacts; i++) {
    const record = s.sandbox.hubspot.store.record(i);
    if (record?.properties.lsync_stage) ids.push(String(i));
  }
  return ids;
}

describe('worker processes', () => {
  test('a backfill whose worker is killed mid-way resumes and finishes; nothing is duplicated', async () => {
    const s = await setup(300);
    const first = worker(s.env);
    try {
      const id = await s.backfills.start({});
      await until('a quarter of the backfill', async () => {
        const b = await s.backfills.get(id);
        return b !== null && b.done >= 75;
      }, 120_000);
      first.kill('SIGKILL');
      await stopped(first);
      const second = worker(s.env);
      try {
        await until('the backfill to complete', async () => (await s.backfills.get(id))?.status === 'completed', 150_000);
        const done = (await s.backfills.get(id))!;
        expect({ ...done, failures: await s.store.failures() }).toMatchObject({ total: 300, failed: 0, failures: [] });
        checkEndState(s, 300, await stagesOf(s, 300));
      } finally {
        second.kill('SIGTERM');
        await stopped(second);
      }
    } finally {
      first.kill('SIGKILL');
      await s.close();
    }
  });

  test('two workers on one Redis share the work without writing a contact twice', async () => {
    const s = await setup(300);
    const workers = [worker(s.env), worker(s.env)];
    try {
      const id = await s.backfills.start({});
      await until('the backfill to complete', async () => (await s.backfills.get(id))?.status === 'completed', 150_000);
      const jobs = await s.queues.sync.getJobs(['completed']);
      expect(new Set(jobs.map((j) => j.processedBy)).size).toBe(2);
      // the audit has one entry per write: no contact written twice by the same action
      const audit = await s.redis.xrange(s.store.key('audit'), '-', '+');
      const writes = new Map<string, number>();
      for (const [, fields] of audit) {
        const f: Record<string, string> = {};
        for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
        const key = `${f.hubspotId}|${f.system}|${f.action}`;
        writes.set(key, (writes.get(key) ?? 0) + 1);
      }
      expect([...writes.entries()].filter(([, n]) => n > 1)).toEqual([]);
      checkEndState(s, 300, await stagesOf(s, 300));
    } finally {
      for (const w of workers) w.kill('SIGTERM');
      await Promise.all(workers.map(stopped));
      await s.close();
    }
  });
});

test('npm start (the sandbox demo) reaches its summary within 2 minutes', async () => {
  const prefix = `lsync-start-${randomUUID().slice(0, 8)}`;
  const started = Date.now();
  const child = spawn(process.execPath, [MAIN, 'start', '--exit-after-summary'], {
    env: { ...process.env, REDIS_URL, REDIS_PREFIX: prefix, PORT: String(await freePort()), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  await deletePrefix(REDIS_URL, `${prefix}-sandbox`);
  expect(code).toBe(0);
  expect(Date.now() - started).toBeLessThan(120_000);
  expect(out).toMatch(/== lifecycle-sync: sandbox run summary ==/);
  expect(out).toMatch(/contacts evaluated +3000 of 3000 \(0 failed\)/);
  expect(out).toMatch(/MQLs by tier +.*A \d+/);
  expect(out).toMatch(/follow-up tasks created/);
  expect(out).not.toMatch(/@[a-z0-9-]+\.[a-z]{2,}/i);
});
