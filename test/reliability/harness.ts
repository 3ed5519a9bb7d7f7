/**
 * The service as the composition root builds it (real connectors, queues, workers and API)
 * against the sandbox, with every log line captured, on a Redis of the test's choosing (the
 * shared one under a unique prefix, or a private one) and a role of its choosing.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../sandbox';
import { buildServices, type Role, type Services } from '../../src/app/services';
import { parseEnv } from '../../src/config/env';
import { createLogger } from '../../src/logger';
import { deletePrefix, freePort } from '../e2e/harness';

export const SHARED_REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Secrets of a test service: random per run, so finding one in a log means it leaked. */
export function testSecrets() {
  const secret = (name: string) => `${name}-${randomUUID()}`;
  return { hubspotToken: secret('hs-token'), hubspotClientSecret: secret('hs-secret'), adminToken: secret('admin-token'), salesforcePassword: secret('sf-password'), salesforceClientSecret: secret('sf-secret') };
}
export type TestSecrets = ReturnType<typeof testSecrets>;

/** A pino logger (the service's own, with its redaction) whose lines land in `lines`. */
export function capturingLogger(level = 'trace'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger({ level, destination: { write: (line: string) => void lines.push(line) } }), lines };
}

export interface TestService {
  sandbox: RunningSandbox;
  services: Services;
  secrets: TestSecrets;
  prefix: string;
  baseUrl: string;
  logs: string[];
  /** Authorization header with the admin token. */
  auth: { Authorization: string };
  close(): Promise<void>;
}

export interface TestServiceOptions {
  role?: Role;
  redisUrl?: string;
  sandbox?: Partial<SandboxOptions>;
  env?: Record<string, string>;
  /** Log level of the captured logger. @defaultValue 'trace' */
  level?: string;
}

export async function startTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const port = await freePort();
  const prefix = `lsync-rel-${randomUUID().slice(0, 8)}`;
  const secrets = testSecrets();
  const redisUrl = options.redisUrl ?? SHARED_REDIS;
  const sandbox = await startSandbox({
    contacts: 40, seed: 5, webhookUrl: `http://127.0.0.1:${port}/webhooks/hubspot`, webhookSecret: secrets.hubspotClientSecret,
    webhooks: { batchWindowMs: 50, retryDelaysMs: [200, 400, 800] },
    salesforce: { credentials: { clientSecret: secrets.salesforceClientSecret, password: secrets.salesforcePassword } },
    ...options.sandbox,
  });
  const env = {
    REDIS_URL: redisUrl, REDIS_PREFIX: prefix, PORT: String(port), ADMIN_TOKEN: secrets.adminToken, SANDBOX: 'false',
    HUBSPOT_ACCESS_TOKEN: secrets.hubspotToken, HUBSPOT_BASE_URL: sandbox.hubspotUrl, HUBSPOT_CLIENT_SECRET: secrets.hubspotClientSecret, HUBSPOT_WEB_EVENTS: 'true',
    SALESFORCE_LOGIN_URL: sandbox.salesforceUrl, SALESFORCE_USERNAME: 'lsync-integration', SALESFORCE_PASSWORD: secrets.salesforcePassword,
    SALESFORCE_CLIENT_ID: 'lsync-test-app', SALESFORCE_CLIENT_SECRET: secrets.salesforceClientSecret,
    SALESFORCE_INTEGRATION_USER_ID: sandbox.salesforce.control.integrationUserId,
    // Scheduled polls stay out of the way; tests trigger what they need.
    SYNC_INTERVAL_SECONDS: '3600', OUTCOMES_INTERVAL_SECONDS: '3600', BATCH_SIZE: '25',
    ...options.env,
  };
  const { logger, lines } = capturingLogger(options.level);
  let services: Services;
  try {
    services = await buildServices(parseEnv(env), logger, { role: options.role ?? 'both', redisGiveUpAfterMs: 5_000 });
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  return {
    sandbox, services, secrets, prefix, logs: lines, baseUrl: `http://127.0.0.1:${port}`, auth: { Authorization: `Bearer ${secrets.adminToken}` },
    async close() {
      await services.close();
      await sandbox.close();
      await deletePrefix(redisUrl, prefix).catch(() => undefined);
    },
  };
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

/** Every key of a prefix (SCAN, never KEYS). */
export async function keysOf(services: Services, prefix: string): Promise<string[]> {
  const redis = services.runtime.store.redis;
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}
