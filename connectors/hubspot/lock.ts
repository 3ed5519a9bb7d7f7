/**
 * A Redis lock held by one worker at a time (SET NX PX with a random token), extended while
 * the holder works and released only by its holder. A crashed holder frees it after the TTL.
 */
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
const EXTEND = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface HeldLock {
  release(): Promise<void>;
}

/** Tries once; undefined when another worker holds the lock. */
async function tryLock(redis: Redis, key: string, ttlMs: number): Promise<HeldLock | undefined> {
  const token = randomUUID();
  if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return undefined;
  const timer = setInterval(() => {
    redis.eval(EXTEND, 1, key, token, String(ttlMs)).catch(() => undefined);
  }, Math.max(1000, Math.floor(ttlMs / 3)));
  timer.unref();
  return {
    release: async () => {
      clearInterval(timer);
      await redis.eval(RELEASE, 1, key, token);
    },
  };
}

/** Takes the lock, waiting up to `waitMs` for its holder to finish; undefined when it never came free. */
export async function acquireLock(redis: Redis, key: string, ttlMs: number, waitMs: number, pollMs = 200): Promise<HeldLock | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const lock = await tryLock(redis, key, ttlMs);
    if (lock || Date.now() >= deadline) return lock;
    await sleep(pollMs);
  }
}
