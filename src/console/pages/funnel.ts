/**
 * Funnel: MQLs per week by tier and service line, MQL -> SAL -> SQL, time to first sales
 * touch and SLA breaches, disqualification reasons by source; one window, optionally one
 * definition version (numbers from different versions are otherwise mixed, and say so).
 */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { api, withQuery } from '../api';
import { ChartView } from '../charts';
import { hours, isoDate, num, pct } from '../format';
import { useLoad } from '../hooks';
import type { Counts, Dashboard, DefinitionListing, FunnelRow, HandoffGroup } from '../types';
import { ErrorNote, Loading, PageTitle, Section, Stat, Table } from '../ui';

const WEEK_MS = 7 * 86_400_000;

/** One series per key (tier, line) over the weeks, zero where a week has none. */
const weekly = (weeks: string[], by: Record<string, Counts>) => Object.entries(by).sort(([a], [b]) => a.localeCompare(b)).map(([key, counts]) => ({ label: key, data: weeks.map((w) => counts[w] ?? 0) }));

function reasonsBySource(rows: FunnelRow[]) {
  const sources = rows.filter((r) => r.disqualified > 0);
  const reasons = [...new Set(sources.flatMap((r) => Object.keys(r.disqualificationReasons)))].sort();
  return { labels: sources.map((r) => r.key), series: reasons.map((reason) => ({ label: reason, data: sources.map((r) => r.disqualificationReasons[reason] ?? 0) })) };
}

const funnelColumns = (first: string) => [
  { head: first, cell: (r: FunnelRow) => r.key },
  { head: 'MQLs', cell: (r: FunnelRow) => num(r.mqls), numeric: true },
  { head: 'SAL', cell: (r: FunnelRow) => num(r.sal), numeric: true },
  { head: 'SQL', cell: (r: FunnelRow) => num(r.sql), numeric: true },
  { head: 'MQL→SAL', cell: (r: FunnelRow) => pct(r.mqlToSal), numeric: true },
  { head: 'SAL→SQL', cell: (r: FunnelRow) => pct(r.salToSql), numeric: true },
  { head: 'Disqualified', cell: (r: FunnelRow) => num(r.disqualified), numeric: true },
  { head: 'Open', cell: (r: FunnelRow) => num(r.open), numeric: true },
];

const handoffColumns = [
  { head: 'Tier', cell: (g: HandoffGroup) => g.key },
  { head: 'Follow-ups', cell: (g: HandoffGroup) => num(g.episodes), numeric: true },
  { head: 'Touched', cell: (g: HandoffGroup) => num(g.touched), numeric: true },
  { head: 'Median to touch', cell: (g: HandoffGroup) => hours(g.hoursToFirstTouch.median), numeric: true },
  { head: 'p90 to touch', cell: (g: HandoffGroup) => hours(g.hoursToFirstTouch.p90), numeric: true },
  { head: 'SLA breaches', cell: (g: HandoffGroup) => `${num(g.breached)} (${pct(g.breachRate)})`, numeric: true },
  { head: 'Overdue now', cell: (g: HandoffGroup) => num(g.overdue), numeric: true },
];

