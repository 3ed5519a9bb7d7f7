/**
 * Counts every API call by system, endpoint and outcome, for metrics and for the
 * benchmark's "API calls per 1,000 contacts". One registry per process.
 */
import { Counter, Gauge, Registry } from 'prom-client';

export const metricsRegistry = new Registry();

export const apiCalls = new Counter({
  name: 'lsync_api_calls_total',
  help: 'API calls made, by system, endpoint and outcome',
  labelNames: ['system', 'endpoint', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const apiBudgetRemaining = new Gauge({
  name: 'lsync_api_budget_remaining',
  help: 'API calls left in the current window, by system and window',
  labelNames: ['system', 'window'] as const,
  registers: [metricsRegistry],
});

export type System = 'hubspot' | 'salesforce';

/** `outcome` is `ok`, an HTTP status class like `4xx`, or an error code like `UNABLE_TO_LOCK_ROW`. */
export function countCall(system: System, endpoint: string, outcome: string): void {
  apiCalls.inc({ system, endpoint, outcome });
}

/** Total calls per system and endpoint so far, read from the counter. */
export async function callTotals(): Promise<Record<System, { total: number; byEndpoint: Record<string, number> }>> {
  const out: Record<System, { total: number; byEndpoint: Record<string, number> }> = {
    hubspot: { total: 0, byEndpoint: {} },
    salesforce: { total: 0, byEndpoint: {} },
  };
  for (const { labels, value } of (await apiCalls.get()).values) {
    const system = labels.system as System;
    const endpoint = String(labels.endpoint);
    out[system].total += value;
    out[system].byEndpoint[endpoint] = (out[system].byEndpoint[endpoint] ?? 0) + value;
  }
  return out;
}
