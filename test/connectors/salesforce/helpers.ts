/** Shared pieces of the Salesforce connector tests: Redis with a private prefix, config, mappings. */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import path from 'node:path';
import { createSalesforceConnector, type SalesforceConnector, type SalesforceConnectorConfig, type SalesforceTuning } from '../../../connectors/salesforce';
import { DEFAULT_MAPPINGS_DIR, loadYamlFile, type Mappings } from '../../../src/mappings/load';
import { loadDefinition } from '../../../src/mappings/load-definition';
import { fieldsSchema, reasonsSchema } from '../../../src/mappings/schema';

/** The shipped mappings the connector reads (fields, reasons, definition). */
export const mappings: Pick<Mappings, 'fields' | 'reasons' | 'definition'> = {
  fields: loadYamlFile(path.join(DEFAULT_MAPPINGS_DIR, 'fields.yaml'), fieldsSchema),
  reasons: loadYamlFile(path.join(DEFAULT_MAPPINGS_DIR, 'reasons.yaml'), reasonsSchema),
  definition: loadDefinition(),
};

/** Fast retries so tests do not sleep for seconds. */
export const FAST: Partial<SalesforceTuning> = { backoffBaseMs: 2, backoffMaxMs: 10, requestTimeoutMs: 5000, budgetMaxWaitMs: 50 };

export interface RedisFixture {
  redis: Redis;
  prefix: string;
  /** Deletes this test's keys (never anything else) and closes the connection. */
  close(): Promise<void>;
}

export function redisFixture(): RedisFixture {
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1, lazyConnect: false });
  const prefix = `lsync-test-sf-${randomUUID()}`;
  return {
    redis,
    prefix,
    async close() {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      await redis.quit();
    },
  };
}

export function baseConfig(overrides: Partial<SalesforceConnectorConfig> = {}): SalesforceConnectorConfig {
  return {
    SALESFORCE_LOGIN_URL: 'https://login.salesforce.com',
    SALESFORCE_API_VERSION: '60.0',
    SALESFORCE_DAILY_SHARE: 0.2,
    ...overrides,
  };
}

export function connector(fixture: RedisFixture, config: SalesforceConnectorConfig, tuning: Partial<SalesforceTuning> = {}): SalesforceConnector {
  return createSalesforceConnector({ config, mappings, redis: fixture.redis, keyPrefix: fixture.prefix, tuning: { ...FAST, ...tuning } });
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: PromiseLike<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
