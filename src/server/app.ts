/**
 * The API process's express app: HubSpot webhooks, health and readiness, Prometheus metrics,
 * the admin API and Bull Board behind the admin token. Security headers on every response,
 * body size limits, and no stack traces in any answer.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { metricsRegistry } from '../../connectors/accounting';
import type { Backfills } from '../../jobs/backfill';
import type { Queues } from '../../jobs/queues';
import type { Runtime } from '../../jobs/runtime';
import { adminRouter } from './admin-routes';
import { definitionRouter } from './definition-routes';
import { reportRouter } from './report-routes';
import { requireToken } from './auth';
import { errorHandler, isRedisDown } from './errors';
import { webhookRouter, type VerifyWebhook } from './webhook-route';

export interface AppOptions {
  runtime: Runtime;
  queues: Queues;
  backfills: Backfills;
  adminToken: string | undefined;
  verifyWebhook: VerifyWebhook;
  webhookPublicUrl?: string;
  /** Readiness checks by name; each resolves when its dependency answers. */
  readiness: Record<string, () => Promise<unknown>>;
  logger: Logger;
  /** Extra routers mounted before the error handler (the console). */
  extra?: (app: Express) => void;
}

const READINESS_CACHE_MS = 60_000;

/** HubSpot sends at most 100 events per request, well under this. */
export const WEBHOOK_MAX_BYTES = 512 * 1024;

export function createApp(options: AppOptions): Express {
  const { runtime: rt, logger } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  // API checks cost calls from the daily budgets: a probe every few seconds reuses a recent answer.
  const cache = new Map<string, { at: number; status: string }>();
  const probe = async (name: string, check: () => Promise<unknown>): Promise<readonly [string, string]> => {
    const cached = cache.get(name);
    if (cached && Date.now() - cached.at < READINESS_CACHE_MS && name !== 'redis') return [name, cached.status];
    let status = 'ok';
    try {
      await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 3_000).unref())]);
    } catch (error) {
      status = `unavailable: ${(error as Error).message.slice(0, 120)}`;
    }
    cache.set(name, { at: Date.now(), status });
    return [name, status];
  };
  app.get('/readyz', async (_req, res) => {
    const checks = await Promise.all(Object.entries(options.readiness).map(([name, check]) => probe(name, check)));
    const ready = checks.every(([, status]) => status === 'ok');
    res.status(ready ? 200 : 503).json({ ready, checks: Object.fromEntries(checks) });
  });

  app.use(
    webhookRouter({
      store: rt.store,
      queues: options.queues,
      verify: options.verifyWebhook,
      ...(options.webhookPublicUrl ? { publicUrl: options.webhookPublicUrl } : {}),
      ownProperties: new Set(Object.values(rt.mappings.fields.hubspot.lifecycle.properties)),
      maxBodyBytes: WEBHOOK_MAX_BYTES,
      logger,
    }),
  );

  const auth = requireToken(options.adminToken);
  app.get('/metrics', auth, async (_req, res) => {
    res.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
  app.use('/admin', auth, express.json({ limit: '2mb' }));
  const board = new ExpressAdapter();
  board.setBasePath('/admin/queues');
  createBullBoard({ queues: [options.queues.sync, options.queues.outcomes, options.queues.control].map((q) => new BullMQAdapter(q)), serverAdapter: board });
  // Bull Board's own handler answers 500 with the error's message, and its stack when
  // NODE_ENV=development: answer like the rest of the API instead (503 while Redis is away).
  // (Its status type lists only the codes it sends itself; express passes any code on.)
  const boardError = (error: Error) => {
    if (isRedisDown(error)) return { status: 503, body: { error: 'temporarily unavailable (queue storage unreachable); retry' } };
    logger.error({ err: error }, 'queue dashboard request failed');
    return { status: 500, body: { error: 'internal error' } };
  };
  board.setErrorHandler(boardError as unknown as Parameters<typeof board.setErrorHandler>[0]);
  const boardApp = board.getRouter() as Express;
  // Bull Board is an express app of its own: without this it announces "X-Powered-By: Express".
  boardApp.disable('x-powered-by');
  app.use('/admin/queues', boardApp);
  app.use('/admin', adminRouter({ runtime: rt, queues: options.queues, backfills: options.backfills }));
  app.use('/admin', definitionRouter(rt), reportRouter(rt));
  options.extra?.(app);
  app.use((_req, res) => void res.status(404).json({ error: 'not found' }));
  app.use(errorHandler(logger));
  return app;
}
