/**
 * The control endpoints every simulator exposes under `/__sandbox` (never faulted, never
 * counted, never charged to an API allocation):
 *
 * - `GET /__sandbox/stats` -> `{ system, requests: AccountingSnapshot, faults: FaultSnapshot }`
 * - `POST /__sandbox/stats/reset` -> 204; clears request and fault counters
 * - `GET /__sandbox/faults` -> the {@link FaultConfig} in force
 * - `PUT /__sandbox/faults` with a {@link FaultConfig} body -> 200 with the new configuration
 *   (replaces it; an omitted `seed` keeps the current one), 400 `{ error, issues }` when invalid
 */
import express, { type Request, type Response, type Router } from 'express';
import type { AccountingSnapshot, RequestAccounting } from './accounting';
import { faultConfigSchema, type FaultInjector, type FaultSnapshot } from './faults';

export interface ControlOptions {
  accounting: RequestAccounting;
  faults: FaultInjector;
  /** Also run on `POST /stats/reset` (e.g. a simulator's own counters). */
  onReset?(): void;
}

export interface StatsBody {
  system: string;
  requests: AccountingSnapshot;
  faults: FaultSnapshot;
}

/** Statistics as `GET /__sandbox/stats` answers them; also handy for in-process tests. */
export function statsOf(accounting: RequestAccounting, faults: FaultInjector): StatsBody {
  return { system: accounting.system, requests: accounting.snapshot(), faults: faults.snapshot() };
}

/**
 * A router with the shared control endpoints; mount it with `app.use('/__sandbox', router)`
 * before the fault and accounting middleware, or rely on their `/__sandbox` exemption.
 * Simulators may add their own routes to the returned router.
 */
export function createControlRouter(options: ControlOptions): Router {
  const { accounting, faults } = options;
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));

  router.get('/stats', (_req: Request, res: Response) => {
    res.json(statsOf(accounting, faults));
  });

  router.post('/stats/reset', (_req: Request, res: Response) => {
    accounting.reset();
    faults.resetCounts();
    options.onReset?.();
    res.status(204).end();
  });

  router.get('/faults', (_req: Request, res: Response) => {
    res.json(faults.config);
  });

  router.put('/faults', (req: Request, res: Response) => {
    const body: unknown = req.body ?? {};
    const withSeed = typeof body === 'object' && body !== null && !('seed' in body) ? { ...body, seed: faults.config.seed } : body;
    const parsed = faultConfigSchema.safeParse(withSeed);
    if (!parsed.success) {
      res.status(400).json({ error: 'invalid fault configuration', issues: parsed.error.issues });
      return;
    }
    faults.set(parsed.data);
    res.json(faults.config);
  });

  return router;
}
