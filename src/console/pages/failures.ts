/**
 * Failed records grouped by reason (the API's error code), with "retry" per record and
 * "retry all for this reason"; failed jobs grouped by their error, retried the same way.
 */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { num, when } from '../format';
import { useAction, useLoad } from '../hooks';
import type { FailedJob, FailureRecord, Failures } from '../types';
import { Badge, ErrorNote, Section, Table } from '../ui';

function groupBy<T>(items: T[], key: (item: T) => string): Array<[string, T[]]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
}

/** A job's error, first line, as the reason it is grouped by. */
const jobReason = (job: FailedJob) => (job.reason ?? 'unknown error').split('\n')[0]!.slice(0, 160);

export function FailuresSection(p: { onChange: () => void }): VNode {
  const failures = useLoad(() => api<Failures>('/admin/failures'), 'failures', { everyMs: 5_000 });
  const [done, setDone] = useState<string | undefined>(undefined);
  const retry = useAction(async (path: string, body: unknown, message: string) => {
    await api(path, { method: 'POST', body });
    setDone(message);
    failures.reload();
    p.onChange();
    return true;
  });
  const retryJobs = useAction(async (jobs: FailedJob[]) => {
    for (const job of jobs) await api(`/admin/failures/${encodeURIComponent(job.id)}/retry`, { method: 'POST', body: {} });
    setDone(`${jobs.length} job${jobs.length === 1 ? '' : 's'} queued again.`);
    failures.reload();
    p.onChange();
    return true;
  });
  const data = failures.data;
  const busy = retry.busy || retryJobs.busy;

  const recordGroup = ([code, records]: [string, FailureRecord[]]) => html`
    <article class="group" data-testid=${`failure-group-${code}`}>
      <div class="group-head">
        <h3><code>${code}</code> <${Badge} tone="bad">${num(records.length)}</${Badge}></h3>
        <button type="button" disabled=${busy} onClick=${() => retry.run('/admin/failures/retry', { code }, `${records.length} contact${records.length === 1 ? '' : 's'} queued for a retry (${code}).`)}>
          Retry all for this reason
        </button>
      </div>
      <p class="small">${records[0]!.message}</p>
      <${Table}
        caption=${`Records failing with ${code}`}
        rows=${records}
        columns=${[
          { head: 'Contact', cell: (r: FailureRecord) => html`<a href=${`#/explain/${r.hubspotId}`}>${r.hubspotId}</a>` },
          { head: 'System', cell: (r: FailureRecord) => r.system },
          { head: 'Attempts', cell: (r: FailureRecord) => num(r.attempts), numeric: true },
          { head: 'Last seen', cell: (r: FailureRecord) => when(r.lastSeen) },
          { head: '', cell: (r: FailureRecord) => html`<button type="button" class="secondary" disabled=${busy} aria-label=${`Retry contact ${r.hubspotId}`} onClick=${() => retry.run(`/admin/failures/${encodeURIComponent(r.id)}/retry`, {}, `Contact ${r.hubspotId} queued for a retry.`)}>Retry</button>` },
        ]}
      />
    </article>
  `;

  const jobGroup = ([reason, jobs]: [string, FailedJob[]]) => html`
    <article class="group">
      <div class="group-head">
        <h3><span class="small">${reason}</span> <${Badge} tone="bad">${num(jobs.length)}</${Badge}></h3>
        <button type="button" disabled=${busy} onClick=${() => retryJobs.run(jobs)}>Retry all for this reason</button>
      </div>
      <${Table}
        caption="Failed jobs"
        rows=${jobs}
        columns=${[
          { head: 'Job', cell: (j: FailedJob) => html`<code>${j.queue}/${j.name}</code>` },
          { head: 'Contacts', cell: (j: FailedJob) => num(j.contacts), numeric: true },
          { head: 'Attempts', cell: (j: FailedJob) => num(j.attempts), numeric: true },
          { head: 'Failed', cell: (j: FailedJob) => when(j.failedAt) },
          { head: '', cell: (j: FailedJob) => html`<button type="button" class="secondary" disabled=${busy} onClick=${() => retryJobs.run([j])}>Retry</button>` },
        ]}
      />
    </article>
  `;

  return html`
    <${Section} title="Failures" id="failures">
      <${ErrorNote} error=${failures.error ?? retry.error ?? retryJobs.error} />
      ${done && html`<p class="notice ok" role="status">${done}</p>`}
      ${data && data.records.length === 0 && data.jobs.length === 0 && html`<p class="muted">No failed records or jobs.</p>`}
      ${data && data.records.length > 0 && html`<h3 class="sub">Records, by reason</h3>${groupBy(data.records, (r) => r.code).map(recordGroup)}`}
      ${data && data.jobs.length > 0 && html`<h3 class="sub">Jobs, by reason</h3>${groupBy(data.jobs, jobReason).map(jobGroup)}`}
    </${Section}>
  `;
}
