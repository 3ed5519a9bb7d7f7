/**
 * Explain a contact: found by e-mail or HubSpot id; its scores and reasons now, its history of
 * evaluations and sales outcomes, the matched Salesforce record and the writes a sync would
 * make now. Reading it costs a few HubSpot and Salesforce calls and writes nothing.
 */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { ChartView } from '../charts';
import { num, when } from '../format';
import { useAction, useLoad } from '../hooks';
import type { Explanation, HistoryEntry, Reason } from '../types';
import { Badge, ErrorNote, Loading, PageTitle, Section, Stat, statusTone, Table } from '../ui';

type Found = { id: string; name: string; company: string | null };

function Search(p: { onMany: (found: Found[]) => void }): VNode {
  const [query, setQuery] = useState('');
  const search = useAction(async (q: string) => {
    const text = q.trim();
    if (/^\d{1,20}$/.test(text)) return void (location.hash = `#/explain/${text}`);
    const { contacts } = await api<{ contacts: Found[] }>('/admin/contacts/search', { method: 'POST', body: { email: text } });
    if (contacts.length === 0) throw new Error('HubSpot has no contact with that e-mail address.');
    if (contacts.length === 1) location.hash = `#/explain/${contacts[0]!.id}`;
    else p.onMany(contacts);
  });
  return html`
    <form class="card form-grid" role="search" aria-label="Find a contact" onSubmit=${(e: Event) => (e.preventDefault(), void search.run(query))}>
      <div class="field grow">
        <label for="contact-query">E-mail address or HubSpot contact id</label>
        <input id="contact-query" type="search" autocomplete="off" spellcheck="false" required value=${query} onInput=${(e: Event) => setQuery((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field actions"><button type="submit" disabled=${search.busy}>${search.busy ? 'Searching…' : 'Explain'}</button></div>
      <div class="wide"><${ErrorNote} error=${search.error} /></div>
    </form>
  `;
}

const historyText = (e: HistoryEntry): string => {
  if (e.kind === 'evaluation') return `${e.shadow ? 'shadow ' : ''}${e.status}${e.stage ? ` → ${e.stage}` : ''}${e.tier ? `, tier ${e.tier}` : ''}, ${e.serviceLine}`;
  if (e.kind === 'outcome') return `sales: ${e.outcome}${e.reason ? ` (${e.reason})` : ''}`;
  return `follow-up ${e.event.replace('_', ' ')}${e.via ? ` via ${e.via}` : ''}${e.dueAt ? `, due ${when(e.dueAt)}` : ''}`;
};

function History(p: { id: string }): VNode {
  const history = useLoad(() => api<{ entries: HistoryEntry[] }>(`/admin/contacts/${p.id}/history`), p.id);
  if (!history.data) return html`<${ErrorNote} error=${history.error} />${!history.error && html`<${Loading} />`}`;
  const entries = history.data.entries;
  const live = entries.filter((e): e is Extract<HistoryEntry, { kind: 'evaluation' }> => e.kind === 'evaluation' && !e.shadow);
  return html`
    ${live.length > 1 && html`<${ChartView} type="line" label="Score at each live evaluation: fit, engagement and total" labels=${live.map((e) => when(e.at))}
      series=${[{ label: 'total', data: live.map((e) => e.total) }, { label: 'fit', data: live.map((e) => e.fit) }, { label: 'engagement', data: live.map((e) => e.engagement) }]} />`}
    <${Table} caption="History of evaluations and outcomes" testid="history" rows=${[...entries].reverse()} empty="No history yet: the service has not synced this contact."
      columns=${[
        { head: 'When', cell: (e: HistoryEntry) => when(e.at) },
        { head: 'What', cell: (e: HistoryEntry) => historyText(e) },
        { head: 'Score', cell: (e: HistoryEntry) => (e.kind === 'evaluation' ? `${e.total} (fit ${e.fit}, engagement ${e.engagement})` : ''), numeric: true },
        { head: 'Definition', cell: (e: HistoryEntry) => (e.kind === 'evaluation' ? e.version : '') },
      ]} />
  `;
}

