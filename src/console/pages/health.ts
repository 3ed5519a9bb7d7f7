/**
 * Health: is the sync keeping up? Last runs per trigger, lag behind both systems, queue
 * depths, API budget used and left (24 h chart) and failed records by reason.
 */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { api } from '../api';
import { ChartView } from '../charts';
import { duration, label, ms, num, when } from '../format';
import { useLoad } from '../hooks';
import type { ApiUsage, QueueName, RunRecord, Status } from '../types';
import { Badge, ErrorNote, Freshness, Loading, PageTitle, Section, Stat, Table } from '../ui';
import { FailuresSection } from './failures';

const QUEUES: QueueName[] = ['sync', 'outcomes', 'control'];
const STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed'] as const;
/** Lag above this is worth a look: several poll intervals behind. */
const LAG_WARN_SECONDS = 30 * 60;

const lagTone = (seconds: number | null) => (seconds === null ? undefined : seconds > LAG_WARN_SECONDS ? 'warn' : 'ok');

/** Scheduled, backfill and webhook first (the three triggers), then the rest. */
function orderedRuns(lastRuns: Record<string, RunRecord>): RunRecord[] {
  const rank = (t: string) => ['scheduled', 'backfill', 'webhook'].indexOf(t) >>> 0;
  return Object.values(lastRuns).sort((a, b) => rank(a.trigger) - rank(b.trigger) || a.kind.localeCompare(b.kind));
}

function Runs(p: { status: Status }): VNode {
  return html`<${Table}
    caption="Last run per trigger"
    testid="runs"
    rows=${orderedRuns(p.status.lastRuns)}
    empty="No runs yet: the first scheduled poll, backfill or webhook will show here."
    columns=${[
      { head: 'Trigger', cell: (r: RunRecord) => html`<strong>${r.trigger}</strong> <span class="muted">${r.kind}</span>` },
      { head: 'Finished', cell: (r: RunRecord) => when(r.finishedAt) },
      { head: 'Duration', cell: (r: RunRecord) => ms(r.durationMs), numeric: true },
      { head: 'Counts', cell: (r: RunRecord) => html`<span data-testid=${`run-${r.trigger}-${r.kind}`}>${Object.entries(r.counts).map(([k, n]) => html`<span class="kv">${label(k)} <b>${num(n)}</b></span>`)}</span>` },
      { head: 'Result', cell: (r: RunRecord) => (r.error ? html`<${Badge} tone="bad">error</${Badge}> <span class="small">${r.error}</span>` : html`<${Badge} tone="ok">ok</${Badge}>`) },
    ]}
  />`;
}

function Queues(p: { status: Status }): VNode {
  return html`<${Table}
    caption="Queue depths"
    rows=${QUEUES}
    columns=${[
      { head: 'Queue', cell: (q: QueueName) => q },
      ...STATES.map((s) => ({ head: s, numeric: true, cell: (q: QueueName) => html`<span data-testid=${`queue-${q}-${s}`}>${num(p.status.queues[q]?.[s] ?? 0)}</span>` })),
    ]}
  />`;
}

function Budget(p: { usage: ApiUsage }): VNode {
  const { hubspot, salesforce } = p.usage;
  const labels = hubspot.series.map((point) => new Date(point.at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }));
  const share = (used: number, limit: number | null) => (limit ? `${((used / limit) * 100).toFixed(1)} % used` : undefined);
  return html`
    <div class="stats">
      <${Stat} label="HubSpot calls today (UTC)" value=${num(hubspot.used)} testid="budget-hubspot-used" hint=${`of ${num(hubspot.limit)} a day · ${share(hubspot.used, hubspot.limit)}`} />
      <${Stat} label="HubSpot calls left today" value=${num(hubspot.left)} testid="budget-hubspot-left" tone=${hubspot.left < hubspot.limit * 0.1 ? 'warn' : 'ok'} />
      <${Stat} label="Salesforce calls, last 24 h" value=${num(salesforce.used)} testid="budget-salesforce-used"
        hint=${salesforce.limit === null ? 'share of the org allocation not known yet' : `of this service's ${num(salesforce.limit)} · ${share(salesforce.used, salesforce.limit)}`} />
      <${Stat} label="Salesforce calls left" value=${num(salesforce.left)} testid="budget-salesforce-left"
        hint=${salesforce.org ? `org: ${num(salesforce.org.remaining)} of ${num(salesforce.org.max)} left (checked ${when(salesforce.org.checkedAt)})` : salesforce.orgError ?? ''} />
    </div>
    <${ChartView}
      type="line"
      label=${`API calls per ${p.usage.bucketMinutes} minutes over the last 24 hours, HubSpot and Salesforce`}
      labels=${labels}
      series=${[{ label: 'HubSpot', data: hubspot.series.map((s) => s.calls) }, { label: 'Salesforce', data: salesforce.series.map((s) => s.calls) }]}
    />
  `;
}

export function HealthPage(): VNode {
  const status = useLoad(() => api<Status>('/admin/status'), 'status', { everyMs: 5_000 });
  const usage = useLoad(() => api<ApiUsage>('/admin/api-usage'), 'usage', { everyMs: 30_000 });
  const s = status.data;
  const queued = s ? QUEUES.reduce((n, q) => n + (s.queues[q]?.waiting ?? 0) + (s.queues[q]?.prioritized ?? 0), 0) : 0;
  return html`
    <${PageTitle} sub="Refreshes every 5 seconds.">Health</${PageTitle}>
    <${ErrorNote} error=${status.error} />
    ${!s ? html`<${Loading} />` : html`
      <div class="stats" aria-label="Summary">
        <${Stat} label="Live definition" value=${s.definitionVersion} testid="definition-version" text />
        <${Stat} label="Behind HubSpot" value=${duration(s.lagSeconds.hubspot)} testid="lag-hubspot" tone=${lagTone(s.lagSeconds.hubspot)} hint=${s.lagSeconds.hubspot === null ? 'no poll yet' : 'since the last change read'} />
        <${Stat} label="Behind Salesforce" value=${duration(s.lagSeconds.salesforce)} testid="lag-salesforce" tone=${lagTone(s.lagSeconds.salesforce)} hint=${s.lagSeconds.salesforce === null ? 'no outcome poll yet' : 'since the last decision read'} />
        <${Stat} label="Failed records" value=${num(s.failures)} testid="failures-count" tone=${s.failures ? 'bad' : 'ok'} />
        <${Stat} label="Jobs waiting" value=${num(queued)} testid="jobs-waiting" />
      </div>
      <${Section} title="Last runs" id="runs" actions=${html`<${Freshness} loaded=${status} />`}><${Runs} status=${s} /></${Section}>
      <${Section} title="Queues" id="queues"><${Queues} status=${s} /></${Section}>
    `}
    <${Section} title="API budget" id="budget">
      <${ErrorNote} error=${usage.error} />
      ${usage.data ? html`<${Budget} usage=${usage.data} />` : !usage.error && html`<${Loading} />`}
    </${Section}>
    <${FailuresSection} onChange=${() => status.reload()} />
  `;
}
