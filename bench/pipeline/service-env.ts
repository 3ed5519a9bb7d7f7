/** The environment of the service processes under test, and a small admin API client. */
import { createServer, type AddressInfo } from 'node:net';

export const WEBHOOK_SECRET = 'bench-client-secret';
export const ADMIN_TOKEN = 'bench-admin-token-0123456789';
/** The sandbox org's integration user (every Salesforce token acts as it). */
const INTEGRATION_USER = '0058a0000000001AAA';

export interface EnvInput {
  redisUrl: string;
  prefix: string;
  hubspotUrl: string;
  salesforceUrl: string;
  /** HubSpot requests per 10 s the budget allows; a large number lifts it. */
  hubspotPer10s: number;
  port?: number;
  extra?: Record<string, string>;
}

export function serviceEnv(input: EnvInput): Record<string, string> {
  const unlimited = input.hubspotPer10s >= 1_000_000;
  return {
    SANDBOX: 'false',
    LOG_LEVEL: 'info',
    REDIS_URL: input.redisUrl,
    REDIS_PREFIX: input.prefix,
    HUBSPOT_ACCESS_TOKEN: 'sandbox-token',
    HUBSPOT_BASE_URL: input.hubspotUrl,
    HUBSPOT_CLIENT_SECRET: WEBHOOK_SECRET,
    HUBSPOT_RATE_LIMIT_PER_10S: String(input.hubspotPer10s),
    HUBSPOT_DAILY_LIMIT: unlimited ? '1000000000' : '625000',
    HUBSPOT_SEARCH_PER_SECOND: unlimited ? '1000000' : '4',
    HUBSPOT_WEB_EVENTS: 'false',
    SALESFORCE_INSTANCE_URL: input.salesforceUrl,
    SALESFORCE_ACCESS_TOKEN: 'sandbox-token',
    SALESFORCE_INTEGRATION_USER_ID: INTEGRATION_USER,
    ...(unlimited ? { SALESFORCE_DAILY_SHARE: '1' } : {}),
    ADMIN_TOKEN,
    PORT: String(input.port ?? 0),
    ...input.extra,
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

export function adminClient(baseUrl: string) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };
  return {
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body: unknown) => call<T>('POST', path, body),
  };
}
