/**
 * "Sales works the lead": a scripted sales team acting on records the service flagged as MQL.
 * Each open MQL record gets one decision, drawn from `rngFor(seed, 'work', id, MQL_Date__c)`,
 * so the same seed gives the same outcomes and a new MQL episode gets a fresh decision.
 * Changes are made as a sales user, so LastModifiedById differs from the integration user.
 */
import { rngFor } from '../common/rng';
import { convertLead } from './conversion';
import { dateOf } from './datetime';
import { CONTACT, LEAD, TASK } from './objects';
import { DISQUALIFICATION_REASONS, RECYCLE_REASONS } from './picklists';
import type { FieldValue, SfRecord } from './schema';
import type { SalesforceStore } from './store';

export const SALES_DECISIONS = ['accept', 'sql', 'disqualify', 'recycle', 'convert', 'leave'] as const;
export type SalesDecision = (typeof SALES_DECISIONS)[number];

export interface SalesScriptOptions {
  /** @defaultValue 1 */
  seed?: number;
  /** The acting sales user. @defaultValue the second seeded user */
  salesUserId?: string;
  /** Relative weights of the decisions. @defaultValue accept 20, sql 15, disqualify 20, recycle 10, convert 10, leave 25 */
  weights?: Partial<Record<SalesDecision, number>>;
  /** Share of open follow-up Tasks (with a Lifecycle_Sync_Key__c) completed. @defaultValue 0.5 */
  completeTaskRate?: number;
}

export interface WorkLeadsResult {
  examined: number;
  accepted: number;
  sql: number;
  disqualified: number;
  recycled: number;
  converted: number;
  leftAlone: number;
  tasksCompleted: number;
  /** Ids changed by this pass, by decision. */
  changed: Record<Exclude<SalesDecision, 'leave'>, string[]>;
}

const DEFAULT_WEIGHTS: Record<SalesDecision, number> = { accept: 20, sql: 15, disqualify: 20, recycle: 10, convert: 10, leave: 25 };
const OPEN_STATUSES = new Set<FieldValue>([null, 'Open - Not Contacted', 'Working - Contacted']);

/** One pass over open MQL Leads and Contacts and open follow-up Tasks. */
export function workLeads(store: SalesforceStore, options: Required<Pick<SalesScriptOptions, 'salesUserId'>> & SalesScriptOptions, now = store.clock()): WorkLeadsResult {
  const seed = options.seed ?? 1;
  const weights = { ...DEFAULT_WEIGHTS, ...options.weights };
  const user = options.salesUserId;
  const result: WorkLeadsResult = {
    examined: 0,
    accepted: 0,
    sql: 0,
    disqualified: 0,
    recycled: 0,
    converted: 0,
    leftAlone: 0,
    tasksCompleted: 0,
    changed: { accept: [], sql: [], disqualify: [], recycle: [], convert: [] },
  };
  const open = (r: SfRecord, status: string): boolean =>
    r.MQL__c === true && r.IsDeleted !== true && r.IsConverted !== true && OPEN_STATUSES.has(r[status] ?? null);
  // Collected first: the pass itself changes records and their index positions.
  const leads = [...store.table('Lead').values()].filter((r) => open(r, 'Status'));
  const contacts = [...store.table('Contact').values()].filter((r) => open(r, 'Lifecycle_Status__c'));

  for (const record of [...leads, ...contacts]) {
    result.examined++;
    const isLead = String(record.Id).startsWith('00Q');
    const rng = rngFor(seed, 'work', String(record.Id), String(record.MQL_Date__c ?? ''));
    const decision = weighted(weights, rng.next());
    if (decision === 'leave') {
      result.leftAlone++;
      continue;
    }
    result.changed[decision].push(String(record.Id));
    const statusField = isLead ? 'Status' : 'Lifecycle_Status__c';
    const def = isLead ? LEAD : CONTACT;
    switch (decision) {
      case 'accept':
        result.accepted++;
        store.update(def, record, { [statusField]: 'Sales Accepted' }, user);
        break;
      case 'sql':
        result.sql++;
        store.update(def, record, { [statusField]: 'Sales Qualified', SQL_Date__c: dateOf(now) }, user);
        break;
      case 'disqualify':
        result.disqualified++;
        store.update(def, record, { [statusField]: 'Disqualified', Disqualification_Reason__c: rng.pick(DISQUALIFICATION_REASONS) }, user);
        break;
      case 'recycle':
        result.recycled++;
        store.update(def, record, { [statusField]: 'Recycled', Recycle_Reason__c: rng.pick(RECYCLE_REASONS) }, user);
        break;
      case 'convert':
        result.converted++;
        if (isLead) {
          store.update(def, record, { SQL_Date__c: dateOf(now) }, user);
          convertLead(store, String(record.Id), { userId: user, now });
        } else {
          store.update(def, record, { [statusField]: 'Opportunity', SQL_Date__c: dateOf(now) }, user);
        }
        break;
    }
  }
  result.tasksCompleted = completeTasks(store, seed, options.completeTaskRate ?? 0.5, user, now);
  return result;
}

/** First touch: completes some open follow-up Tasks the service created. */
function completeTasks(store: SalesforceStore, seed: number, rate: number, user: string, now: number): number {
  const tasks = [...store.table('Task').values()].filter(
    (t) => t.IsDeleted !== true && t.Status !== 'Completed' && t.Lifecycle_Sync_Key__c !== null,
  );
  let completed = 0;
  for (const task of tasks) {
    if (!rngFor(seed, 'touch', String(task.Id)).chance(rate)) continue;
    store.update(TASK, task, { Status: 'Completed', CompletedDateTime: now }, user);
    completed++;
  }
  return completed;
}

function weighted(weights: Record<SalesDecision, number>, x: number): SalesDecision {
  const total = SALES_DECISIONS.reduce((sum, d) => sum + Math.max(0, weights[d]), 0);
  let at = x * total;
  for (const d of SALES_DECISIONS) {
    at -= Math.max(0, weights[d]);
    if (at < 0) return d;
  }
  return 'leave';
}
