/**
 * Never acknowledge what is not stored. With Redis down (a private redis-server this test
 * starts, crashes and restarts; never the shared one): webhooks and the admin API answer 503
 * with Retry-After, readiness fails while liveness holds; when Redis is back both recover, and
 * workers pick up on their own, including jobs queued before the crash (append-only file).
 * A process started without Redis says so in one line and retries instead of crashing.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { signV3 } from '../../connectors/hubspot';
import { PrivateRedis } from '../../bench/chaos/private-redis';
import { contactIdOf } from '../../sandbox/dataset';
import { startTestService, until, type TestService } from './harness';

jest.setTimeout(90_000);

const ROOT = path.resolve(__dirname, '..', '..');

function webhook(t: TestService, objectId: string, eventId: number) {
  const body = JSON.stringify([{ eventId, subscriptionId: 1, portalId: 1, occurredAt: Date.now(), subscriptionType: 'contact.propertyChange', propertyName: 'jobtitle', objectId: Number(objectId), changeSource: 'CRM_UI' }]);
  const timestamp = String(Date.now());
  const url = `${t.baseUrl}/webhooks/hubspot`;
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-HubSpot-Signature-v3': signV3(t.secrets.hubspotClientSecret, 'POST', url, body, timestamp), 'X-HubSpot-Request-Timestamp': timestamp },
    body,
  });
}

const synced = (t: TestService, id: string) => Boolean(t.sandbox.hubspot.store.byId(id)?.properties.lsync_definition_version);

describe('Redis goes away and comes back', () => {
  let redis: PrivateRedis;
  let t: TestService;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
    t = await startTestService({ redisUrl: redis.url, role: 'both' });
  });
  afterAll(async () => {
    // Up again if the test stopped half-way, so the service can close its connections.
    await redis.launch().catch(() => undefined);
    await t.close();
    await redis.stop();
  });

  test('503 while it is down (nothing acknowledged), and recovery without a restart of the service', async () => {
    const admin = () => fetch(`${t.baseUrl}/admin/status`, { headers: t.auth });
    expect((await webhook(t, contactIdOf(1), 1)).status).toBe(200);
    // A job already queued when Redis crashes survives it (persistence) and runs afterwards.
    const queuedBefore = contactIdOf(2);
    await t.services.queues.sync.add('manual', { ids: [queuedBefore], trigger: 'manual' }, { delay: 1_500 });

    await redis.crash();
    const refused = await webhook(t, contactIdOf(3), 2);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toEqual({ error: 'temporarily unavailable (queue storage unreachable); retry' });
    const status = await admin();
    expect(status.status).toBe(503);
    expect(await status.text()).not.toMatch(/\bat .+\(|ECONNREFUSED|127\.0\.0\.1/);
    // Bull Board's API too: a 503 like the rest, not its own 500 with the error (and, in development, the stack).
    const board = await fetch(`${t.baseUrl}/admin/queues/api/queues?activeQueue=sync&status=latest&page=1`, { headers: t.auth });
    expect(board.status).toBe(503);
    expect(await board.text()).not.toMatch(/\bat .+\(|Connection is closed|stack/);
    const ready = await fetch(`${t.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks.redis).toMatch(/^unavailable/);
    expect((await fetch(`${t.baseUrl}/healthz`)).status).toBe(200);

    await redis.launch();
    // HubSpot retries the refused delivery; once Redis answers, it is stored and synced.
    await until('the webhook accepted again', async () => (await webhook(t, contactIdOf(3), 2)).status === 200, 20_000);
    expect((await admin()).status).toBe(200);
    await until('workers back at work on both contacts', async () => synced(t, contactIdOf(3)) && synced(t, queuedBefore), 45_000);
    expect(synced(t, contactIdOf(1))).toBe(true);
  });
});

describe('start-up without Redis', () => {
  test('one clear line per attempt and a retry loop, no stack trace; running once Redis appears; a clean stop', async () => {
    const redis = await PrivateRedis.start({ launch: false });
    const child = spawn(process.execPath, ['-r', path.join(ROOT, 'test', 'chaos', 'register-ts.js'), path.join(ROOT, 'src', 'cli', 'main.ts'), 'worker'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH, REDIS_URL: redis.url, REDIS_PREFIX: 'lsync-rel-startup', LOG_LEVEL: 'info', SANDBOX: 'false',
        HUBSPOT_ACCESS_TOKEN: 'startup-test-token', HUBSPOT_BASE_URL: 'http://127.0.0.1:9', SALESFORCE_INSTANCE_URL: 'http://127.0.0.1:9', SALESFORCE_ACCESS_TOKEN: 'startup-test-token',
        SYNC_INTERVAL_SECONDS: '3600', OUTCOMES_INTERVAL_SECONDS: '3600',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await until('two attempts', async () => (out.match(/Redis is not reachable; retrying in 2 s/g) ?? []).length >= 2, 30_000);
      expect(child.exitCode).toBeNull();
      const line = JSON.parse(out.split('\n').find((l) => l.includes('Redis is not reachable'))!) as Record<string, unknown>;
      expect(line).toMatchObject({ level: 40, redis: `127.0.0.1:${redis.port}`, reason: 'ECONNREFUSED' });
      expect(String(line.msg)).toContain('redis-server');

      await redis.launch();
      await until('the worker running', async () => out.includes('"msg":"lifecycle-sync running"'), 30_000);
      expect(out).toContain('Redis is reachable again');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(out).not.toMatch(/\n\s+at .+:\d+:\d+\)?/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await redis.stop();
    }
  });
});
