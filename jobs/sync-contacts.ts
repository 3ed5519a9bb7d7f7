/**
 * The one unit of work: "sync these HubSpot contact ids". Pull contacts and activities,
 * evaluate with the definition, move the lifecycle, plan minimal writes, push to Salesforce
 * (fields, Lead, task), write back to HubSpot. Scheduled polls, backfills and webhooks only
 * choose ids and enqueue this.
 *
 * Order matters for crash safety: Salesforce is written before HubSpot, so a sync that stops
 * half-way is resumed with the same MQL episode (the planner reads it back from Salesforce)
 * and the same task key; tasks are created once per key (Salesforce enforces the key unique).
 */
import { createHash } from 'node:crypto';
import type { HubSpotContactRecord } from '../connectors/ports';
import { evaluate } from '../src/domain/evaluate';
import { plan, type ContactPlan } from '../src/domain/plan';
import { slaDeadline } from '../src/domain/reports/handoff';
import type { Activity, Contact, SalesOutcomeKind } from '../src/domain/types';
import type { HistoryEvent } from '../src/domain/reports/history';
import { applyPlans, type WriteCounts } from './apply-plans';
import { planContext, type Runtime, type Trigger } from './runtime';

export interface SyncRequest {
  ids: string[];
  trigger: Trigger;
  dryRun?: boolean;
  /** Backfills by service line write only contacts judged under that line. */
  serviceLine?: string;
}

export interface PlannedWrite {
  hubspotId: string;
  stage: { from: string; to: string };
  hubspot: Record<string, string>;
  salesforce: { update?: string[]; createLead?: boolean; task?: string };
  notes: string[];
}

export interface SyncReport {
  requested: number;
  synced: number;
  /** Ids HubSpot no longer has (deleted or merged away). */
  missing: string[];
  /** Ids being synced by another worker right now; the caller re-enqueues them. */
  busy: string[];
  skippedOtherServiceLine: number;
  stages: Record<string, number>;
  /** Current MQLs of the batch by `tier:<A>` and `line:<service line>`. */
  mqls: Record<string, number>;
  mqlsCreated: number;
  writes: WriteCounts;
  failures: number;
  /** Contacts whose failure may pass on its own (lock contention, 5xx on one record). */
  retryable: string[];
  /** Contacts left for a sync in `deferMs`: their feed activity is not in the cache yet. */
  deferred: string[];
  deferMs: number;
  planned?: PlannedWrite[];
}

const LOCK_TTL_MS = 5 * 60_000;

const VOLATILE = new Set(['lastmodifieddate', 'hs_lastmodifieddate']);

/** The properties other than the service's own that feed the evaluation, as a short fingerprint. */
export function inputFingerprint(record: HubSpotContactRecord, own: ReadonlySet<string>): string {
  const keys = Object.keys(record.properties).filter((k) => !own.has(k) && !VOLATILE.has(k)).sort();
  return createHash('sha1').update(keys.map((k) => `${k}=${record.properties[k] ?? ''}`).join('\n')).digest('base64url').slice(0, 16);
}

/** Evaluations (live and shadow), sales decisions and new tasks, plus the inputs for backtests. */
async function recordHistory(rt: Runtime, plans: ContactPlan[], contacts: Contact[], activities: Map<string, Activity[]>, tasks: Array<{ hubspotId: string; key: string; dueAt: string }>, now: string): Promise<void> {
  const entries = new Map<string, HistoryEvent[]>();
  const add = (id: string, entry: HistoryEvent) => entries.set(id, [...(entries.get(id) ?? []), entry]);
  const shadows = await rt.definitions.shadows();
  const byId = new Map(contacts.map((c) => [c.id, c]));
  for (const p of plans) {
    const e = p.evaluation;
    add(p.hubspotId, { kind: 'evaluation', at: now, version: e.definitionVersion, status: e.status, stage: p.after.stage, fit: e.score.fit, engagement: e.score.engagement, total: e.score.total, tier: e.tier, serviceLine: e.serviceLine });
    for (const t of p.transitions) if (t.actor === 'sales') add(p.hubspotId, { kind: 'outcome', at: t.at, outcome: t.to === 'sales_accepted' ? 'accepted' : (t.to as SalesOutcomeKind), ...(t.reason ? { reason: t.reason } : {}) });
    for (const shadow of shadows) {
      const s = evaluate(shadow, byId.get(p.hubspotId)!, activities.get(p.hubspotId) ?? [], now);
      add(p.hubspotId, { kind: 'evaluation', at: now, version: s.definitionVersion, shadow: true, status: s.status, fit: s.score.fit, engagement: s.score.engagement, total: s.score.total, tier: s.tier, serviceLine: s.serviceLine });
    }
  }
  // The SLA runs in hours from the episode start; the task's due date is only its day.
  const routed = (id: string) => plans.find((p) => p.hubspotId === id && p.route && p.after.mqlDate);
  for (const t of tasks) {
    const p = routed(t.hubspotId);
    add(t.hubspotId, { kind: 'task', at: now, event: 'created', key: t.key, dueAt: p ? slaDeadline(p.after.mqlDate!, p.route!.slaHours) : t.dueAt });
  }
  const inputs = new Map(plans.map((p) => [p.hubspotId, { contact: byId.get(p.hubspotId)!, activities: activities.get(p.hubspotId) ?? [] }]));
  await rt.history.record(entries, inputs);
}

