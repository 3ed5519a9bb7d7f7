/**
 * `createSalesforceSimulator(options)`: an express app speaking the Salesforce REST API the
 * way jsforce 3.10 uses it, over an in-memory org. The caller listens (see
 * `sandbox/common/server.ts`), e.g.
 *
 * ```ts
 * const sim = createSalesforceSimulator({ seedRecords, faults: { seed: 7, lockRowRate: 0.05 } });
 * const server = await startServer(sim.app);
 * const conn = new jsforce.Connection({ instanceUrl: server.url, accessToken: 'any', version: '60.0' });
 * ```
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { RequestAccounting, setOutcome } from '../common/accounting';
import { createControlRouter } from '../common/control';
import { FaultInjector, type FaultConfig } from '../common/faults';
import type { SeedSalesforceRecord } from '../dataset/types';
import { ApiUsage } from './api-usage';
import { setRestContext, type SimulatorDeps } from './context';
import { createControl, salesforceControlRouter, type ControlDeps, type SalesforceControl } from './control';
import { invalidSession, jsonParserError, notFound, requestLimitExceeded, SalesforceApiError } from './errors';
import { to18 } from './ids';
import { identityRouter } from './identity';
import { oauthRouter, type OAuthOptions } from './oauth';
import { QueryCursors } from './query-cursors';
import { collectionsRouter } from './routes-collections';
import { queryRouter } from './routes-query';
import { sobjectRouter } from './routes-sobjects';
import type { SalesScriptOptions } from './sales-script';
import { DEFAULT_QUEUES, DEFAULT_USERS, loadSeedRecords, seedPeople, type SeedQueue, type SeedUser } from './seed';
import { bearerToken, Sessions } from './sessions';
import { SalesforceStore } from './store';

/** Salesforce's limit on the URI of a REST call. */
export const MAX_URI_LENGTH = 16_384;

export interface SalesforceSimulatorOptions {
  /** Pre-existing Leads and Contacts (ids and audit dates kept). */
  seedRecords?: Iterable<SeedSalesforceRecord>;
  /** Accepted `vNN.0` API versions. @defaultValue { min: 31, max: 68 } */
  apiVersions?: { min: number; max: number };
  /** Requests per rolling 24 h. @defaultValue 100000 */
  dailyLimit?: number;
  /** Token lifetime; undefined = tokens never expire on their own. */
  sessionTtlMs?: number;
  /** Initial fault configuration. @defaultValue no faults, seed 1 */
  faults?: Partial<FaultConfig>;
  /** Scripted sales team. Its seed defaults to the fault seed. */
  salesScript?: SalesScriptOptions;
  /** Users; the first is the integration user unless `integrationUserId` says otherwise. @defaultValue {@link DEFAULT_USERS} */
  users?: SeedUser[];
  /** Queues (Group records of Type Queue). @defaultValue {@link DEFAULT_QUEUES} */
  queues?: SeedQueue[];
  /** The user behind tokens the simulator did not issue. @defaultValue the first user */
  integrationUserId?: string;
  /** OAuth client and user credentials to enforce; any non-empty values pass without. */
  credentials?: OAuthOptions['credentials'];
  /** PEM public key verifying JWT bearer assertions (RS256). */
  jwtPublicKey?: string;
  /** Base URL put in token answers. @defaultValue derived from the request's Host */
  instanceUrl?: string;
  /** Rows per query page. @defaultValue 2000 */
  queryPageSize?: number;
  /**
   * An active duplicate rule whose create action is Block: new Leads and Contacts whose
   * e-mail a live Lead or Contact has fail with DUPLICATES_DETECTED. Orgs ship their standard
   * rules with Allow, so this is off by default. @defaultValue false
   */
  blockDuplicates?: boolean;
  /** Time source for audit fields, sessions, usage and cursors. @defaultValue Date.now */
  clock?: () => number;
}

export interface SalesforceSimulator {
  app: Express;
  store: SalesforceStore;
  control: SalesforceControl;
}

