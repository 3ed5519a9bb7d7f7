/**
 * A backtest of a candidate on the stored history (no API calls): MQLs per week under both
 * definitions, outcomes, precision and recall, and the contacts that flip.
 */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { ChartView } from '../charts';
import { ms, num, pct, when } from '../format';
import { useAction, useLoad } from '../hooks';
import type { BacktestRun, DefinitionStats, Flip } from '../types';
import { Badge, ErrorNote, Progress, Stat, Table } from '../ui';

const ROWS: Array<[string, (s: DefinitionStats) => string]> = [
  ['MQLs', (s) => num(s.mqls)],
  ['judged by sales', (s) => num(s.outcomes.judged)],
  ['accepted (SAL)', (s) => num(s.outcomes.accepted)],
  ['SQL', (s) => num(s.outcomes.sql)],
  ['disqualified', (s) => num(s.outcomes.disqualified)],
  ['precision (SQL / judged)', (s) => pct(s.outcomes.precision)],
  ['recall (SQLs caught)', (s) => `${pct(s.recall.recall)} (${num(s.recall.caught)} of ${num(s.recall.sqls)})`],
];

/** The rules whose points differ for this contact, else the thresholds that moved. */
function changed(f: Flip): string {
  if (!f.detail) return '';
  const rules = f.detail.reasons.slice(0, 3).map((c) => `${c.rule} ${c.current ?? '–'}→${c.candidate ?? '–'}`);
  const { current, candidate } = f.detail.thresholds;
  const thresholds = (['fit', 'engagement'] as const).filter((k) => current[k] !== candidate[k]).map((k) => `${k} threshold ${current[k]}→${candidate[k]}`);
  return [...rules, ...thresholds].join(', ');
}

function Report(p: { run: BacktestRun }): VNode {
  const r = p.run.result!;
  const weeks = [...new Set([...Object.keys(r.current.perWeek), ...Object.keys(r.candidate.perWeek)])].sort();
  return html`
    <div class="stats">
      <${Stat} label="Contacts replayed" value=${num(r.contacts)} hint=${`${num(r.evaluations)} evaluations in ${ms(p.run.durationMs)}`} testid="backtest-contacts" />
      <${Stat} label="Gained MQLs" value=${num(r.flips.gained)} hint="MQL under the candidate only" testid="backtest-gained" />
      <${Stat} label="Lost MQLs" value=${num(r.flips.lost)} hint="MQL under the live version only" testid="backtest-lost" />
      ${r.skippedNoInputs > 0 && html`<${Stat} label="Skipped" value=${num(r.skippedNoInputs)} hint="no stored inputs to replay" tone="warn" />`}
    </div>
    ${weeks.length > 0 && html`<${ChartView} type="bar" label=${`New MQLs per week: ${r.current.version} and ${r.candidate.version}`} labels=${weeks}
      series=${[{ label: r.current.version, data: weeks.map((w) => r.current.perWeek[w] ?? 0) }, { label: r.candidate.version, data: weeks.map((w) => r.candidate.perWeek[w] ?? 0) }]} />`}
    <${Table} caption="Both definitions on the same history" testid="backtest-summary" rows=${ROWS}
      columns=${[{ head: '', cell: ([name]: (typeof ROWS)[number]) => name }, { head: r.current.version, cell: ([, f]: (typeof ROWS)[number]) => f(r.current), numeric: true }, { head: r.candidate.version, cell: ([, f]: (typeof ROWS)[number]) => f(r.candidate), numeric: true }]} />
    <h3 class="sub">Flipped contacts${r.flips.truncated ? ` (first ${r.flips.listed.length})` : ''}</h3>
    <${Table} caption="Contacts whose verdict differs" testid="flips" rows=${r.flips.listed} empty="No contact changes verdict."
      columns=${[
        { head: 'Contact', cell: (f: Flip) => html`<a href=${`#/explain/${f.id}`}>${f.id}</a>` },
        { head: 'Flip', cell: (f: Flip) => html`<${Badge} tone=${f.direction === 'gained' ? 'ok' : 'warn'}>${f.direction}</${Badge}>` },
        { head: 'At', cell: (f: Flip) => when(f.at) },
        { head: 'Live', cell: (f: Flip) => `${f.current.status} (${f.current.total})` },
        { head: 'Candidate', cell: (f: Flip) => `${f.candidate.status} (${f.candidate.total})` },
        { head: 'Sales said', cell: (f: Flip) => f.salesResult },
        { head: 'What changed', cell: (f: Flip) => changed(f) },
      ]} />
  `;
}

function Run(p: { id: string }): VNode {
  const run = useLoad(() => api<BacktestRun>(`/admin/backtests/${p.id}`), p.id, { everyMs: 1_000, keepPolling: (r) => r.status === 'running' });
  const r = run.data;
  if (!r) return html`<${ErrorNote} error=${run.error} />`;
  return html`
    <p><${Badge} tone=${r.status === 'done' ? 'ok' : r.status === 'failed' ? 'bad' : 'info'}><span data-testid="backtest-status">${r.status}</span></${Badge}> <span class="muted small">${r.current} against ${r.candidate}</span></p>
    ${r.status === 'running' && html`<${Progress} value=${r.contacts} max=${Math.max(r.contacts, 1)} label="Contacts replayed" /><p class="muted small">${num(r.contacts)} contacts so far…</p>`}
    ${r.status === 'failed' && html`<p class="notice bad" role="alert">${r.error}</p>`}
    ${r.status === 'done' && r.result && html`<${Report} run=${r} />`}
  `;
}

export function Backtest(p: { version: string }): VNode {
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [id, setId] = useState<string | undefined>(undefined);
  const start = useAction(async () => {
    const body = { candidateVersion: p.version, ...(since ? { since } : {}), ...(until ? { until } : {}) };
    setId((await api<{ id: string }>('/admin/backtests', { method: 'POST', body })).id);
    return true;
  });
  const value = (set: (v: string) => void) => (e: Event) => set((e.target as HTMLInputElement).value);
  return html`
    <form class="form-grid" aria-label="Run a backtest" onSubmit=${(e: Event) => (e.preventDefault(), void start.run())}>
      <div class="field"><label for="bt-since">Window from</label><input id="bt-since" type="date" value=${since} onInput=${value(setSince)} /></div>
      <div class="field"><label for="bt-until">until</label><input id="bt-until" type="date" value=${until} onInput=${value(setUntil)} /></div>
      <div class="field actions"><button type="submit" disabled=${start.busy}>Run backtest</button></div>
      <p class="muted small wide">Replays every stored contact under both definitions; makes no API calls.</p>
    </form>
    <${ErrorNote} error=${start.error} />
    ${id && html`<${Run} key=${id} id=${id} />`}
  `;
}
