/** What the REST routes share: the store, cursors, faults and the per-request context. */
import type { Response } from 'express';
import type { FaultInjector } from '../common/faults';
import { notFound } from './errors';
import { objectNamed } from './objects';
import type { WriteContext } from './operations';
import type { QueryCursors } from './query-cursors';
import type { ObjectDef } from './schema';
import type { SalesforceStore } from './store';

export interface SimulatorDeps {
  store: SalesforceStore;
  cursors: QueryCursors;
  faults: FaultInjector;
  /** Rows per query page. @defaultValue 2000 */
  pageSize: number;
  /** Duplicate rule blocking new Leads/Contacts by e-mail. @defaultValue false */
  blockDuplicates: boolean;
}

/** Set by the version and session middleware for every REST request. */
export interface RestContext {
  /** `60.0` */
  version: string;
  /** 60 */
  major: number;
  userId: string;
}

export function restContext(res: Response): RestContext {
  return res.locals.salesforce as RestContext;
}

export function setRestContext(res: Response, context: Partial<RestContext>): void {
  res.locals.salesforce = { ...(res.locals.salesforce as RestContext | undefined), ...context };
}

/** The object a URL names, or the 404 Salesforce answers for an unknown sObject type. */
export function objectFromPath(name: string | undefined): ObjectDef {
  const def = name ? objectNamed(name) : undefined;
  if (!def) throw notFound();
  return def;
}

/** Write context for the current request's user, with seeded UNABLE_TO_LOCK_ROW faults. */
export function writeContext(deps: SimulatorDeps, res: Response): WriteContext {
  return {
    store: deps.store,
    userId: restContext(res).userId,
    lockFault: (key) => deps.faults.decideForKey('lock_row', deps.faults.config.lockRowRate, key),
    blockDuplicates: deps.blockDuplicates,
  };
}
