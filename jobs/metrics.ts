/** Prometheus metrics of the jobs, in the same registry as the API-call counters. */
import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry } from '../connectors/accounting';
import type { Store } from './store';

export const jobsTotal = new Counter({
  name: 'lsync_jobs_total',
  help: 'Units of work finished, by kind, trigger and outcome',
  labelNames: ['kind', 'trigger', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const jobDuration = new Histogram({
  name: 'lsync_job_duration_seconds',
  help: 'Duration of units of work',
  labelNames: ['kind', 'trigger'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
  registers: [metricsRegistry],
});

export const webhookLatency = new Histogram({
  name: 'lsync_webhook_to_write_seconds',
  help: "From a webhook event's occurredAt to the end of the sync that handled it",
  buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
  registers: [metricsRegistry],
});

export const mqlsCreated = new Counter({
  name: 'lsync_mqls_created_total',
  help: 'Contacts that became MQL',
  labelNames: ['tier', 'service_line'] as const,
  registers: [metricsRegistry],
});

export const outcomesWritten = new Counter({
  name: 'lsync_outcomes_written_total',
  help: 'Sales outcomes written back to HubSpot, by stage',
  labelNames: ['stage'] as const,
  registers: [metricsRegistry],
});

/**
 * How far the service is behind each system: now minus the position of its cursor, read when
 * Prometheus scrapes (no extra work between scrapes).
 */
export function registerLagGauge(store: Store): void {
  if (metricsRegistry.getSingleMetric('lsync_lag_seconds')) return;
  new Gauge({
    name: 'lsync_lag_seconds',
    help: 'Seconds between now and the last change each poll has taken in, by system',
    labelNames: ['system'] as const,
    registers: [metricsRegistry],
    async collect() {
      const [hubspot, lead, contact] = await Promise.all([
        store.getCursor<{ modifiedAt: number }>('hubspot-contacts'),
        store.getCursor<{ modstamp: number }>('salesforce-Lead'),
        store.getCursor<{ modstamp: number }>('salesforce-Contact'),
      ]);
      const now = Date.now();
      if (hubspot) this.set({ system: 'hubspot' }, Math.max(0, (now - hubspot.modifiedAt) / 1000));
      const sf = Math.min(lead?.modstamp ?? Infinity, contact?.modstamp ?? Infinity);
      if (Number.isFinite(sf)) this.set({ system: 'salesforce' }, Math.max(0, (now - sf) / 1000));
    },
  });
}

export const recordFailuresTotal = new Counter({
  name: 'lsync_record_failures_total',
  help: 'Records an API refused (each attempt), by system and error code',
  labelNames: ['system', 'code'] as const,
  registers: [metricsRegistry],
});

let failureSource: Store | undefined;

/**
 * Records kept as failures right now (visible in /admin/failures, waiting for a fix and a
 * re-drive), by system, read from Redis when Prometheus scrapes. The last store given is read.
 */
export function registerFailureGauge(store: Store): void {
  failureSource = store;
  if (metricsRegistry.getSingleMetric('lsync_failed_records')) return;
  new Gauge({
    name: 'lsync_failed_records',
    help: 'Records an API refused that are kept for a re-drive, by system',
    labelNames: ['system'] as const,
    registers: [metricsRegistry],
    async collect() {
      this.reset();
      for (const [system, n] of Object.entries((await failureSource?.failureCounts()) ?? {})) this.set({ system }, n);
    },
  });
}
