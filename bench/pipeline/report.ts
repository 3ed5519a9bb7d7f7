/** The figures of a pipeline benchmark run, as the results file holds them and as a table a person reads. */
import type { BackfillRun } from './backfill';
import type { Minimum } from './minimum';
import type { NearRealTimeRun } from './near-real-time';
import type { ReceiverRun } from './receiver';

export interface Figures {
  mode: 'quick' | 'full';
  contacts: number;
  settings: Record<string, unknown>;
  backfill?: ReturnType<typeof backfillFigures>;
  webhook?: NearRealTimeRun;
  receiver?: ReceiverRun;
  scaleOut?: ReturnType<typeof scaleOutFigures>;
  /** The same contacts backfilled by id: no listing chain. */
  scaleOutByIds?: ReturnType<typeof scaleOutFigures>;
  evaluate?: { contacts: number; activitiesPerContact: number; contactsPerSecond: number; peakRssMb: number };
}

const per1000 = (n: number, contacts: number) => Math.round((n / contacts) * 10_000) / 10;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Accepted HubSpot requests per second over the middle 80 % of the run, against the allowed rate. */
export function utilisation(run: BackfillRun, allowedPer10s: number): { steadyRequestsPerSecond: number; rateLimitUtilisation: number } {
  const s = run.seconds;
  const steady = s.slice(Math.floor(s.length * 0.1), Math.max(Math.floor(s.length * 0.1) + 1, Math.ceil(s.length * 0.9)));
  const perSecond = steady.length ? steady.reduce((n, x) => n + x.total - x.rateLimited, 0) / steady.length : 0;
  return { steadyRequestsPerSecond: round(perSecond, 1), rateLimitUtilisation: round(perSecond / (allowedPer10s / 10), 3) };
}

export function backfillFigures(run: BackfillRun, minimum: Minimum, allowedPer10s: number, unlimitedHubspotPerSecond: number | undefined) {
  const { contacts } = run;
  const minimumTotal = minimum.hubspotTotal + minimum.salesforceTotal;
  const perEndpoint = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, per1000(v, contacts)]));
  const { steadyRequestsPerSecond, rateLimitUtilisation } = utilisation(run, allowedPer10s);
  return {
    contacts,
    wallSeconds: round(run.wallSeconds, 1),
    contactsPerSecond: round(run.contactsPerSecond, 1),
    done: run.done,
    failed: run.failed,
    errors: run.errors,
    writes: run.counts,
    apiCallsPer1000: {
      hubspot: per1000(run.calls.hubspotTotal, contacts),
      salesforce: per1000(run.calls.salesforceTotal, contacts),
      total: per1000(run.calls.hubspotTotal + run.calls.salesforceTotal, contacts),
      minimum: per1000(minimumTotal, contacts),
      minimumHubspot: per1000(minimum.hubspotTotal, contacts),
      minimumSalesforce: per1000(minimum.salesforceTotal, contacts),
      ratio: round((run.calls.hubspotTotal + run.calls.salesforceTotal) / minimumTotal, 3),
      ratioHubspot: round(run.calls.hubspotTotal / minimum.hubspotTotal, 3),
      ratioSalesforce: round(run.calls.salesforceTotal / minimum.salesforceTotal, 3),
      byEndpoint: { hubspot: perEndpoint(run.calls.hubspot), salesforce: perEndpoint(run.calls.salesforce) },
      minimumByItem: { hubspot: perEndpoint(minimum.hubspot), salesforce: perEndpoint(minimum.salesforce) },
    },
    hubspotRateLimited: run.calls.hubspotRateLimited,
    allowedHubspotPerSecond: allowedPer10s / 10,
    steadyHubspotRequestsPerSecond: steadyRequestsPerSecond,
    rateLimitUtilisation,
    /** HubSpot requests per second the same backfill makes with the limit lifted: above the allowed rate means limit-bound. */
    unlimitedHubspotRequestsPerSecond: unlimitedHubspotPerSecond === undefined ? null : round(unlimitedHubspotPerSecond, 1),
    hubspotRequestsPerSecondSeries: run.seconds.map((x) => x.total),
    rssMb: run.rssMb,
    cpuSeconds: run.cpuSeconds,
  };
}

export function scaleOutFigures(one: BackfillRun, two: BackfillRun) {
  const side = (r: BackfillRun) => ({
    workers: r.workers, contacts: r.contacts, wallSeconds: round(r.wallSeconds, 1), contactsPerSecond: round(r.contactsPerSecond, 1),
    hubspotRequestsPerSecond: round(r.calls.hubspotTotal / r.wallSeconds, 1), cpuSeconds: r.cpuSeconds,
    /** Share of one core each process used during the run. */
    cpuShare: Object.fromEntries(Object.entries(r.cpuSeconds).map(([k, v]) => [k, round(v / r.wallSeconds, 2)])),
    failed: r.failed, rssMb: r.rssMb, chunks: r.chunks,
  });
  return { oneWorker: side(one), twoWorkers: side(two), ratio: round(two.contactsPerSecond / one.contactsPerSecond, 2) };
}

function row(cells: Array<string | number>, widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join('  ');
}

const verdict = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? 'met' : 'MISSED');