function Writes(p: { x: Explanation }): VNode {
  const hubspot = Object.entries(p.x.wouldWrite.hubspot);
  const sf = p.x.wouldWrite.salesforce;
  const salesforce = [sf.createLead && 'create a Lead', sf.update && `update ${sf.update.join(', ')}`, sf.task && `create the follow-up task ${sf.task}`].filter((s): s is string => Boolean(s));
  if (hubspot.length === 0 && salesforce.length === 0) return html`<p data-testid="would-write">Nothing: both systems already show what the definition says.</p>`;
  return html`
    <div data-testid="would-write">
      ${hubspot.length > 0 && html`<h3 class="sub">HubSpot</h3><${Table} caption="HubSpot properties a sync would write" rows=${hubspot}
        columns=${[{ head: 'Property', cell: ([k]: [string, string]) => html`<code>${k}</code>` }, { head: 'Value', cell: ([, v]: [string, string]) => html`<span class="pre">${v}</span>` }]} />`}
      ${salesforce.length > 0 && html`<h3 class="sub">Salesforce</h3><ul>${salesforce.map((s) => html`<li>${s}</li>`)}</ul>`}
    </div>
  `;
}

function Contact(p: { id: string }): VNode {
  const explain = useLoad(() => api<Explanation>(`/admin/contacts/${p.id}/explain`), p.id);
  const x = explain.data;
  if (!x) return html`<${Section} title=${`Contact ${p.id}`}><${ErrorNote} error=${explain.error} />${!explain.error && html`<${Loading} />`}</${Section}>`;
  const e = x.evaluation;
  return html`
    <${Section} title=${x.contact.name || `Contact ${x.contact.id}`} id="contact" actions=${html`<button type="button" class="secondary" onClick=${() => explain.reload()}>Explain again</button>`}>
      <p class="muted">${[x.contact.jobTitle, x.contact.company, `HubSpot id ${x.contact.id}`].filter(Boolean).join(' · ')}</p>
      <div class="stats">
        <${Stat} label="Verdict" value=${html`<${Badge} tone=${statusTone(e.status)}><span data-testid="explain-status">${e.status}</span></${Badge}>`} hint=${`definition ${e.definitionVersion}`} />
        <${Stat} label="Total score" value=${num(e.score.total)} testid="explain-total" hint=${`fit ${num(e.score.fit)} · engagement ${num(e.score.engagement)}`} />
        <${Stat} label="Tier" value=${e.tier ?? '–'} hint=${e.priority ? `priority ${e.priority}` : undefined} />
        <${Stat} label="Service line" value=${e.serviceLineLabel} text />
        <${Stat} label="Stage" value=${x.lifecycle.current === x.lifecycle.next ? x.lifecycle.current : `${x.lifecycle.current} → ${x.lifecycle.next}`} testid="explain-stage" hint=${x.lifecycle.mqlDate ? `MQL since ${when(x.lifecycle.mqlDate)}` : undefined} />
      </div>
      ${x.lifecycle.notes.length > 0 && html`<ul class="notes">${x.lifecycle.notes.map((n) => html`<li>${n}</li>`)}</ul>`}
    </${Section}>
    <div class="grid-2">
      <${Section} title="Reasons">
        <${Table} caption="Reasons behind the score" testid="reasons" rows=${e.reasons} empty="No rule gave points."
          columns=${[{ head: 'Points', cell: (r: Reason) => (r.points > 0 ? `+${r.points}` : String(r.points)), numeric: true }, { head: 'Why', cell: (r: Reason) => r.detail }]} />
        <p class="muted small">${num(x.activities)} activities read; last engagement ${when(e.lastEngagementAt)}.</p>
      </${Section}>
      <${Section} title="Salesforce">
        ${x.salesforce.record
          ? html`<p data-testid="explain-salesforce">Matched ${x.salesforce.record.sobject} <code>${x.salesforce.record.id}</code> <span class="muted">(by ${x.salesforce.via.replace('_', ' ')})</span></p>`
          : html`<p data-testid="explain-salesforce">No matching Lead or Contact.</p>`}
        ${x.salesforce.ambiguous.length > 0 && html`<p class="notice warn">Also matched: ${x.salesforce.ambiguous.join(', ')}</p>`}
        <h3 class="sub">What a sync would write now</h3>
        <${Writes} x=${x} />
      </${Section}>
    </div>
    <${Section} title="History"><${History} id=${x.contact.id} /></${Section}>
  `;
}

export function ExplainPage(p: { id?: string }): VNode {
  const [many, setMany] = useState<Found[]>([]);
  return html`
    <${PageTitle} sub="Why a contact is where it is, and what a sync would change.">Explain a contact</${PageTitle}>
    <${Search} onMany=${setMany} />
    ${many.length > 1 && html`<${Section} title="Several contacts have that address"><ul>${many.map((c) => html`<li><a href=${`#/explain/${c.id}`} onClick=${() => setMany([])}>${c.name || c.id}</a> ${c.company ?? ''}</li>`)}</ul></${Section}>`}
    ${p.id && html`<${Contact} key=${p.id} id=${p.id} />`}
  `;
}
