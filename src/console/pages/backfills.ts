/**
 * Backfills: start one (date range, service line, dry run), follow it live, read its report
 * (counts, errors, and for a dry run the writes it would make), cancel it.
 */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { api, withQuery } from '../api';
import { duration, label, num, when } from '../format';
import { useAction, useLoad } from '../hooks';
import type { Backfill, BackfillParams, ConsoleMeta, PlannedWrite } from '../types';
import { Badge, ErrorNote, Freshness, Loading, PageTitle, Progress, Section, Stat, statusTone, Table } from '../ui';

const ENDED = new Set(['completed', 'cancelled', 'failed']);

function scope(p: BackfillParams): string {
  const range = p.ids ? `${num(p.ids.length)} listed contacts` : p.since || p.until ? `changed ${p.since?.slice(0, 10) ?? 'ever'} – ${p.until?.slice(0, 10) ?? 'now'}` : 'every contact';
  return `${range}${p.serviceLine ? `, ${p.serviceLine}` : ''}`;
}

function StartForm(p: { meta: ConsoleMeta | undefined }): VNode {
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [serviceLine, setServiceLine] = useState('');
  const [dryRun, setDryRun] = useState(true);
  const start = useAction(async () => {
    const body: BackfillParams = { dryRun, ...(since ? { since } : {}), ...(until ? { until } : {}), ...(serviceLine ? { serviceLine } : {}) };
    const { id } = await api<{ id: string }>('/admin/backfills', { method: 'POST', body });
    location.hash = `#/backfills/${id}`;
    return id;
  });
  const value = (set: (v: string) => void) => (e: Event) => set((e.target as HTMLInputElement).value);
  return html`
    <form class="form-grid" onSubmit=${(e: Event) => (e.preventDefault(), void start.run())} aria-label="Start a backfill">
      <div class="field"><label for="bf-since">Changed from</label><input id="bf-since" type="date" value=${since} onInput=${value(setSince)} /></div>
      <div class="field"><label for="bf-until">Changed until</label><input id="bf-until" type="date" value=${until} onInput=${value(setUntil)} /></div>
      <div class="field">
        <label for="bf-line">Service line</label>
        <select id="bf-line" value=${serviceLine} onChange=${value(setServiceLine)}>
          <option value="">All service lines</option>
          ${p.meta?.serviceLines.map((l) => html`<option value=${l}>${l}</option>`)}
        </select>
      </div>
      <div class="field check">
        <input id="bf-dry" type="checkbox" checked=${dryRun} onChange=${(e: Event) => setDryRun((e.target as HTMLInputElement).checked)} />
        <label for="bf-dry">Dry run: plan the writes, make none</label>
      </div>
      <div class="field actions">
        <button type="submit" disabled=${start.busy}>${start.busy ? 'Starting…' : dryRun ? 'Start dry run' : 'Start backfill'}</button>
      </div>
      <p class="muted small wide">Leave the dates empty to go through every contact.</p>
      <div class="wide"><${ErrorNote} error=${start.error} /></div>
    </form>
  `;
}

function Planned(p: { id: string }): VNode {
  const planned = useLoad(() => api<PlannedWrite[]>(withQuery(`/admin/backfills/${p.id}/planned`, { limit: 100 })), `planned-${p.id}`);
  if (!planned.data) return html`<${Loading} />`;
  return html`<${Table}
    caption="Writes the dry run planned"
    testid="planned"
    rows=${planned.data}
    empty="Nothing to write: both systems already agree with the definition."
    columns=${[
      { head: 'Contact', cell: (w: PlannedWrite) => html`<a href=${`#/explain/${w.hubspotId}`}>${w.hubspotId}</a>` },
      { head: 'Stage', cell: (w: PlannedWrite) => (w.stage.from === w.stage.to ? w.stage.to : `${w.stage.from} → ${w.stage.to}`) },
      { head: 'HubSpot', cell: (w: PlannedWrite) => Object.keys(w.hubspot).join(', ') || '–' },
      { head: 'Salesforce', cell: (w: PlannedWrite) => [w.salesforce.createLead && 'create Lead', w.salesforce.update && `update ${w.salesforce.update.join(', ')}`, w.salesforce.task && 'follow-up task'].filter(Boolean).join('; ') || '–' },
    ]}
  />`;
}

