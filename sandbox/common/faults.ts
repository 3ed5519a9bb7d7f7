/**
 * Seeded fault injection shared by the simulators.
 *
 * A {@link FaultInjector} holds the run-time configuration and the count of every fault it
 * injected; {@link faultMiddleware} applies request-level faults (latency, 5xx, timeouts,
 * dropped connections, system-specific rate limits). Record-level faults (Salesforce's
 * UNABLE_TO_LOCK_ROW) are decided by the simulator through {@link FaultInjector.decideForKey}.
 *
 * Reproducibility: request-level decisions come from `rngFor(seed, system, 'request', n)`
 * where `n` counts faultable requests since the configuration was last set, and record-level
 * ones from `rngFor(seed, system, kind, key, attempt)` where `attempt` counts decisions for
 * that key. A sequential client therefore sees the same faults on every run with one seed.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { rngFor, type Rng, type RngKey } from './rng';

/** Validates a fault configuration received over HTTP (`PUT /__sandbox/faults`). */
export const faultConfigSchema = z.strictObject({
  /** Seed of every fault decision. */
  seed: z.number().int(),
  /** Extra delay before handling, uniform in [min, max] ms. */
  latencyMs: z.tuple([z.number().nonnegative(), z.number().nonnegative()]).optional(),
  /** Share of requests answered with the system's 5xx body. */
  serverErrorRate: z.number().min(0).max(1).optional(),
  /** Share of requests held for `timeoutMs` and then dropped without an answer. */
  timeoutRate: z.number().min(0).max(1).optional(),
  /** How long a timed-out request is held. @defaultValue 30000 */
  timeoutMs: z.number().int().nonnegative().optional(),
  /** Share of requests whose socket is destroyed before any answer. */
  dropRate: z.number().min(0).max(1).optional(),
  /** Share of requests refused as rate-limited; the kind of refusal is the system's choice. */
  rateLimitRate: z.number().min(0).max(1).optional(),
  /** Share of record writes failing with UNABLE_TO_LOCK_ROW (Salesforce only). */
  lockRowRate: z.number().min(0).max(1).optional(),
});

/** Run-time fault configuration; every rate defaults to 0 (no fault). */
export type FaultConfig = z.infer<typeof faultConfigSchema>;

