/**
 * One backfill of the whole portal through the admin API, with the worker processes started
 * once it is queued. Measures wall time, the calls the simulators counted (per system and
 * endpoint), HubSpot requests per second, the workers' RSS (at 25 % and 100 % of the
 * contacts, and its peak) and the CPU seconds of every process involved.
 */
import type { Deployment } from './deployment';
import { cpuSecondsOf, memoryOf } from './processes';
import type { SecondSample } from './sandbox-host';

export interface BackfillRun {
  contacts: number;
  workers: number;
  wallSeconds: number;
  contactsPerSecond: number;
  done: number;
  failed: number;
  errors: Record<string, number>;
  counts: Record<string, number>;
  calls: { hubspot: Record<string, number>; salesforce: Record<string, number>; hubspotTotal: number; salesforceTotal: number; hubspotRateLimited: number };
  seconds: SecondSample[];
  rssMb: { peak: number; at25: number; at100: number };
  cpuSeconds: Record<string, number>;
  /** The backfill's sync jobs: how far apart they started, how long each took, how many ran at once on average. */
  chunks: { count: number; medianGapSeconds: number; medianSeconds: number; meanInFlight: number };
}

interface BackfillState {
  status: string;
  total: number;
  done: number;
  failed: number;
  counts: Record<string, number>;
  errors: Record<string, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : NaN);

/** From the run records: a chain of chunks starts them one listing apart, however many workers wait. */
async function chunkTimes(deployment: Deployment, wallSeconds: number): Promise<BackfillRun['chunks']> {
  const runs = (await deployment.redis.lrange(`${deployment.prefix}:runs`, 0, -1))
    .map((r) => JSON.parse(r) as { kind: string; trigger: string; startedAt: string; durationMs: number })
    .filter((r) => r.kind === 'sync' && r.trigger === 'backfill')
    .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  const gaps = runs.slice(1).map((r, i) => (Date.parse(r.startedAt) - Date.parse(runs[i]!.startedAt)) / 1000);
  const busy = runs.reduce((sum, r) => sum + r.durationMs / 1000, 0);
  const round = (n: number) => Math.round(n * 100) / 100;
  return { count: runs.length, medianGapSeconds: round(median(gaps)), medianSeconds: round(median(runs.map((r) => r.durationMs / 1000))), meanInFlight: round(busy / wallSeconds) };
}

async function redisPid(deployment: Deployment): Promise<number | undefined> {
  const info = await deployment.redis.info('server');
  const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
  return Number.isFinite(pid) ? pid : undefined;
}

/** `body`: the admin API's backfill request (default: every contact). */
export async function runBackfill(deployment: Deployment, contacts: number, workers: number, onProgress?: (done: number) => void, body: object = {}): Promise<BackfillRun> {
  const { api: sandbox } = deployment.sandbox;
  await sandbox.resetStats();
  const { id } = await deployment.admin.post<{ id: string }>('/admin/backfills', body);
  await deployment.startWorkers(workers);
  const started = Date.now();
  await sandbox.sampleSeconds(true);
  const pids: Record<string, number> = { sandbox: deployment.sandbox.pid, api: deployment.api!.pid };
  deployment.workers.forEach((w, i) => (pids[`worker${workers > 1 ? i + 1 : ''}`] = w.pid));
  const redis = await redisPid(deployment);
  if (redis !== undefined) pids.redis = redis;
  const cpuBefore = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSecondsOf(pid)]));
  const rssNow = () => deployment.workers.reduce((sum, w) => sum + (memoryOf(w.pid)?.rssMb ?? 0), 0);

  let peak = 0;
  let at25 = 0;
  let state: BackfillState;
  for (;;) {
    state = await deployment.admin.get<BackfillState>(`/admin/backfills/${id}`);
    const rss = rssNow();
    peak = Math.max(peak, rss);
    const processed = state.done + state.failed;
    onProgress?.(processed);
    if (at25 === 0 && processed >= contacts / 4) at25 = rss;
    if (state.status !== 'queued' && state.status !== 'running') break;
    for (const w of deployment.workers) if (w.child.exitCode !== null) throw new Error(`worker ${w.pid} exited during the backfill`);
    await sleep(250);
  }
  const wallSeconds = (Date.now() - started) / 1000;
  const at100 = rssNow();
  const cpuSeconds = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, Math.round((cpuSecondsOf(pid) - cpuBefore[name]!) * 10) / 10]));
  const seconds = await sandbox.sampleSeconds(false);
  const stats = await sandbox.stats();
  // The kernel's high-water mark catches peaks between samples.
  peak = Math.max(peak, deployment.workers.reduce((sum, w) => sum + (memoryOf(w.pid)?.peakMb ?? 0), 0));
  const processed = state.done + state.failed;
  const rateLimited = Object.entries(stats.hubspot.requests.byOutcome).filter(([k]) => k.startsWith('RATE_LIMIT')).reduce((n, [, v]) => n + v, 0);
  return {
    contacts,
    workers,
    wallSeconds,
    contactsPerSecond: processed / wallSeconds,
    done: state.done,
    failed: state.failed,
    errors: state.errors,
    counts: state.counts,
    calls: { hubspot: stats.hubspot.requests.byEndpoint, salesforce: stats.salesforce.requests.byEndpoint, hubspotTotal: stats.hubspot.requests.total, salesforceTotal: stats.salesforce.requests.total, hubspotRateLimited: rateLimited },
    seconds,
    rssMb: { peak: Math.round(peak), at25: Math.round(at25), at100: Math.round(at100) },
    cpuSeconds,
    chunks: await chunkTimes(deployment, wallSeconds),
  };
}
