/**
 * The second unit of work: "write back these Salesforce outcomes". Reads only the HubSpot
 * lifecycle properties of the contacts concerned, applies the sales decisions and writes
 * what changed. No activities, no evaluation: an outcome costs two HubSpot calls per 100.
 */
import { planOutcome } from '../src/domain/plan';
import type { SalesOutcomeKind } from '../src/domain/types';
import type { HistoryEvent } from '../src/domain/reports/history';
import { outcomesWritten } from './metrics';
import { planContext, type Runtime, type Trigger } from './runtime';

export interface OutcomeItem {
  hubspotId: string;
  sobject: 'Lead' | 'Contact';
  id: string;
  /** The sales-owned fields as read (statuses, reasons, dates: no personal data). */
  fields: Record<string, unknown>;
}

export interface OutcomeReport {
  requested: number;
  written: number;
  unchanged: number;
  missing: string[];
  failures: number;
  outcomes: Record<string, number>;
}

export async function writeOutcomes(rt: Runtime, items: OutcomeItem[], trigger: Trigger): Promise<OutcomeReport> {
  const now = rt.now().toISOString();
  // A converted Lead and its Contact may both change: the Contact is where the lead lives now.
  const latest = new Map<string, OutcomeItem>();
  for (const item of items) {
    const seen = latest.get(item.hubspotId);
    if (!seen || item.sobject === 'Contact' || seen.sobject === 'Lead') latest.set(item.hubspotId, item);
  }
  const records = await rt.hubspot.readContacts([...latest.keys()]);
  const ctx = await planContext(rt);
  const outcomes: Record<string, number> = {};
  const plans = records.map((record) => {
    const item = latest.get(record.id)!;
    const p = planOutcome(ctx, record.properties, { sobject: item.sobject, id: item.id, fields: item.fields }, now);
    for (const t of p.transitions) {
      outcomes[t.to] = (outcomes[t.to] ?? 0) + 1;
      outcomesWritten.inc({ stage: t.to });
    }
    if (p.notes.length) rt.logger.warn({ hubspotId: record.id, notes: p.notes }, 'outcome notes');
    return { id: record.id, properties: p.hubspot, transitions: p.transitions, why: p.transitions.map((t) => `${t.actor}:${t.to}${t.reason ? ` (${t.reason})` : ''}`).join('; ') };
  });
  const history = new Map<string, HistoryEvent[]>();
  for (const p of plans) {
    const entries: HistoryEvent[] = p.transitions
      .filter((t) => t.actor === 'sales')
      .map((t) => ({ kind: 'outcome', at: t.at, outcome: t.to === 'sales_accepted' ? 'accepted' : (t.to as SalesOutcomeKind), ...(t.reason ? { reason: t.reason } : {}) }));
    if (entries.length) history.set(p.id, entries);
  }
  await rt.history.record(history);
  const changed = plans.filter((p) => Object.keys(p.properties).length);
  const results = changed.length ? await rt.hubspot.updateContacts(changed.map(({ id, properties }) => ({ id, properties }))) : [];
  const failures = results.flatMap((r) => (r.ok ? [] : [{ system: 'hubspot' as const, hubspotId: r.key, code: r.code, message: r.message, retryable: r.retryable }]));
  await rt.store.recordFailures(failures, now);
  const why = new Map(changed.map((p) => [p.id, p]));
  await rt.store.audit(
    results.filter((r) => r.ok).map((r) => ({ at: now, trigger, hubspotId: r.key, system: 'hubspot', action: 'write outcome', fields: Object.keys(why.get(r.key)!.properties).join(','), version: ctx.definition.version, why: why.get(r.key)!.why })),
  );
  const found = new Set(records.map((r) => r.id));
  return {
    requested: latest.size,
    written: results.filter((r) => r.ok).length,
    unchanged: plans.length - changed.length,
    missing: [...latest.keys()].filter((id) => !found.has(id)),
    failures: failures.length,
    outcomes,
  };
}