function Report(p: { d: Dashboard }): VNode {
  const { weekly: w, funnel, handoff } = p.d;
  const t = funnel.total;
  const dq = reasonsBySource(funnel.bySource);
  return html`
    ${!p.d.version && Object.keys(w.versions).length > 1 && html`<p class="notice warn" role="status">These MQLs were made by ${Object.keys(w.versions).length} definition versions (${Object.entries(w.versions).map(([v, n]) => `${v}: ${n}`).join(', ')}). Pick one to compare like with like.</p>`}
    <div class="stats">
      <${Stat} label="MQLs" value=${num(t.mqls)} testid="funnel-mqls" />
      <${Stat} label="Sales accepted (SAL)" value=${num(t.sal)} hint=${`${pct(t.mqlToSal)} of MQLs`} testid="funnel-sal" />
      <${Stat} label="Sales qualified (SQL)" value=${num(t.sql)} hint=${`${pct(t.mqlToSql)} of MQLs`} testid="funnel-sql" />
      <${Stat} label="Median time to first touch" value=${hours(handoff.total.hoursToFirstTouch.median)} hint=${`p90 ${hours(handoff.total.hoursToFirstTouch.p90)}`} />
      <${Stat} label="SLA breaches" value=${num(handoff.total.breached)} hint=${`${pct(handoff.total.breachRate)} of ${num(handoff.total.episodes)} follow-ups`} tone=${handoff.total.breached ? 'warn' : 'ok'} testid="funnel-breaches" />
    </div>
    <div class="grid-2">
      <${Section} title="MQLs per week by tier">
        ${w.weeks.length ? html`<${ChartView} type="bar" stacked label="MQLs per week, stacked by tier" labels=${w.weeks} series=${weekly(w.weeks, w.byTier)} />` : html`<p class="muted">No MQLs in this window.</p>`}
      </${Section}>
      <${Section} title="MQLs per week by service line">
        ${w.weeks.length ? html`<${ChartView} type="bar" stacked label="MQLs per week, stacked by service line" labels=${w.weeks} series=${weekly(w.weeks, w.byServiceLine)} />` : html`<p class="muted">No MQLs in this window.</p>`}
      </${Section}>
    </div>
    <${Section} title="MQL → SAL → SQL">
      <${ChartView} type="bar" horizontal label="Funnel: MQLs, sales accepted, sales qualified, disqualified" labels=${['MQL', 'SAL', 'SQL', 'Disqualified', 'Recycled', 'Open']}
        series=${[{ label: 'Contacts', data: [t.mqls, t.sal, t.sql, t.disqualified, t.recycled, t.open] }]} />
      <${Table} caption="Funnel by service line" rows=${funnel.byServiceLine} columns=${funnelColumns('Service line')} empty="No MQLs in this window." />
      <${Table} caption="Funnel by tier" rows=${funnel.byTier} columns=${funnelColumns('Tier')} empty="" />
    </${Section}>
    <${Section} title="Handoff: time to first sales touch and SLA">
      ${handoff.byTier.length > 0 && html`<${ChartView} type="bar" decimals label="Hours from MQL to first sales touch by tier, median and 90th percentile" labels=${handoff.byTier.map((g) => g.key)}
        series=${[{ label: 'median h', data: handoff.byTier.map((g) => g.hoursToFirstTouch.median ?? 0) }, { label: 'p90 h', data: handoff.byTier.map((g) => g.hoursToFirstTouch.p90 ?? 0) }]} />`}
      <${Table} caption="Handoff by tier" rows=${handoff.byTier} columns=${handoffColumns} empty="No follow-up tasks in this window." />
    </${Section}>
    <${Section} title="Disqualification reasons by source">
      ${dq.labels.length ? html`<${ChartView} type="bar" horizontal stacked label="Disqualified MQLs by original source, stacked by reason" labels=${dq.labels} series=${dq.series} />` : html`<p class="muted">No disqualified MQLs in this window.</p>`}
      <${Table} caption="Funnel by source" rows=${funnel.bySource} columns=${funnelColumns('Source')} empty="" />
    </${Section}>
  `;
}

export function FunnelPage(): VNode {
  const [filters, setFilters] = useState({ since: isoDate(new Date(Date.now() - 12 * WEEK_MS)), until: '', version: '' });
  const [draft, setDraft] = useState(filters);
  const definitions = useLoad(() => api<{ live: string; definitions: DefinitionListing[] }>('/admin/definitions'), 'definitions');
  const report = useLoad(() => api<Dashboard>(withQuery('/admin/reports/dashboard', filters)), JSON.stringify(filters));
  const versions = [...new Set([...(definitions.data?.definitions.map((d) => d.version) ?? []), ...Object.keys(report.data?.weekly.versions ?? {})])].sort();
  const set = (key: keyof typeof draft) => (e: Event) => setDraft({ ...draft, [key]: (e.target as HTMLInputElement).value });
  return html`
    <${PageTitle} sub="From the history the service keeps: no HubSpot or Salesforce calls.">Funnel</${PageTitle}>
    <form class="card form-grid" aria-label="Filters" onSubmit=${(e: Event) => (e.preventDefault(), setFilters(draft))}>
      <div class="field"><label for="f-since">MQLs from</label><input id="f-since" type="date" value=${draft.since} onInput=${set('since')} /></div>
      <div class="field"><label for="f-until">until</label><input id="f-until" type="date" value=${draft.until} onInput=${set('until')} /></div>
      <div class="field">
        <label for="f-version">Definition version</label>
        <select id="f-version" value=${draft.version} onChange=${set('version')}>
          <option value="">All versions</option>
          ${versions.map((v) => html`<option value=${v}>${v}${v === definitions.data?.live ? ' (live)' : ''}</option>`)}
        </select>
      </div>
      <div class="field actions"><button type="submit">Show</button></div>
    </form>
    <${ErrorNote} error=${report.error} />
    ${report.data ? html`<${Report} d=${report.data} />` : !report.error && html`<${Loading} />`}
  `;
}