export function createSalesforceSimulator(options: SalesforceSimulatorOptions = {}): SalesforceSimulator {
  const clock = options.clock ?? Date.now;
  const store = new SalesforceStore({ clock });
  const { userIds } = seedPeople(store, options.users ?? DEFAULT_USERS, options.queues ?? DEFAULT_QUEUES);
  const integrationUserId = options.integrationUserId ? to18(options.integrationUserId) : (userIds[0] as string);
  if (options.seedRecords) loadSeedRecords(store, options.seedRecords, integrationUserId);

  const orgId = to18('00D8a0000000001');
  const faults = new FaultInjector('salesforce', options.faults);
  const accounting = new RequestAccounting('salesforce');
  const usage = new ApiUsage(options.dailyLimit ?? 100_000, clock);
  const sessions = new Sessions({ ttlMs: options.sessionTtlMs, defaultUserId: integrationUserId, orgId15: orgId.slice(0, 15), clock });
  const usernames = new Map([...store.table('User').values()].map((u) => [String(u.Username).toLowerCase(), String(u.Id)]));
  const userIdFor = (username: string | undefined): string => usernames.get(String(username).toLowerCase()) ?? integrationUserId;
  const deps: SimulatorDeps = { store, cursors: new QueryCursors({ clock }), faults, pageSize: options.queryPageSize ?? 2000, blockDuplicates: options.blockDuplicates ?? false };
  const controlDeps: ControlDeps = {
    store,
    sessions,
    faults,
    accounting,
    usage,
    integrationUserId,
    salesUserId: options.salesScript?.salesUserId ?? userIds[1] ?? integrationUserId,
    salesScript: { seed: faults.config.seed, ...options.salesScript },
    userIdFor,
  };
  const control = createControl(controlDeps);
  const versions = options.apiVersions ?? { min: 31, max: 68 };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(accounting.middleware({ endpointOf }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.originalUrl.length <= MAX_URI_LENGTH || req.path.startsWith('/__sandbox')) return next();
    setOutcome(res, 'URI_TOO_LONG');
    res.status(414).type('text/html').send('<html><body><h1>414 URI Too Long</h1></body></html>');
  });
  app.use('/__sandbox', createControlRouter({ accounting, faults }));
  app.use('/__sandbox/salesforce', salesforceControlRouter(control, controlDeps));
  app.use(
    faults.middleware({
      serverError: (_req, rng) =>
        rng.chance(0.7)
          ? { status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'Server temporarily unavailable, please try again later.' }] }
          : { status: 500, body: [{ errorCode: 'UNKNOWN_EXCEPTION', message: `An unexpected error occurred. Please include this ErrorId if you contact support: ${rng.int(100000000, 999999999)}-${rng.int(10000, 99999)} (${rng.int(-999999999, -100000000)})` }] },
      rateLimit: () => ({ status: 403, body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'ConcurrentPerOrgLongTxn Limit exceeded.' }] }),
    }),
  );
  app.use('/services/oauth2', oauthRouter({ sessions, orgId, instanceUrl: options.instanceUrl, userIdFor, credentials: options.credentials, jwtPublicKey: options.jwtPublicKey, clock }));
  app.use('/id', identityRouter(store, sessions, orgId));
  app.get('/services/data', (_req: Request, res: Response) => {
    const list = [];
    for (let v = versions.min; v <= versions.max; v++) list.push({ label: `v${v}.0`, url: `/services/data/v${v}.0`, version: `${v}.0` });
    res.json(list);
  });

  const rest = express.Router({ mergeParams: true });
  rest.use((req: Request, res: Response, next: NextFunction) => {
    const m = /^v(\d+)\.0$/.exec(String(req.params.version));
    const major = m ? Number(m[1]) : NaN;
    if (!(major >= versions.min && major <= versions.max)) throw notFound();
    const session = sessions.check(bearerToken(req.get('authorization')));
    if (!session) throw invalidSession();
    if (!usage.tryConsume()) {
      res.set('Sforce-Limit-Info', usage.header());
      throw requestLimitExceeded();
    }
    res.set('Sforce-Limit-Info', usage.header());
    setRestContext(res, { version: `${major}.0`, major, userId: session.userId });
    next();
  });
  rest.use(express.json({ limit: '20mb' }));
  rest.use(queryRouter(deps));
  rest.use(sobjectRouter(deps, usage));
  rest.use('/composite/sobjects', collectionsRouter(deps));
  app.use('/services/data/:version', rest);

  app.use(() => {
    throw notFound();
  });
  app.use(errorHandler);
  return { app, store, control };
}

/** Renders every failure as Salesforce's `[{message, errorCode}]` array. */
function errorHandler(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(error);
  let api: SalesforceApiError;
  if (error instanceof SalesforceApiError) api = error;
  else if (isBodyParserError(error)) {
    api =
      error.type === 'entity.parse.failed'
        ? jsonParserError(`Unexpected character: ${error.message}`)
        : new SalesforceApiError(error.status ?? 400, 'JSON_PARSER_ERROR', error.message);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    api = new SalesforceApiError(500, 'UNKNOWN_EXCEPTION', `An unexpected error occurred: ${message}`);
  }
  setOutcome(res, api.errorCode);
  res.status(api.status).json(api.body());
}

function isBodyParserError(error: unknown): error is Error & { type: string; status?: number } {
  return error instanceof Error && typeof (error as { type?: unknown }).type === 'string';
}

/** `PATCH /sobjects/Lead/{id}`: version prefix dropped, ids, locators and key values replaced. */
function endpointOf(req: Request): string {
  const path = req.path.replace(/^\/services\/data\/v\d+\.\d+/, '') || '/';
  const parts = path.split('/');
  if ((parts[1] === 'query' || parts[1] === 'queryAll') && parts.length === 3) parts[2] = '{locator}';
  if (parts[1] === 'sobjects' && parts.length === 4 && parts[3] !== 'describe') parts[3] = '{id}';
  if (parts[1] === 'sobjects' && parts.length === 5) parts[4] = '{value}';
  return `${req.method} ${parts.join('/')}`;
}
