/**
 * Tracks the handoff of each MQL episode, from the scheduled outcome poll: first sales
 * touches read from Salesforce Tasks go into the history, and episodes still untouched at
 * their SLA deadline are recorded as breaches once and, when routing.yaml says so,
 * escalated (task priority raised, task re-assigned). Costs one Task query per poll when
 * nothing happened, plus one query and one update per 200 escalations.
 */
import { Counter, Histogram } from 'prom-client';
import { metricsRegistry } from '../connectors/accounting';
import type { OutcomeCursor, TaskTouch } from '../connectors/ports';
import { episodeStartOf, handoffEpisodes, touchedEpisode } from '../src/domain/reports/handoff';
import { routeFor } from '../src/domain/routing';
import type { HistoryEvent } from '../src/domain/reports/history';
import type { Runtime } from './runtime';

const CURSOR = 'salesforce-Task';
/** SystemModstamp precedes commit: re-read a short overlap; recorded touches are not recorded again. */
const OVERLAP_MS = 120_000;
/** Breaches handled per poll; more wait for the next one. */
const BREACHES_PER_POLL = 1000;

export const firstTouchHours = new Histogram({
  name: 'lsync_handoff_first_touch_hours',
  help: 'Hours from the start of an MQL episode to the first sales touch',
  labelNames: ['via'] as const,
  buckets: [1, 2, 4, 8, 12, 24, 48, 72, 120, 168],
  registers: [metricsRegistry],
});

export const slaBreaches = new Counter({
  name: 'lsync_handoff_breaches_total',
  help: 'MQL follow-ups still untouched at their SLA deadline, by tier and escalation',
  labelNames: ['tier', 'escalation'] as const,
  registers: [metricsRegistry],
});

export interface HandoffPollReport {
  touches: number;
  firstTouches: number;
  breaches: number;
  escalated: number;
}

const hubspotIdOf = (key: string) => key.slice(key.indexOf(':') + 1, key.lastIndexOf(':'));

async function entriesOf(rt: Runtime, ids: string[]): Promise<Map<string, HistoryEvent[]>> {
  // Sent together: ioredis pipelines commands issued in the same tick.
  const lists = await Promise.all(ids.map((id) => rt.history.entries(id)));
  return new Map(ids.map((id, i) => [id, lists[i]!]));
}

async function recordTouches(rt: Runtime, touches: TaskTouch[]): Promise<number> {
  const known = await entriesOf(rt, [...new Set(touches.map((t) => t.hubspotId))]);
  const fresh = new Map<string, HistoryEvent[]>();
  for (const touch of [...touches].sort((a, b) => (a.at < b.at ? -1 : 1))) {
    const entries = known.get(touch.hubspotId)!;
    const key = touchedEpisode(entries, touch);
    if (!key) continue;
    const entry: HistoryEvent = { kind: 'task', at: touch.at, event: 'first_touch', key, via: touch.kind };
    entries.push(entry);
    fresh.set(touch.hubspotId, [...(fresh.get(touch.hubspotId) ?? []), entry]);
    firstTouchHours.observe({ via: touch.kind }, Math.max(0, Date.parse(touch.at) - episodeStartOf(key)) / 3_600_000);
  }
  const keys = [...fresh.values()].flat().map((e) => (e.kind === 'task' ? e.key : ''));
  await rt.history.record(fresh);
  if (keys.length) await rt.store.redis.zrem(rt.store.key('handoff', 'open'), ...keys);
  return keys.length;
}

/** Episodes past their deadline with no touch: record the breach once, escalate as configured. */
async function handleBreaches(rt: Runtime): Promise<{ breaches: number; escalated: number }> {
  const open = rt.store.key('handoff', 'open');
  const now = rt.now();
  const due = await rt.store.redis.zrangebyscore(open, '-inf', now.getTime(), 'LIMIT', 0, BREACHES_PER_POLL);
  if (due.length === 0) return { breaches: 0, escalated: 0 };
  const ids = [...new Set(due.map(hubspotIdOf))];
  const [entries, inputs] = await Promise.all([entriesOf(rt, ids), Promise.all(ids.map((id) => rt.history.inputs(id)))]);
  const country = new Map(ids.map((id, i) => [id, inputs[i]?.contact.country ?? null]));
  const breached: Array<{ id: string; key: string; tier: string; fields: Record<string, unknown> }> = [];
  for (const key of due) {
    const id = hubspotIdOf(key);
    const episode = handoffEpisodes(id, entries.get(id) ?? [], now.toISOString()).find((e) => e.key === key);
    if (!episode?.overdue || episode.flagged) continue;
    const route = routeFor(rt.mappings.routing, { serviceLine: episode.serviceLine ?? '', country: country.get(id) ?? null, tier: episode.tier });
    const fields: Record<string, unknown> = {};
    if (route.escalation?.priority) fields.Priority = route.escalation.priority;
    if (route.escalation?.reassignTo) fields.OwnerId = route.escalation.reassignTo;
    breached.push({ id, key, tier: episode.tier ?? 'none', fields });
  }
  const toEscalate = breached.filter((b) => Object.keys(b.fields).length);
  const results = toEscalate.length ? await rt.salesforce.updateOpenTasks(toEscalate.map((b) => ({ key: b.key, fields: b.fields }))) : [];
  const result = new Map(results.map((r) => [r.key, r]));
  const history = new Map<string, HistoryEvent[]>();
  const done: string[] = due.filter((key) => !breached.some((b) => b.key === key));
  let recorded = 0;
  let escalated = 0;
  for (const b of breached) {
    const r = result.get(b.key);
    // A transient refusal of one task: leave the episode for the next poll.
    if (r && !r.ok && r.retryable) continue;
    const via = r?.ok ? [b.fields.Priority ? 'priority' : '', b.fields.OwnerId ? 'reassign' : ''].filter(Boolean).join('+') : 'none';
    recorded++;
    if (via !== 'none') escalated++;
    history.set(b.id, [...(history.get(b.id) ?? []), { kind: 'task', at: now.toISOString(), event: 'breached', key: b.key, via }]);
    slaBreaches.inc({ tier: b.tier, escalation: via });
    done.push(b.key);
  }
  await rt.history.record(history);
  if (done.length) await rt.store.redis.zrem(open, ...done);
  if (breached.length) rt.logger.info({ breaches: breached.length, escalated }, 'handoff SLA breaches');
  return { breaches: recorded, escalated };
}

export async function trackHandoffs(rt: Runtime): Promise<HandoffPollReport> {
  const report: HandoffPollReport = { touches: 0, firstTouches: 0, breaches: 0, escalated: 0 };
  const saved = await rt.store.getCursor<OutcomeCursor>(CURSOR);
  const cursor = saved && { modstamp: saved.modstamp - OVERLAP_MS, id: '' };
  let last: OutcomeCursor | undefined;
  for await (const page of rt.salesforce.tasksSince(cursor)) {
    report.touches += page.touches.length;
    report.firstTouches += await recordTouches(rt, page.touches);
    await rt.store.setCursor(CURSOR, page.cursor);
    last = page.cursor;
  }
  // The first read takes every completed follow-up but no logged activity; logged ones count
  // from now on, not from the oldest follow-up (that could be the org's whole activity log).
  const start = rt.now().getTime();
  if (!saved && (!last || last.modstamp < start)) await rt.store.setCursor(CURSOR, { modstamp: start, id: '' });
  return { ...report, ...(await handleBreaches(rt)) };
}
