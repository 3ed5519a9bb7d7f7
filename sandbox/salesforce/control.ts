/**
 * The Salesforce simulator's control surface, in process ({@link SalesforceControl}) and over
 * HTTP under `/__sandbox/salesforce` (never faulted, never counted, never charged):
 *
 * - `POST /expire-sessions` -> `{expired}`: every token seen so far answers 401 from now on
 * - `POST /tokens` `{username?}` -> `{access_token}`: a fresh session without an OAuth call
 * - `POST /convert` `{leadId, contactId?}` -> `{leadId, contactId, accountId}`
 * - `POST /delete` `{id}` -> `{id}`: moves a record to the recycle bin as a sales user
 * - `POST /work-leads` `{now?}` -> {@link WorkLeadsResult}; `POST /work-leads/interval`
 *   `{intervalMs}` starts (0 stops) the scripted sales team on a timer
 * - `GET /records/{type}/{id}` -> the stored record, every field, deleted ones included
 * - `GET /summary` -> `{[object]: {total, deleted}}`
 * - `GET|PUT /api-usage` `{used?, max?}` -> `{used, max, remaining}`
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { RequestAccounting } from '../common/accounting';
import { statsOf, type StatsBody } from '../common/control';
import type { FaultInjector } from '../common/faults';
import type { ApiUsage } from './api-usage';
import { convertLead, type ConvertResult } from './conversion';
import { notFound, SalesforceApiError } from './errors';
import { normaliseId } from './ids';
import { OBJECTS, objectNamed, objectOfId } from './objects';
import { executeWrites } from './operations';
import { workLeads, type SalesScriptOptions, type WorkLeadsResult } from './sales-script';
import { recordJson, type RecordJson } from './serialize';
import type { Sessions } from './sessions';
import type { SalesforceStore } from './store';

export interface SalesforceControl {
  readonly faults: FaultInjector;
  readonly accounting: RequestAccounting;
  readonly usage: ApiUsage;
  readonly integrationUserId: string;
  readonly salesUserId: string;
  /** Same body as `GET /__sandbox/stats`. */
  stats(): StatsBody;
  resetStats(): void;
  /** Expires every token seen so far; returns how many were live. */
  expireSessions(): number;
  /** A fresh access token (the integration user's by default). */
  issueToken(userId?: string): string;
  convertLead(leadId: string, options?: { contactId?: string; now?: number }): ConvertResult;
  /** Deletes a record as the sales user (recycle bin, `IsDeleted = true`). */
  deleteRecord(id: string): void;
  /** One pass of the scripted sales team. */
  workLeads(options?: { now?: number }): WorkLeadsResult;
  /** Runs {@link workLeads} every `intervalMs` (unref'd timer) until {@link stopWorking}. */
  startWorking(intervalMs: number): void;
  stopWorking(): void;
  /** The stored record as JSON (every field), deleted ones included. */
  record(id: string): RecordJson | undefined;
  /** Stops timers; call before closing the server. */
  close(): void;
}

export interface ControlDeps {
  store: SalesforceStore;
  sessions: Sessions;
  faults: FaultInjector;
  accounting: RequestAccounting;
  usage: ApiUsage;
  integrationUserId: string;
  salesUserId: string;
  salesScript: SalesScriptOptions;
  userIdFor(username: string | undefined): string;
}

const CONTROL_VERSION = '60.0';