function describe(p: ContactPlan): PlannedWrite {
  const salesforce: PlannedWrite['salesforce'] = {};
  if (p.salesforce.update) salesforce.update = Object.keys(p.salesforce.update.fields);
  if (p.salesforce.create) salesforce.createLead = true;
  if (p.salesforce.task) salesforce.task = p.salesforce.task.key;
  return { hubspotId: p.hubspotId, stage: { from: p.before.stage, to: p.after.stage }, hubspot: p.hubspot, salesforce, notes: p.notes };
}

/** `listed`: the contacts as a backfill chunk just read them (else they are read by id). */
export async function syncContacts(rt: Runtime, request: SyncRequest, owner: string, listed?: HubSpotContactRecord[]): Promise<SyncReport> {
  const ids = [...new Set(request.ids)];
  const locked = request.dryRun ? ids : await rt.store.lockContacts(ids, owner, LOCK_TTL_MS);
  const busy = ids.filter((id) => !locked.includes(id));
  try {
    return { ...(await syncLocked(rt, request, locked, listed)), requested: ids.length, busy };
  } finally {
    if (!request.dryRun) await rt.store.unlockContacts(locked, owner);
  }
}

async function syncLocked(rt: Runtime, request: SyncRequest, ids: string[], listed: HubSpotContactRecord[] | undefined): Promise<Omit<SyncReport, 'requested' | 'busy'>> {
  const now = rt.now().toISOString();
  const mine = new Set(ids);
  const read = listed ? listed.filter((r) => mine.has(r.id)) : ids.length ? await rt.hubspot.readContacts(ids) : [];
  const found = new Set(read.map((r) => r.id));
  const missing = ids.filter((id) => !found.has(id));
  // HubSpot activities and Salesforce matches are independent reads: at once, a sync waits
  // for the longer of the two, not their sum (webhook latency).
  const allContacts = read.map((r) => rt.hubspot.toContact(r));
  const [activities, matches] = await Promise.all([
    read.length ? rt.hubspot.activitiesFor(read) : new Map<string, Activity[]>(),
    allContacts.length ? rt.salesforce.match(allContacts.map((c) => ({ hubspotId: c.id, email: c.email }))) : new Map<string, never>(),
  ]);
  // Contacts whose feed news is not in the cache yet (a refresh was throttled) wait for the
  // next refresh rather than be evaluated without the activity that triggered the sync.
  const behind = !request.dryRun && read.length && rt.hubspot.feedsBehind ? await rt.hubspot.feedsBehind(read) : { ids: [], retryInMs: 0 };
  const later = new Set(behind.ids);
  const records = later.size ? read.filter((r) => !later.has(r.id)) : read;
  const contacts = later.size ? allContacts.filter((c) => !later.has(c.id)) : allContacts;
  const ctx = await planContext(rt);
  let plans = records.map((record, i) =>
    plan(ctx, record.properties, { contact: contacts[i]!, activities: activities.get(record.id) ?? [], record: matches.get(record.id)?.record ?? null, now }),
  );
  const before = plans.length;
  if (request.serviceLine) plans = plans.filter((p) => p.evaluation.serviceLine === request.serviceLine);
  const stages: Record<string, number> = {};
  const mqls: Record<string, number> = {};
  const add = (map: Record<string, number>, key: string) => (map[key] = (map[key] ?? 0) + 1);
  for (const p of plans) {
    add(stages, p.after.stage);
    if (p.after.stage === 'mql') {
      add(mqls, `tier:${p.evaluation.tier ?? 'none'}`);
      add(mqls, `line:${p.evaluation.serviceLine}`);
    }
  }
  for (const p of plans) if (p.notes.length) rt.logger.warn({ hubspotId: p.hubspotId, notes: p.notes }, 'plan notes');
  const mqlsCreated = plans.filter((p) => p.transitions.some((t) => t.to === 'mql')).length;
  const base = { synced: plans.length, missing, skippedOtherServiceLine: before - plans.length, stages, mqls, mqlsCreated, deferred: behind.ids, deferMs: behind.retryInMs };

  if (request.dryRun) {
    const planned = plans.filter((p) => Object.keys(p.hubspot).length || Object.keys(p.salesforce).length).map(describe);
    return { ...base, writes: { hubspotUpdates: 0, salesforceUpdates: 0, leadsCreated: 0, tasksCreated: 0 }, failures: 0, retryable: [], planned };
  }
  const { writes, failures, retryable, tasks } = await applyPlans(rt, plans, request.trigger, now);
  await recordHistory(rt, plans, contacts, activities, tasks, now);
  await rt.store.trackMqls(new Map(plans.filter((p) => !failures.has(p.hubspotId)).map((p) => [p.hubspotId, p.after.stage])));
  const own = new Set(Object.values(rt.mappings.fields.hubspot.lifecycle.properties));
  const fingerprints = new Map(records.filter((r) => !failures.has(r.id)).map((r) => [r.id, inputFingerprint(r, own)]));
  await rt.store.rememberInputs(fingerprints);
  return { ...base, writes, failures: failures.size, retryable };
}
