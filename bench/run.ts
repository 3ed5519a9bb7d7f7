/**
 * npm run bench [-- --quick] [--contacts N] [--sandbox-in-process] [--only backfill,webhook,receiver,scale-out,evaluate]
 *
 * The pipeline benchmark: the service as the image runs it (`worker` and `api` child
 * processes of the built CLI) against the sandbox with 20-80 ms per call and the local
 * Redis, each deployment under a key prefix of its own that is deleted afterwards.
 *  1. Backfill of N contacts (100,000; quick 10,000) at HubSpot Professional's 190 requests
 *     per 10 s: wall time, calls per 1,000 contacts against the computed minimum, rate-limit
 *     utilisation, worker RSS.
 *  2. Near-real-time on the backfilled deployment: 50 webhook events/s for 60 s (quick 20 s).
 *  3. The webhook receiver alone with autocannon.
 *  4. Scale-out: the backfill with the limits lifted, one worker process and then two.
 *  5. The evaluation engine alone.
 * Prints a table and writes bench/results/<date>-<mode>.json and bench/results/latest.json.
 */
import os from 'node:os';
import { Command } from 'commander';
import { contactIdOf } from '../sandbox/dataset';
import { defaultAnchor } from '../sandbox/hubspot';
import { loadMappings } from '../src/mappings/load';
import { runEvaluateBench } from './evaluate';
import { runBackfill, type BackfillRun } from './pipeline/backfill';
import { Deployment, type DeploymentOptions } from './pipeline/deployment';
import { pipelineMinimum } from './pipeline/minimum';
import { imageNodeOptions } from './pipeline/processes';
import { SCENARIOS, scenarioList } from './pipeline/scenarios';
import { runNearRealTime } from './pipeline/near-real-time';
import { runReceiver } from './pipeline/receiver';
import { backfillFigures, scaleOutFigures, table, type Figures } from './pipeline/report';
import { writeResult } from './results';

const SEED = 42;
const LATENCY_MS: [number, number] = [20, 80];
/** HubSpot Professional / Enterprise private apps: 190 requests per rolling 10 s. */
const PROFESSIONAL_PER_10S = 190;
const UNLIMITED = 1_000_000_000;

interface Options {
  quick: boolean;
  contacts?: number;
  sandboxInProcess: boolean;
  only: string;
  redisUrl: string;
}

function progress(label: string, total: number) {
  let last = 0;
  return (done: number) => {
    if (!process.stdout.isTTY || Date.now() - last < 500) return;
    last = Date.now();
    process.stdout.write(`\r  ${label}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} contacts`.padEnd(70));
  };
}

