/** Reaching Redis at start-up: a clear message and a retry loop, never a crash loop with a stack trace. */
import IORedis from 'ioredis';
import type { Logger } from 'pino';

/** `redis://:secret@host:6379/2` -> `host:6379/2`: never print credentials. */
export function redisLabel(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 6379}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return 'the configured Redis';
  }
}

export const START_REDIS_HINT = 'start one with: redis-server --daemonize yes --port 6379 --save "" --appendonly no (or set REDIS_URL)';

/**
 * Waits until Redis answers PING. Gives up after `giveUpAfterMs` (the demo) or never (the
 * service, which must come back on its own when Redis does).
 */
export async function waitForRedis(url: string, logger: Logger, giveUpAfterMs = Infinity): Promise<void> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const probe = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 2_000, retryStrategy: () => null });
    // connect() rejects with "Connection is closed."; the socket's own error says why (ECONNREFUSED, ENOTFOUND).
    let cause: NodeJS.ErrnoException | undefined;
    probe.on('error', (error: NodeJS.ErrnoException) => void (cause ??= error));
    try {
      await probe.connect();
      await probe.ping();
      if (attempt > 1) logger.info({ redis: redisLabel(url) }, 'Redis is reachable again');
      return;
    } catch (error) {
      const reason = cause?.code ?? (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      if (Date.now() - started >= giveUpAfterMs) {
        throw new Error(`Redis at ${redisLabel(url)} is not reachable (${reason}); ${START_REDIS_HINT}`);
      }
      logger.warn({ redis: redisLabel(url), reason, attempt }, `Redis is not reachable; retrying in 2 s (${START_REDIS_HINT})`);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    } finally {
      probe.disconnect();
    }
  }
}
