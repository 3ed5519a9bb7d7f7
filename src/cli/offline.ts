/**
 * Commands that read the service's Redis directly (backtest, reports): no admin API and no
 * HubSpot or Salesforce call, so they run anywhere REDIS_URL reaches, even with the service
 * stopped. REDIS_PREFIX picks the installation (`npm start` uses `<REDIS_PREFIX>-sandbox`).
 */
import IORedis from 'ioredis';
import { DefinitionRegistry } from '../../jobs/definition-registry';
import { History } from '../../jobs/history';
import { Store } from '../../jobs/store';
import { parseEnv } from '../config/env';
import { loadDefinition } from '../mappings/load-definition';
import { UsageError } from './errors';

export interface OfflineContext {
  history: History;
  registry: DefinitionRegistry;
  prefix: string;
}

export async function withStoredHistory<T>(run: (context: OfflineContext) => Promise<T>): Promise<T> {
  const env = parseEnv();
  const redis = new IORedis(env.REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 3_000, lazyConnect: true, retryStrategy: () => null });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new UsageError(`cannot reach Redis at REDIS_URL (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    const store = new Store(redis, env.REDIS_PREFIX);
    const bootstrap = env.MQL_DEFINITION_PATH ? loadDefinition(env.MQL_DEFINITION_PATH) : loadDefinition();
    return await run({ history: new History(store, env.HISTORY_RETENTION_DAYS), registry: new DefinitionRegistry(store, bootstrap), prefix: env.REDIS_PREFIX });
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}
