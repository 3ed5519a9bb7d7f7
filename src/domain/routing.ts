/** Who follows up an MQL and by when: the first matching routing rule, then the defaults. */
import type { Escalation, RoutingMapping } from '../mappings/schema';

export interface Route {
  rule: string;
  taskOwnerId: string;
  leadOwnerId: string;
  slaHours: number;
  /** What to do with the task when its SLA runs out untouched; null: only measure it. */
  escalation: Escalation | null;
}

const lower = (s: string) => s.trim().toLowerCase();
const asList = (v: string | string[]) => (Array.isArray(v) ? v : [v]).map(lower);

export function routeFor(routing: RoutingMapping, lead: { serviceLine: string; country: string | null; tier: string | null }): Route {
  const tier = lead.tier ?? 'C';
  const rule = routing.rules.find(({ when }) =>
    (when.serviceLine === undefined || asList(when.serviceLine).includes(lower(lead.serviceLine))) &&
    (when.countryIn === undefined || (lead.country !== null && asList(when.countryIn).includes(lower(lead.country)))) &&
    (when.tier === undefined || asList(when.tier).includes(lower(tier))),
  );
  const sla = { ...routing.defaults.slaHours, ...(rule?.slaHours ?? {}) };
  return {
    rule: rule?.name ?? 'defaults',
    taskOwnerId: rule?.taskOwnerId ?? routing.defaults.taskOwnerId,
    leadOwnerId: rule?.leadOwnerId ?? routing.defaults.leadOwnerId,
    // A tier without its own SLA gets the slowest one configured, never none.
    slaHours: sla[tier] ?? Math.max(...Object.values(sla), 24),
    escalation: rule?.escalation ?? routing.defaults.escalation ?? null,
  };
}
