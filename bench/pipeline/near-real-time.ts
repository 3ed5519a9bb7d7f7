/**
 * Near-real-time: the simulated portal sends signed webhooks to the API process at a
 * steady rate (activities on contacts that have a Salesforce record, in bursts on one
 * contact), and the latency is measured from each event's `occurredAt` to the Salesforce
 * record written by the first sync that started after it (the sync's start from the audit
 * stream, the write from the simulator's SystemModstamp). "Lost" is checked from the
 * service's own record of each contact's latest inputs: the last sync of a contact must have
 * read it after each of its events.
 */
import { inflateRawSync } from 'node:zlib';
import type { Deployment } from './deployment';
import type { DrivenEvent } from './sandbox-host';
import { WEBHOOK_SECRET } from './service-env';

export interface NearRealTimeRun {
  targetEventsPerSecond: number;
  seconds: number;
  contactsDriven: number;
  eventsDriven: number;
  eventsDelivered: number;
  deliveryFailures: number;
  webhookSyncJobs: number;
  contactsSyncedByWebhookJobs: number;
  /** Events whose contact was read by a sync after them. */
  eventsSeen: number;
  eventsLost: number;
  /** Lost events by the activity type that caused them. */
  lostByType: Record<string, number>;
  /** Latency samples: events followed by a Salesforce write. */
  samples: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  drainSeconds: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Waits until the simulator has delivered everything and the service has nothing left to do. */
async function drain(deployment: Deployment, maxMs: number): Promise<number> {
  const started = Date.now();
  let quietSince = 0;
  while (Date.now() - started < maxMs) {
    const busy = !(await deployment.sandbox.api.webhooksIdle()) || (await deployment.redis.zcard(`${deployment.prefix}:webhook:pending`)) > 0 || (await deployment.pendingJobs()) > 0;
    if (busy) quietSince = 0;
    else if (quietSince === 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= 1000) break;
    await sleep(100);
  }
  return (Date.now() - started) / 1000;
}

/** Sync starts (audit `at`) per contact and system, from the audit entries written since `fromMs`. */
async function syncStarts(deployment: Deployment, fromMs: number): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  const entries = await deployment.redis.xrange(`${deployment.prefix}:audit`, `${fromMs}-0`, '+');
  for (const [, fields] of entries) {
    const entry: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2) entry[fields[i]!] = fields[i + 1]!;
    if (entry.system !== 'salesforce' || !entry.hubspotId || !entry.at) continue;
    const list = out.get(entry.hubspotId) ?? [];
    list.push(Date.parse(entry.at));
    out.set(entry.hubspotId, list);
  }
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}

/**
 * The latest activity instant each contact's last sync evaluated. The driver's activities
 * happen "now", after every seeded one: a later instant proves a read after the event
 * (page views without the web-events API keep only the last view's exact time).
 */
async function lastEvaluated(deployment: Deployment, ids: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const raws = await Promise.all(ids.map((id) => deployment.redis.getBuffer(`${deployment.prefix}:hinputs:${id}`)));
  ids.forEach((id, i) => {
    const raw = raws[i];
    const inputs = raw ? (JSON.parse(inflateRawSync(raw).toString('utf8')) as { activities: Array<{ at: string }> }) : { activities: [] };
    out.set(id, Math.max(-Infinity, ...inputs.activities.map((a) => Date.parse(a.at))));
  });
  return out;
}

export async function runNearRealTime(deployment: Deployment, options: { eventsPerSecond: number; seconds: number; seed: number }): Promise<NearRealTimeRun> {
  const sandbox = deployment.sandbox.api;
  await drain(deployment, 120_000);
  const linked = await sandbox.linkedContacts();
  if (linked.length === 0) throw new Error('no contact has a Salesforce record: run the backfill first');
  await sandbox.setWebhookUrl(`${deployment.apiUrl}/webhooks/hubspot`, WEBHOOK_SECRET);
  const before = (await sandbox.stats()).hubspot.webhooks;
  const startedAt = Date.now();
  await sandbox.watchSalesforce(true);
  const driven: DrivenEvent[] = await sandbox.drive(linked, { eventsPerSecond: options.eventsPerSecond, seconds: options.seconds, burstiness: 0.3, seed: options.seed });
  const drainSeconds = await drain(deployment, 120_000);
  const writes = await sandbox.watchSalesforce(false);
  const after = (await sandbox.stats()).hubspot.webhooks;
  await sandbox.setWebhookUrl(undefined, WEBHOOK_SECRET);

  const writesOf = new Map<string, number[]>();
  for (const w of writes) writesOf.set(w.hubspotId, [...(writesOf.get(w.hubspotId) ?? []), w.at]);
  for (const list of writesOf.values()) list.sort((a, b) => a - b);
  const starts = await syncStarts(deployment, startedAt);
  const contacts = [...new Set(driven.map((d) => d.contactId))];
  const evaluated = await lastEvaluated(deployment, contacts);

  const latencies: number[] = [];
  let seen = 0;
  let lost = 0;
  const lostByType: Record<string, number> = {};
  for (const d of driven) {
    if ((evaluated.get(d.contactId) ?? -Infinity) >= d.occurredAt) seen += d.events;
    else {
      lost += d.events;
      lostByType[d.type] = (lostByType[d.type] ?? 0) + d.events;
    }
    const start = starts.get(d.contactId)?.find((s) => s >= d.occurredAt);
    const write = start === undefined ? undefined : writesOf.get(d.contactId)?.find((w) => w >= start);
    if (write !== undefined) for (let i = 0; i < d.events; i++) latencies.push(write - d.occurredAt);
  }
  latencies.sort((a, b) => a - b);
  const runs = await deployment.redis.lrange(`${deployment.prefix}:runs`, 0, -1);
  const webhookRuns = runs.map((r) => JSON.parse(r) as { trigger: string; kind: string; startedAt: string; counts?: { contacts?: number } })
    .filter((r) => r.trigger === 'webhook' && r.kind === 'sync' && Date.parse(r.startedAt) >= startedAt);
  return {
    targetEventsPerSecond: options.eventsPerSecond,
    seconds: options.seconds,
    contactsDriven: contacts.length,
    eventsDriven: driven.reduce((n, d) => n + d.events, 0),
    eventsDelivered: after.eventsDelivered - before.eventsDelivered,
    deliveryFailures: after.attemptsFailed - before.attemptsFailed,
    webhookSyncJobs: webhookRuns.length,
    contactsSyncedByWebhookJobs: webhookRuns.reduce((n, r) => n + (r.counts?.contacts ?? 0), 0),
    eventsSeen: seen,
    eventsLost: lost,
    lostByType,
    samples: latencies.length,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies[latencies.length - 1] ?? NaN,
    drainSeconds,
  };
}