export const FAULT_KINDS = ['latency', 'server_error', 'timeout', 'drop', 'rate_limit', 'lock_row'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The default hold of a timed-out request, like a load balancer's idle timeout. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** An error answer chosen by a simulator hook. */
export interface FaultResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What a simulator plugs into {@link faultMiddleware}. */
export interface FaultHooks {
  /** The system's own 5xx answer (status and body); `rng` may pick among several kinds. */
  serverError(req: Request, rng: Rng): FaultResponse;
  /** The system's rate-limit answer; may use `rng` to pick a kind. Without it no rate limits. */
  rateLimit?(req: Request, rng: Rng): FaultResponse;
  /** Called once for every fault injected. */
  onFault?(kind: FaultKind, req: Request): void;
  /** Requests never faulted. @defaultValue paths under `/__sandbox` */
  isExempt?(req: Request): boolean;
}

/** True for the simulators' control endpoints, which must never be faulted or counted. */
export function isControlPath(path: string): boolean {
  return path === '/__sandbox' || path.startsWith('/__sandbox/');
}

/**
 * Express middleware injecting request-level faults from `getConfig()`, read per request so
 * a change takes effect at once. The request sequence restarts whenever `getConfig()` returns
 * a new object, so setting a configuration (even the same values) starts a reproducible run.
 */
export function faultMiddleware(
  system: string,
  getConfig: () => FaultConfig,
  hooks: FaultHooks,
): RequestHandler {
  let seen: FaultConfig | undefined;
  let sequence = 0;
  const exempt = hooks.isExempt ?? ((req: Request) => isControlPath(req.path));
  const injected = (kind: FaultKind, req: Request): void => hooks.onFault?.(kind, req);

  return (req: Request, res: Response, next: NextFunction): void => {
    if (exempt(req)) return next();
    const config = getConfig();
    if (config !== seen) {
      seen = config;
      sequence = 0;
    }
    const rng = rngFor(config.seed, system, 'request', sequence++);
    // Draw every decision in a fixed order so one request's outcome never shifts the next.
    const [minDelay, maxDelay] = config.latencyMs ?? [0, 0];
    const delay = minDelay + Math.floor(rng.next() * (Math.max(maxDelay, minDelay) - minDelay + 1));
    const drop = rng.chance(config.dropRate ?? 0);
    const timeout = rng.chance(config.timeoutRate ?? 0);
    const serverError = rng.chance(config.serverErrorRate ?? 0);
    const rateLimited = hooks.rateLimit !== undefined && rng.chance(config.rateLimitRate ?? 0);

    const act = (): void => {
      if (drop) {
        injected('drop', req);
        req.socket.destroy();
      } else if (timeout) {
        injected('timeout', req);
        hold(req, config.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      } else if (serverError) {
        injected('server_error', req);
        send(res, hooks.serverError(req, rng));
      } else if (rateLimited && hooks.rateLimit) {
        injected('rate_limit', req);
        send(res, hooks.rateLimit(req, rng));
      } else {
        next();
      }
    };
    if (delay > 0) {
      injected('latency', req);
      setTimeout(act, delay);
    } else {
      act();
    }
  };
}

/** Never answers: drops the connection after `ms`, or earlier if the client gives up. */
function hold(req: Request, ms: number): void {
  const timer = setTimeout(() => req.socket.destroy(), ms);
  // A held request must not keep a test process alive after its server is closed.
  timer.unref();
  req.socket.once('close', () => clearTimeout(timer));
}

function send(res: Response, answer: FaultResponse): void {
  if (answer.headers) res.set(answer.headers);
  res.status(answer.status).json(answer.body);
}

/** A snapshot of the configuration and the faults injected since the last reset. */
export interface FaultSnapshot {
  config: FaultConfig;
  injected: Record<FaultKind, number>;
  total: number;
}

/**
 * Holds one simulator's fault configuration (changeable at run time) and counts the faults
 * it injected.
 */
export class FaultInjector {
  private current: FaultConfig;
  private readonly counts = new Map<FaultKind, number>();
  private readonly attempts = new Map<string, number>();

  /** @param config initial configuration; without a seed, seed 1 and no faults. */
  constructor(
    readonly system: string,
    config: Partial<FaultConfig> = {},
  ) {
    this.current = { seed: 1, ...config };
  }

  /** The configuration in force. Treat as read-only: use {@link set} or {@link update}. */
  get config(): FaultConfig {
    return this.current;
  }

  /** Replaces the configuration and restarts every decision sequence (request and record). */
  set(config: FaultConfig): void {
    this.current = { ...faultConfigSchema.parse(config) };
    this.attempts.clear();
  }

  /** Merges `patch` into the configuration; also restarts the decision sequences. */
  update(patch: Partial<FaultConfig>): void {
    this.set({ ...this.current, ...patch });
  }

  /** Counts one injected fault of `kind`. */
  record(kind: FaultKind): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
  }

  /**
   * Decides a record-level fault reproducibly: the n-th decision for one `key` under one
   * seed is always the same, whatever other records do in between. Counts it when injected.
   */
  decideForKey(kind: FaultKind, rate: number | undefined, key: RngKey): boolean {
    if (!rate || rate <= 0) return false;
    const id = `${kind}\u0000${key}`;
    const attempt = this.attempts.get(id) ?? 0;
    this.attempts.set(id, attempt + 1);
    const hit = rngFor(this.current.seed, this.system, kind, key, attempt).chance(rate);
    if (hit) this.record(kind);
    return hit;
  }

  /** The configuration and the faults injected since the last {@link resetCounts}. */
  snapshot(): FaultSnapshot {
    const injected = Object.fromEntries(FAULT_KINDS.map((k) => [k, this.counts.get(k) ?? 0])) as Record<
      FaultKind,
      number
    >;
    const total = Object.values(injected).reduce((a, b) => a + b, 0);
    return { config: { ...this.current }, injected, total };
  }

  resetCounts(): void {
    this.counts.clear();
  }

  /** {@link faultMiddleware} wired to this injector's configuration and counters. */
  middleware(hooks: FaultHooks): RequestHandler {
    return faultMiddleware(this.system, () => this.current, {
      ...hooks,
      onFault: (kind, req) => {
        this.record(kind);
        hooks.onFault?.(kind, req);
      },
    });
  }
}
