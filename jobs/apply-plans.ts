/**
 * Carries out a batch of plans: Salesforce first (new Leads, field updates, tasks), then the
 * HubSpot write-back. Every call is a batch; every record gets its own outcome, so one bad
 * record is reported and the rest of the batch goes on.
 */
import type { RecordResult } from '../connectors/errors';
import type { ContactPlan } from '../src/domain/plan';
import { mqlsCreated } from './metrics';
import type { Runtime, Trigger } from './runtime';
import type { FailureRecord } from './store';

export interface WriteCounts {
  hubspotUpdates: number;
  salesforceUpdates: number;
  leadsCreated: number;
  tasksCreated: number;
}

type Failure = Omit<FailureRecord, 'id' | 'firstSeen' | 'lastSeen' | 'attempts'>;

function failuresOf(system: 'hubspot' | 'salesforce', results: RecordResult[]): Failure[] {
  return results.flatMap((r) => {
    if (r.ok) return [];
    const failure: Failure = { system, hubspotId: r.key, code: r.code, message: r.message, retryable: r.retryable };
    if (r.correlationId) failure.correlationId = r.correlationId;
    return [failure];
  });
}

export async function applyPlans(
  rt: Runtime,
  plans: ContactPlan[],
  trigger: Trigger,
  now: string,
): Promise<{ writes: WriteCounts; failures: Set<string>; retryable: string[]; tasks: Array<{ hubspotId: string; key: string; dueAt: string }> }> {
  const sf = rt.mappings.fields;
  const byId = new Map(plans.map((p) => [p.hubspotId, p]));
  const failures: Failure[] = [];
  const audit: Array<Record<string, string>> = [];
  const note = (p: ContactPlan, system: string, action: string, fields: string[]) =>
    audit.push({ at: now, trigger, hubspotId: p.hubspotId, system, action, fields: fields.join(','), stage: p.after.stage, version: p.evaluation.definitionVersion, why: p.transitions.map((t) => `${t.actor}:${t.to}${t.reason ? ` (${t.reason})` : ''}`).join('; ') });

  // 1. New Leads for MQLs Salesforce does not know yet; their ids feed the task and HubSpot.
  const toCreate = plans.filter((p) => p.salesforce.create);
  const created = toCreate.length ? await rt.salesforce.createLeads(toCreate.map((p) => ({ key: p.hubspotId, fields: p.salesforce.create!.fields }))) : [];
  failures.push(...failuresOf('salesforce', created));
  let leadsCreated = 0;
  for (const result of created) {
    const p = byId.get(result.key)!;
    if (!result.ok || !result.id) continue;
    // created=false: the Lead already existed (a retried batch); it is linked all the same.
    if (result.created !== false) {
      leadsCreated++;
      note(p, 'salesforce', 'create Lead', Object.keys(p.salesforce.create!.fields));
    }
    if (p.salesforce.task) p.salesforce.task.fields.WhoId = result.id;
    p.hubspot[sf.hubspot.lifecycle.properties.salesforceId] = result.id;
  }

  // 2. Changed fields on matched records.
  const toUpdate = plans.filter((p) => p.salesforce.update);
  const updated = toUpdate.length ? await rt.salesforce.updateRecords(toUpdate.map((p) => ({ key: p.hubspotId, ...p.salesforce.update! }))) : [];
  failures.push(...failuresOf('salesforce', updated));
  for (const r of updated) if (r.ok) note(byId.get(r.key)!, 'salesforce', `update ${byId.get(r.key)!.salesforce.update!.sobject}`, Object.keys(byId.get(r.key)!.salesforce.update!.fields));

  // 3. One task per MQL episode: skip keys known to exist, let Salesforce's unique key catch races.
  const withTask = plans.filter((p) => p.salesforce.task?.fields.WhoId);
  const known = await rt.store.knownTasks(withTask.map((p) => p.salesforce.task!.key));
  const toTask = withTask.filter((p) => !known.has(p.salesforce.task!.key));
  const tasks = toTask.length ? await rt.salesforce.ensureTasks(toTask.map((p) => p.salesforce.task!)) : [];
  const taskOwner = new Map(toTask.map((p) => [p.salesforce.task!.key, p]));
  const taskFailures = tasks.filter((r) => !r.ok).map((r) => ({ ...r, key: taskOwner.get(r.key)?.hubspotId ?? r.key }));
  failures.push(...failuresOf('salesforce', taskFailures));
  await rt.store.rememberTasks(tasks.filter((r) => r.ok).map((r) => r.key));
  const tasksCreated = tasks.filter((r) => r.ok && r.created).length;
  for (const r of tasks) if (r.ok && r.created) note(taskOwner.get(r.key)!, 'salesforce', 'create Task', [r.key]);

  // 4. HubSpot write-back of what changed.
  const toWrite = plans.filter((p) => Object.keys(p.hubspot).length);
  const written = toWrite.length ? await rt.hubspot.updateContacts(toWrite.map((p) => ({ id: p.hubspotId, properties: p.hubspot }))) : [];
  failures.push(...failuresOf('hubspot', written));
  for (const r of written) if (r.ok) note(byId.get(r.key)!, 'hubspot', 'update contact', Object.keys(byId.get(r.key)!.hubspot));

  for (const p of plans) {
    if (p.transitions.some((t) => t.to === 'mql')) mqlsCreated.inc({ tier: p.evaluation.tier ?? 'none', service_line: p.evaluation.serviceLine });
  }
  const failed = new Set(failures.map((f) => f.hubspotId));
  await rt.store.recordFailures(failures, now);
  for (const system of ['hubspot', 'salesforce'] as const) {
    const clean = plans.filter((p) => !failures.some((f) => f.system === system && f.hubspotId === p.hubspotId)).map((p) => p.hubspotId);
    await rt.store.clearFailures(system, clean);
  }
  await rt.store.audit(audit);
  return {
    writes: { hubspotUpdates: written.filter((r) => r.ok).length, salesforceUpdates: updated.filter((r) => r.ok).length, leadsCreated, tasksCreated },
    failures: failed,
    retryable: [...new Set(failures.filter((f) => f.retryable).map((f) => f.hubspotId))],
    tasks: tasks.filter((r) => r.ok && r.created).map((r) => {
      const p = taskOwner.get(r.key)!;
      return { hubspotId: p.hubspotId, key: r.key, dueAt: String(p.salesforce.task!.fields.ActivityDate) };
    }),
  };
}