function log(message: string): void {
  if (process.stdout.isTTY) process.stdout.write('\r'.padEnd(72) + '\r');
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

async function withDeployment<T>(options: DeploymentOptions, work: (d: Deployment) => Promise<T>): Promise<T> {
  const deployment = await Deployment.start(options);
  try {
    return await work(deployment);
  } finally {
    await deployment.close();
  }
}

async function main(): Promise<void> {
  const opts = new Command('bench')
    .option('--quick', 'the quick run (10,000 contacts, 20 s of webhooks): under 3 minutes', false)
    .option('--contacts <n>', 'contacts in the backfills (default 100,000; quick 10,000)', (v) => Number(v))
    .option('--sandbox-in-process', 'run the simulators in the benchmark process instead of a child process', false)
    .option('--only <list>', `scenarios to run, of ${SCENARIOS.join(',')}`, scenarioList, SCENARIOS.join(','))
    .option('--redis-url <url>', 'Redis to use (keys under a unique prefix, deleted afterwards)', 'redis://127.0.0.1:6379')
    .parse()
    .opts<Options>();
  const mode = opts.quick ? 'quick' : 'full';
  const contacts = opts.contacts ?? (opts.quick ? 10_000 : 100_000);
  const only = new Set(opts.only.split(',').map((s) => s.trim()));
  const webhookSeconds = opts.quick ? 20 : 60;
  const anchor = defaultAnchor();
  const sandbox = { contacts, seed: SEED, anchor, latencyMs: LATENCY_MS };
  // The scheduled polls run once at start-up (the feed load, the outcome cursors) and not
  // again during a measurement: a poll is its own trigger, not part of a backfill's cost.
  const base = { redisUrl: opts.redisUrl, sandboxInProcess: opts.sandboxInProcess, extraEnv: { SYNC_INTERVAL_SECONDS: '3600', OUTCOMES_INTERVAL_SECONDS: '3600' } };
  const figures: Figures = {
    mode, contacts,
    settings: { seed: SEED, anchor, latencyMs: LATENCY_MS.join('-'), hubspotPer10s: PROFESSIONAL_PER_10S, webEvents: false, sandbox: opts.sandboxInProcess ? 'in the benchmark process' : 'own process', webhookSeconds, serviceNodeOptions: imageNodeOptions() ?? 'none', pollIntervalSeconds: 3600 },
  };
  const started = Date.now();
  // Other work on the machine slows every figure: record how busy it was.
  const loadBefore = os.loadavg()[0] ?? 0;

  let unlimitedOne: BackfillRun | undefined;
  if (only.has('scale-out')) {
    log(`scale-out: backfill of ${contacts} contacts with the limits lifted, 1 worker`);
    const unlimited = { ...base, sandbox: { ...sandbox, unlimited: true }, hubspotPer10s: UNLIMITED };
    unlimitedOne = await withDeployment(unlimited, (d) => runBackfill(d, contacts, 1, progress('1 worker', contacts)));
    log(`  ${unlimitedOne.contactsPerSecond.toFixed(1)} contacts/s; now 2 workers`);
    const two = await withDeployment(unlimited, (d) => runBackfill(d, contacts, 2, progress('2 workers', contacts)));
    figures.scaleOut = scaleOutFigures(unlimitedOne, two);
    log(`  ${two.contactsPerSecond.toFixed(1)} contacts/s (ratio ${figures.scaleOut.ratio})`);
    // The same contacts as a backfill of given ids: chunks need no listing chain, so the
    // workers' slots and then the CPU are what limits (where the ceiling moves).
    const ids = { ids: Array.from({ length: contacts }, (_, i) => contactIdOf(i)) };
    log('scale-out, the same contacts by id (no listing chain): 1 worker, then 2');
    const idsOne = await withDeployment(unlimited, (d) => runBackfill(d, contacts, 1, progress('1 worker', contacts), ids));
    const idsTwo = await withDeployment(unlimited, (d) => runBackfill(d, contacts, 2, progress('2 workers', contacts), ids));
    figures.scaleOutByIds = scaleOutFigures(idsOne, idsTwo);
    log(`  ${idsOne.contactsPerSecond.toFixed(1)} and ${idsTwo.contactsPerSecond.toFixed(1)} contacts/s (ratio ${figures.scaleOutByIds.ratio})`);
  }

  if (only.has('backfill') || only.has('webhook') || only.has('receiver')) {
    await withDeployment({ ...base, sandbox, hubspotPer10s: PROFESSIONAL_PER_10S }, async (d) => {
      log(`backfill of ${contacts} contacts at ${PROFESSIONAL_PER_10S} HubSpot requests per 10 s, 1 worker`);
      const run = await runBackfill(d, contacts, 1, progress('backfill', contacts));
      log(`  ${run.wallSeconds.toFixed(1)} s, ${run.contactsPerSecond.toFixed(1)} contacts/s; computing the minimum for the data set`);
      const counts = run.counts;
      const minimum = pipelineMinimum(contacts, SEED, anchor, loadMappings(), {
        hubspotContacts: counts.hubspotUpdates ?? 0, salesforceUpdates: counts.salesforceUpdates ?? 0, leadsCreated: counts.leadsCreated ?? 0, tasksCreated: counts.tasksCreated ?? 0,
      });
      const unlimitedRate = unlimitedOne ? unlimitedOne.calls.hubspotTotal / unlimitedOne.wallSeconds : undefined;
      figures.backfill = backfillFigures(run, minimum, PROFESSIONAL_PER_10S, unlimitedRate);
      if (only.has('webhook')) {
        log(`near-real-time: 50 webhook events/s for ${webhookSeconds} s`);
        figures.webhook = await runNearRealTime(d, { eventsPerSecond: 50, seconds: webhookSeconds, seed: SEED });
        log(`  p50 ${figures.webhook.p50Ms} ms, p99 ${figures.webhook.p99Ms} ms`);
      }
      if (only.has('receiver')) {
        // The receiver alone: no worker takes CPU from the API process while it is measured.
        await d.stopWorkers();
        log('receiver: signed webhook POSTs with autocannon');
        figures.receiver = await runReceiver(d, { seconds: opts.quick ? 10 : 30, connections: 10, contacts });
        log(`  ${figures.receiver.requestsPerSecond} requests/s, p99 ${figures.receiver.p99Ms} ms`);
      }
    });
  }

  if (only.has('evaluate')) {
    log('evaluation engine');
    const e = runEvaluateBench(opts.quick ? 20_000 : 100_000, 30);
    figures.evaluate = { contacts: e.contacts, activitiesPerContact: e.activitiesPerContact, contactsPerSecond: e.contactsPerSecond, peakRssMb: e.peakRssMb };
  }

  console.log(table(figures));
  const seconds = Math.round((Date.now() - started) / 1000);
  // latest.json holds the last complete run: a run of some scenarios is written beside it.
  const complete = SCENARIOS.every((s) => only.has(s));
  const name = complete ? mode : `${mode}-${[...only].sort().join('+')}`;
  const file = writeResult(name, { ...figures, benchSeconds: seconds, loadAverage: { atStart: loadBefore, atEnd: os.loadavg()[0] } }, complete);
  console.log(`\n${mode} run in ${seconds} s (load average ${loadBefore.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end, ${os.cpus().length} cores); written to ${file}${complete ? ' and bench/results/latest.json' : ''}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