export function table(f: Figures): string {
  const lines: string[] = [];
  const widths = [52, 14, 22, 7];
  const add = (name: string, value: string | number, target = '', ok?: boolean) => lines.push(row([name, value, target, verdict(ok)], widths));
  const head = (title: string) => lines.push('', title, row(['', 'measured', 'target', ''], widths));
  if (f.backfill) {
    const b = f.backfill;
    const a = b.apiCallsPer1000;
    head(`1. Backfill of ${b.contacts.toLocaleString('en')} contacts, HubSpot ${b.allowedHubspotPerSecond * 10}/10 s, latency ${String(f.settings.latencyMs)} ms`);
    add('wall time (s)', b.wallSeconds);
    add('contacts/s', b.contactsPerSecond);
    add('contacts failed', b.failed, '0', b.failed === 0);
    add('HubSpot calls per 1,000 contacts', a.hubspot, `<= ${round(a.minimumHubspot * 1.15, 1)}`, a.hubspot <= a.minimumHubspot * 1.15);
    add('Salesforce calls per 1,000 contacts', a.salesforce, `<= ${round(a.minimumSalesforce * 1.15, 1)}`, a.salesforce <= a.minimumSalesforce * 1.15);
    add('all calls per 1,000 (minimum)', `${a.total} (${a.minimum})`, 'ratio <= 1.15', a.ratio <= 1.15);
    add('  ratio actual / minimum', a.ratio);
    add('HubSpot requests/s while limit-bound', b.steadyHubspotRequestsPerSecond, `of ${b.allowedHubspotPerSecond} allowed`);
    add('rate-limit utilisation', b.rateLimitUtilisation, '>= 0.85', b.rateLimitUtilisation >= 0.85);
    add('HubSpot 429 answers', b.hubspotRateLimited);
    add('worker RSS peak (MB)', b.rssMb.peak, '<= 300', b.rssMb.peak <= 300);
    add('worker RSS at 25% / 100% (MB)', `${b.rssMb.at25} / ${b.rssMb.at100}`, '100% within 10%', b.rssMb.at100 <= b.rssMb.at25 * 1.1);
    add('CPU seconds', Object.entries(b.cpuSeconds).map(([k, v]) => `${k} ${v}`).join(', '));
    lines.push('', '   calls per 1,000 contacts by endpoint (measured | minimum by item):');
    for (const system of ['hubspot', 'salesforce'] as const) {
      for (const [endpoint, n] of Object.entries(a.byEndpoint[system])) lines.push(`     ${String(n).padStart(7)}  ${endpoint}`);
      lines.push(`     ${''.padStart(7)}  minimum: ${Object.entries(a.minimumByItem[system]).map(([k, v]) => `${k} ${v}`).join('; ')}`);
    }
  }
  if (f.webhook) {
    const w = f.webhook;
    head(`2. Near-real-time: ${w.targetEventsPerSecond} webhook events/s for ${w.seconds} s on ${w.contactsDriven} contacts`);
    add('events sent / delivered (incl. echoes)', `${w.eventsDriven} / ${w.eventsDelivered}`);
    add('webhook sync jobs (contacts synced)', `${w.webhookSyncJobs} (${w.contactsSyncedByWebhookJobs})`);
    add('events lost (never read by a later sync)', w.eventsLost, '0', w.eventsLost === 0);
    add('latency samples (events with a Salesforce write)', w.samples);
    add('event -> Salesforce p50 / p95 (ms)', `${w.p50Ms} / ${w.p95Ms}`);
    add('event -> Salesforce p99 (ms)', w.p99Ms, '<= 2000', w.p99Ms <= 2000);
    add('event -> Salesforce max (ms)', w.maxMs);
  }
  if (f.receiver) {
    const r = f.receiver;
    head(`3. Receiver: signed webhook POSTs, ${r.connections} connections, ${round(r.seconds, 0)} s`);
    add('requests/s accepted (2xx)', r.requestsPerSecond, '>= 2000', r.requestsPerSecond >= 2000);
    add('p50 / p99 latency (ms)', `${r.p50Ms} / ${r.p99Ms}`, 'p99 < 50', r.p99Ms < 50);
    add('non-2xx / errors', `${r.non2xx} / ${r.errors}`, '0', r.non2xx + r.errors === 0);
  }
  const scaleOut = (s: ReturnType<typeof scaleOutFigures>, title: string, target: boolean) => {
    head(title);
    for (const side of [s.oneWorker, s.twoWorkers]) {
      add(`${side.workers} worker${side.workers > 1 ? 's' : ''}: contacts/s`, side.contactsPerSecond);
      add('  CPU share of a core', Object.entries(side.cpuShare).map(([k, v]) => `${k} ${v}`).join(', '));
      add('  chunks: started every / each took (s)', `${side.chunks.medianGapSeconds} / ${side.chunks.medianSeconds}`);
      add('  chunks running at once (mean)', side.chunks.meanInFlight);
    }
    add('ratio 2 workers / 1 worker', s.ratio, target ? '>= 1.6' : '', target ? s.ratio >= 1.6 : undefined);
  };
  if (f.scaleOut) scaleOut(f.scaleOut, `4. Scale-out: backfill of ${f.scaleOut.oneWorker.contacts.toLocaleString('en')} contacts, rate limits lifted`, true);
  if (f.scaleOutByIds) scaleOut(f.scaleOutByIds, '4b. The same contacts backfilled by id (no listing chain)', false);
  if (f.evaluate) {
    head(`5. Evaluation engine: ${f.evaluate.contacts.toLocaleString('en')} contacts x ~${f.evaluate.activitiesPerContact} activities, one core`);
    add('contacts/s', f.evaluate.contactsPerSecond, '>= 100000', f.evaluate.contactsPerSecond >= 100_000);
  }
  return lines.join('\n');
}
