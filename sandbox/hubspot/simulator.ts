/**
 * `createHubSpotSimulator(options)`: an express app that `@hubspot/api-client` talks to
 * unchanged (point `basePath` at it). The caller listens; `control.close()` stops its timers.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { createControlRouter, FaultInjector, RequestAccounting, setOutcome, statsOf, type FaultConfig, type StatsBody } from '../common';
import type { DatasetOptions } from '../dataset';
import { ContactStore } from './contact-store';
import { HubSpotControl } from './control';
import { errorBody, sendError } from './errors';
import { Portal } from './portal';
import { RateLimiter, rateLimitBody, type RateLimitConfig } from './rate-limits';
import { contactRoutes } from './routes-contacts';
import { legacyContactRoutes } from './routes-legacy-contacts';
import { engagementRoutes, propertyRoutes } from './routes-crm-other';
import { feedRoutes } from './routes-feeds';
import type { SearchLimits } from './search';
import { buildSeedIndexes } from './seed-indexes';
import type { WebhookOptions, WebhookStats } from './webhooks';

export interface HubSpotSimulatorOptions {
  /** Seeded contacts (at most 2,097,152). */
  contacts: number;
  seed: number;
  /** ISO "now" of the data set. @defaultValue the current day at 00:00 UTC */
  anchor?: string;
  /** Start with the `lsync_*` properties and their group. @defaultValue false (a fresh portal) */
  withLifecycleProperties?: boolean;
  /** Web analytics events API available (Enterprise). @defaultValue true */
  enterprise?: boolean;
  rateLimits?: Partial<RateLimitConfig>;
  /** Delay before a change is visible to search. @defaultValue 0 */
  searchDelayMs?: number;
  searchLimits?: Partial<SearchLimits>;
  faults?: Partial<FaultConfig>;
  webhooks?: WebhookOptions;
  /** Properties whose changes are sent as webhooks. @defaultValue all but the modification dates */
  subscribedProperties?: string[];
}

export interface HubSpotStats extends StatsBody {
  webhooks: WebhookStats;
}

export interface HubSpotSimulator {
  app: express.Express;
  store: ContactStore;
  portal: Portal;
  control: HubSpotControl;
  faults: FaultInjector;
  accounting: RequestAccounting;
  stats(): HubSpotStats;
}

/** The largest seeded portal: the e-mail index packs (hash, index) into one double. */
export const MAX_CONTACTS = 2 ** 21;

export function defaultAnchor(now = Date.now()): string {
  return new Date(Math.floor(now / 86_400_000) * 86_400_000).toISOString();
}

export function createHubSpotSimulator(options: HubSpotSimulatorOptions): HubSpotSimulator {
  if (!Number.isInteger(options.contacts) || options.contacts < 0 || options.contacts > MAX_CONTACTS) {
    throw new RangeError(`contacts must be an integer in [0, ${MAX_CONTACTS}]`);
  }
  const dataset: DatasetOptions = { seed: options.seed, anchor: options.anchor ?? defaultAnchor() };
  const portal = new Portal({
    dataset, contacts: options.contacts, indexes: buildSeedIndexes(dataset, options.contacts),
    withLifecycleProperties: options.withLifecycleProperties ?? false, searchDelayMs: options.searchDelayMs ?? 0,
    ...(options.searchLimits ? { searchLimits: options.searchLimits } : {}),
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
    ...(options.subscribedProperties ? { subscribedProperties: options.subscribedProperties } : {}),
  });
  const limiter = new RateLimiter(options.rateLimits);
  const faults = new FaultInjector('hubspot', options.faults);
  const accounting = new RequestAccounting('hubspot');
  const control = new HubSpotControl(portal, dataset, limiter);
  const isSearch = (req: Request): boolean => req.method === 'POST' && req.path.endsWith('/search');

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const controlRouter = createControlRouter({ accounting, faults, onReset: () => limiter.reset() });
  controlRouter.use('/hubspot', control.router());
  app.use('/__sandbox', controlRouter);
  app.use(accounting.middleware());
  app.use(faults.middleware({
    serverError: () => ({ status: 500, body: errorBody('internal error', 'INTERNAL_ERROR') }),
    // Injected bursts: the search limit for search, the ten-secondly one (with headers) elsewhere.
    rateLimit: (req) => isSearch(req)
      ? { status: 429, body: rateLimitBody('SECONDLY') }
      : { status: 429, body: rateLimitBody('TEN_SECONDLY_ROLLING'), headers: { ...limiter.headers('fault', Date.now()), 'X-HubSpot-RateLimit-Remaining': '0' } },
  }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    const token = /^Bearer\s+(\S+)/i.exec(req.get('authorization') ?? '')?.[1];
    if (!token) {
      return sendError(res, 401, errorBody('Authentication credentials not found. This API supports OAuth 2.0 authentication; send an access token as a Bearer token.', 'INVALID_AUTHENTICATION'));
    }
    const decision = limiter.take(token, isSearch(req));
    res.set(decision.headers);
    if (!decision.ok) {
      setOutcome(res, `RATE_LIMIT_${decision.policy}`);
      return void res.status(429).json(decision.body);
    }
    next();
  });
  app.use(express.json({ limit: '10mb' }));
  app.use(contactRoutes(portal));
  app.use(legacyContactRoutes(portal));
  app.use(propertyRoutes(portal));
  app.use(engagementRoutes(portal));
  app.use(feedRoutes(portal, { enterprise: options.enterprise ?? true, anchorMs: Date.parse(dataset.anchor) }));
  app.use((_req: Request, res: Response) => sendError(res, 404, errorBody('Unknown endpoint in the HubSpot sandbox', 'OBJECT_NOT_FOUND')));
  app.use((error: Error & { type?: string; status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    if (error.type === 'entity.parse.failed') return sendError(res, 400, errorBody('Invalid input JSON on line 1', 'VALIDATION_ERROR'));
    sendError(res, error.status && error.status < 500 ? error.status : 500, errorBody(error.message || 'internal error', 'INTERNAL_ERROR'));
  });

  return {
    app, store: portal.store, portal, control, faults, accounting,
    stats: () => ({ ...statsOf(accounting, faults), webhooks: { ...portal.webhooks.stats } }),
  };
}
