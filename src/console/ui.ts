/** Small building blocks shared by the pages: figures, tables, notices, badges, progress. */
import { html } from 'htm/preact';
import type { ComponentChildren, VNode } from 'preact';
import { clock } from './format';
import type { Loaded } from './hooks';

/** A headline number (`text`: a word or label, set smaller). `testid` lets the browser tests compare it with the API. */
export function Stat(p: { label: string; value: ComponentChildren; hint?: ComponentChildren; testid?: string; tone?: 'ok' | 'warn' | 'bad'; text?: boolean }): VNode {
  return html`
    <div class=${`stat ${p.tone ?? ''}`}>
      <div class="stat-label">${p.label}</div>
      <div class=${`stat-value${p.text ? ' text' : ''}`} data-testid=${p.testid}>${p.value}</div>
      ${p.hint !== undefined && html`<div class="stat-hint">${p.hint}</div>`}
    </div>
  `;
}

export function Section(p: { title: string; id?: string; actions?: ComponentChildren; children: ComponentChildren }): VNode {
  const headingId = p.id ? `${p.id}-title` : undefined;
  return html`
    <section class="card" id=${p.id} aria-labelledby=${headingId}>
      <div class="card-head">
        <h2 id=${headingId}>${p.title}</h2>
        ${p.actions && html`<div class="card-actions">${p.actions}</div>`}
      </div>
      ${p.children}
    </section>
  `;
}

export interface Column<T> {
  head: string;
  cell: (row: T) => ComponentChildren;
  numeric?: boolean;
}

/** A table that scrolls sideways inside its card on narrow screens, never the page. */
export function Table<T>(p: { columns: Array<Column<T>>; rows: T[]; empty?: string; caption?: string; testid?: string }): VNode {
  if (p.rows.length === 0) return html`<p class="muted">${p.empty ?? 'Nothing to show.'}</p>`;
  return html`
    <div class="table-wrap" tabindex="0" role="region" aria-label=${p.caption ?? 'table'}>
      <table data-testid=${p.testid}>
        ${p.caption && html`<caption class="visually-hidden">${p.caption}</caption>`}
        <thead><tr>${p.columns.map((c) => html`<th scope="col" class=${c.numeric ? 'n' : ''}>${c.head}</th>`)}</tr></thead>
        <tbody>${p.rows.map((row) => html`<tr>${p.columns.map((c) => html`<td class=${c.numeric ? 'n' : ''}>${c.cell(row)}</td>`)}</tr>`)}</tbody>
      </table>
    </div>
  `;
}

export function ErrorNote(p: { error: string | undefined }): VNode | null {
  return p.error ? html`<p class="notice bad" role="alert">${p.error}</p>` : null;
}

export function Badge(p: { children: ComponentChildren; tone?: Tone }): VNode {
  return html`<span class=${`badge ${p.tone ?? 'muted'}`}>${p.children}</span>`;
}

type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'muted';
const TONES: Record<string, Tone> = { completed: 'ok', done: 'ok', running: 'info', queued: 'muted', cancelled: 'warn', failed: 'bad', mql: 'ok', needs_review: 'warn', excluded: 'bad' };
export const statusTone = (status: string): Tone => TONES[status] ?? 'muted';

export function Progress(p: { value: number; max: number; label: string }): VNode {
  const share = p.max > 0 ? Math.min(1, p.value / p.max) : 0;
  return html`
    <div class="progress" role="progressbar" aria-label=${p.label} aria-valuemin="0" aria-valuemax=${p.max} aria-valuenow=${p.value}>
      <div class="progress-bar" style=${{ width: `${(share * 100).toFixed(1)}%` }}></div>
    </div>
  `;
}

/** "Updated 12:04:05" and a refresh button, for pages that poll. */
export function Freshness(p: { loaded: Loaded<unknown> }): VNode {
  return html`
    <span class="muted small" aria-live="polite">Updated ${clock(p.loaded.at)}</span>
    <button type="button" class="secondary" onClick=${() => p.loaded.reload()}>Refresh</button>
  `;
}

/** The page's heading, focused after navigation so keyboard and screen-reader users land on it. */
export function PageTitle(p: { children: ComponentChildren; sub?: ComponentChildren }): VNode {
  return html`
    <header class="page-head">
      <h1 tabindex="-1" id="page-title">${p.children}</h1>
      ${p.sub && html`<p class="muted">${p.sub}</p>`}
    </header>
  `;
}

export const Loading = (): VNode => html`<p class="muted" aria-live="polite">Loading…</p>`;