export function createControl(deps: ControlDeps): SalesforceControl {
  let timer: NodeJS.Timeout | undefined;
  const control: SalesforceControl = {
    faults: deps.faults,
    accounting: deps.accounting,
    usage: deps.usage,
    integrationUserId: deps.integrationUserId,
    salesUserId: deps.salesUserId,
    stats: () => statsOf(deps.accounting, deps.faults),
    resetStats() {
      deps.accounting.reset();
      deps.faults.resetCounts();
    },
    expireSessions: () => deps.sessions.expireAll(),
    issueToken: (userId = deps.integrationUserId) => deps.sessions.issue(userId).token,
    convertLead: (leadId, options = {}) => convertLead(deps.store, leadId, { userId: deps.salesUserId, ...options }),
    deleteRecord(id) {
      const context = { store: deps.store, userId: deps.salesUserId, lockFault: () => false };
      const [result] = executeWrites(context, [{ op: 'delete', id }], false);
      const error = result?.errors[0];
      if (error) throw new SalesforceApiError(400, error.statusCode, error.message);
    },
    workLeads: (options = {}) =>
      workLeads(deps.store, { ...deps.salesScript, salesUserId: deps.salesUserId }, options.now),
    startWorking(intervalMs) {
      control.stopWorking();
      timer = setInterval(() => control.workLeads(), intervalMs);
      timer.unref();
    },
    stopWorking() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    record(id) {
      const record = deps.store.get(id);
      const def = objectOfId(normaliseId(id) ?? '');
      return record && def ? recordJson(def, record, def.fields, CONTROL_VERSION) : undefined;
    },
    close: () => control.stopWorking(),
  };
  return control;
}

/** Express router for the HTTP form of the control surface. */
export function salesforceControlRouter(control: SalesforceControl, deps: ControlDeps): Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));
  const body = (req: Request): Record<string, unknown> => (req.body ?? {}) as Record<string, unknown>;

  router.post('/expire-sessions', (_req, res) => {
    res.json({ expired: control.expireSessions() });
  });
  router.post('/tokens', (req, res) => {
    const username = body(req).username;
    res.json({ access_token: control.issueToken(deps.userIdFor(typeof username === 'string' ? username : undefined)) });
  });
  router.post('/convert', (req, res) => {
    const { leadId, contactId } = body(req);
    if (typeof leadId !== 'string') throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'leadId is required');
    res.json(control.convertLead(leadId, typeof contactId === 'string' ? { contactId } : {}));
  });
  router.post('/delete', (req, res) => {
    const { id } = body(req);
    if (typeof id !== 'string') throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'id is required');
    control.deleteRecord(id);
    res.json({ id: normaliseId(id) ?? id });
  });
  router.post('/work-leads', (req, res) => {
    const now = instant(body(req).now);
    res.json(control.workLeads(now === undefined ? {} : { now }));
  });
  router.post('/work-leads/interval', (req, res) => {
    const ms = Number(body(req).intervalMs ?? 0);
    if (ms > 0) control.startWorking(ms);
    else control.stopWorking();
    res.json({ running: ms > 0, intervalMs: ms > 0 ? ms : null });
  });
  router.get('/records/:type/:id', (req, res) => {
    const json = control.record(String(req.params.id));
    if (!json || json.attributes.type !== objectNamed(String(req.params.type))?.name) throw notFound();
    res.json(json);
  });
  router.get('/summary', (_req, res) => {
    const summary: Record<string, { total: number; deleted: number }> = {};
    for (const o of OBJECTS) {
      let deleted = 0;
      for (const r of deps.store.table(o.name).values()) if (r.IsDeleted === true) deleted++;
      summary[o.name] = { total: deps.store.count(o.name), deleted };
    }
    res.json(summary);
  });
  const usageBody = () => ({ used: deps.usage.used(), max: deps.usage.max, remaining: deps.usage.remaining() });
  router.get('/api-usage', (_req, res) => {
    res.json(usageBody());
  });
  router.put('/api-usage', (req, res) => {
    const { used, max } = body(req);
    if (typeof max === 'number' && max >= 0) deps.usage.max = max;
    if (typeof used === 'number' && used >= 0) deps.usage.setUsed(used);
    res.json(usageBody());
  });
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!(error instanceof SalesforceApiError)) return next(error);
    res.status(error.status).json(error.body());
  });
  return router;
}

/** A `now` given as epoch ms or an ISO string. */
function instant(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  return undefined;
}