function Detail(p: { id: string }): VNode {
  const backfill = useLoad(() => api<Backfill>(`/admin/backfills/${p.id}`), p.id, { everyMs: 1_000, keepPolling: (b) => !ENDED.has(b.status) });
  const cancel = useAction(async () => (await api(`/admin/backfills/${p.id}`, { method: 'DELETE' }), backfill.reload(), true));
  const b = backfill.data;
  if (!b) return html`<${Section} title="Backfill"><${ErrorNote} error=${backfill.error} />${!backfill.error && html`<${Loading} />`}</${Section}>`;
  const processed = b.done + b.failed;
  const ended = ENDED.has(b.status);
  return html`
    <${Section} title=${`${b.params.dryRun ? 'Dry run' : 'Backfill'}: ${scope(b.params)}`} id="backfill"
      actions=${html`${!ended && html`<button type="button" class="danger" disabled=${cancel.busy} onClick=${() => cancel.run()}>Cancel</button>`}<a class="button secondary" href="#/backfills">Close</a>`}>
      <p><${Badge} tone=${statusTone(b.status)}><span data-testid="backfill-status">${b.status}</span></${Badge}> <span class="muted small">started ${when(b.createdAt)}${b.finishedAt ? `, ended ${when(b.finishedAt)}` : ''}</span></p>
      <${Progress} value=${processed} max=${Math.max(b.total, processed)} label="Contacts processed" />
      <div class="stats">
        <${Stat} label="Contacts" value=${num(b.total)} hint=${b.enqueueDone ? 'all listed' : 'still listing'} testid="backfill-total" />
        <${Stat} label="Synced" value=${num(b.done)} testid="backfill-done" />
        <${Stat} label="Failed" value=${num(b.failed)} tone=${b.failed ? 'bad' : undefined} />
        <${Stat} label="Rate" value=${`${b.ratePerSecond} /s`} hint=${b.etaSeconds !== null ? `about ${duration(b.etaSeconds)} left` : undefined} />
        ${b.params.dryRun && html`<${Stat} label="Planned writes" value=${num(b.plannedWrites ?? 0)} testid="backfill-planned" />`}
      </div>
      <${ErrorNote} error=${cancel.error} />
      <h3 class="sub">Report</h3>
      <${Table} caption="Counts" rows=${Object.entries(b.counts)} empty="No contacts synced yet."
        columns=${[{ head: 'What', cell: ([k]: [string, number]) => label(k) }, { head: 'Contacts', cell: ([, n]: [string, number]) => num(n), numeric: true }]} />
      ${Object.keys(b.errors).length > 0 && html`
        <h3 class="sub">Errors</h3>
        <${Table} caption="Errors" rows=${Object.entries(b.errors)} columns=${[{ head: 'Error', cell: ([k]: [string, number]) => k }, { head: 'Contacts', cell: ([, n]: [string, number]) => num(n), numeric: true }]} />`}
      ${b.params.dryRun && ended && html`<h3 class="sub">Planned writes (first 100)</h3><${Planned} id=${b.id} />`}
    </${Section}>
  `;
}

export function BackfillsPage(p: { id?: string }): VNode {
  const meta = useLoad(() => api<ConsoleMeta>('/admin/console/meta'), 'meta');
  const list = useLoad(() => api<Backfill[]>('/admin/backfills'), `list-${p.id ?? ''}`, { everyMs: 3_000 });
  return html`
    <${PageTitle} sub="Go through HubSpot's contacts again: all of them, those changed in a date range, or one service line.">Backfills</${PageTitle}>
    <${Section} title="Start a backfill" id="start"><${StartForm} meta=${meta.data} /></${Section}>
    ${p.id && html`<${Detail} key=${p.id} id=${p.id} />`}
    <${Section} title="Recent backfills" id="recent" actions=${html`<${Freshness} loaded=${list} />`}>
      <${ErrorNote} error=${list.error} />
      ${list.data ? html`<${Table}
        caption="Recent backfills"
        testid="backfills"
        rows=${list.data}
        empty="No backfills yet."
        columns=${[
          { head: 'Started', cell: (b: Backfill) => html`<a href=${`#/backfills/${b.id}`}>${when(b.createdAt)}</a>` },
          { head: 'Scope', cell: (b: Backfill) => scope(b.params) },
          { head: 'Kind', cell: (b: Backfill) => (b.params.dryRun ? 'dry run' : 'writes') },
          { head: 'Status', cell: (b: Backfill) => html`<${Badge} tone=${statusTone(b.status)}>${b.status}</${Badge}>` },
          { head: 'Processed', cell: (b: Backfill) => `${num(b.done + b.failed)} / ${num(b.total)}`, numeric: true },
        ]}
      />` : !list.error && html`<${Loading} />`}
    </${Section}>
  `;
}
