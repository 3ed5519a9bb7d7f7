/**
 * Definitions: the live version and the candidates, a rule-by-rule diff of any candidate
 * against the live one, uploading a candidate, and a backtest of it on stored history.
 */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { api, withQuery } from '../api';
import { when } from '../format';
import { useAction, useLoad } from '../hooks';
import type { DefinitionChange, DefinitionListing } from '../types';
import { Badge, ErrorNote, Loading, PageTitle, Section, Table } from '../ui';
import { Backtest } from './backtest';

/** Who acts is recorded with every change; remembered in this browser for the next one. */
const WHO_KEY = 'lsync-console-who';

function Diff(p: { version: string }): VNode {
  const diff = useLoad(() => api<{ from: string; to: string; changes: DefinitionChange[] }>(withQuery('/admin/definitions/diff', { from: 'live', to: p.version })), p.version);
  if (!diff.data) return html`<${ErrorNote} error=${diff.error} />${!diff.error && html`<${Loading} />`}`;
  return html`
    <p class="muted">${diff.data.from} → ${diff.data.to}</p>
    <${Table} caption="Rule-by-rule changes" testid="diff" rows=${diff.data.changes} empty="The two versions have the same rules."
      columns=${[
        { head: 'Change', cell: (c: DefinitionChange) => html`<${Badge} tone=${c.change === 'added' ? 'ok' : c.change === 'removed' ? 'bad' : 'info'}>${c.change}</${Badge}>` },
        { head: 'Rule', cell: (c: DefinitionChange) => c.item },
        { head: 'Details', cell: (c: DefinitionChange) => html`<ul class="plain">${c.details.map((d) => html`<li>${d}</li>`)}</ul>` },
      ]} />
  `;
}

function Upload(p: { onUploaded: (version: string) => void }): VNode {
  const [who, setWho] = useState(localStorage.getItem(WHO_KEY) ?? '');
  const [yaml, setYaml] = useState('');
  const [result, setResult] = useState<string | undefined>(undefined);
  const upload = useAction(async () => {
    localStorage.setItem(WHO_KEY, who);
    const r = await api<{ definition: { version: string }; created: boolean; warnings: string[] }>('/admin/definitions', { method: 'POST', body: { yaml, by: who, name: 'console upload' } });
    setResult(`${r.created ? 'Uploaded' : 'Already stored:'} ${r.definition.version}.${r.warnings.length ? ` Warnings: ${r.warnings.join('; ')}` : ''}`);
    p.onUploaded(r.definition.version);
    return true;
  });
  return html`
    <form class="stack" aria-label="Upload a candidate definition" onSubmit=${(e: Event) => (e.preventDefault(), void upload.run())}>
      <div class="field"><label for="def-who">Your name (recorded with the upload)</label><input id="def-who" required maxLength="80" value=${who} onInput=${(e: Event) => setWho((e.target as HTMLInputElement).value)} /></div>
      <div class="field"><label for="def-yaml">Definition (YAML, with a new version label)</label><textarea id="def-yaml" required rows="10" spellcheck="false" value=${yaml} onInput=${(e: Event) => setYaml((e.target as HTMLTextAreaElement).value)}></textarea></div>
      <div><button type="submit" disabled=${upload.busy}>${upload.busy ? 'Uploading…' : 'Upload candidate'}</button></div>
      <${ErrorNote} error=${upload.error} />
      ${result && html`<p class="notice ok" role="status">${result}</p>`}
    </form>
  `;
}

export function DefinitionsPage(): VNode {
  const list = useLoad(() => api<{ live: string; definitions: DefinitionListing[] }>('/admin/definitions'), 'definitions');
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const candidates = list.data?.definitions.filter((d) => !d.live) ?? [];
  const chosen = selected ?? candidates[0]?.version;
  return html`
    <${PageTitle} sub="Change the MQL definition safely: compare, backtest on history, then go live from the CLI or API.">Definitions</${PageTitle}>
    <${Section} title="Versions" id="versions">
      <${ErrorNote} error=${list.error} />
      ${list.data ? html`<${Table} caption="Definition versions" testid="definitions" rows=${list.data.definitions}
        columns=${[
          { head: 'Version', cell: (d: DefinitionListing) => html`<code>${d.version}</code>` },
          { head: 'State', cell: (d: DefinitionListing) => (d.live ? html`<${Badge} tone="ok">live</${Badge}>` : d.shadow ? html`<${Badge} tone="info">shadow</${Badge}>` : html`<${Badge}>candidate</${Badge}>`) },
          { head: 'Uploaded', cell: (d: DefinitionListing) => `${when(d.uploadedAt)} by ${d.uploadedBy}` },
          { head: '', cell: (d: DefinitionListing) => (d.live ? '' : html`<button type="button" class="secondary" aria-pressed=${chosen === d.version} onClick=${() => setSelected(d.version)}>Compare and backtest</button>`) },
        ]} />` : !list.error && html`<${Loading} />`}
    </${Section}>
    ${chosen && html`
      <${Section} title=${`Changes in ${chosen} against the live version`} id="diff"><${Diff} key=${chosen} version=${chosen} /></${Section}>
      <${Section} title=${`Backtest ${chosen}`} id="backtest"><${Backtest} key=${chosen} version=${chosen} /></${Section}>`}
    <${Section} title="Upload a candidate" id="upload"><${Upload} onUploaded=${(v: string) => (setSelected(v), list.reload())} /></${Section}>
  `;
}
