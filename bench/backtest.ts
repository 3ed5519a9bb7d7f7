/**
 * npm run bench:backtest -- [--contacts N] [--activities K] [--redis-url URL]
 *
 * Builds the stored history of N contacts in Redis (four weekly evaluations each under the
 * live definition, sales decisions on the MQLs, their follow-up tasks, deflated inputs of
 * ~K activities), then times a backtest of a candidate definition against it: every contact
 * read from Redis, replayed under both definitions at each of its instants, compared and
 * judged against the outcomes. Nothing talks to HubSpot or Salesforce (the connectors'
 * call counters are printed to show it). By default a private redis-server on a free port
 * is started and stopped, so the shared Redis is not filled; --redis-url uses another one
 * under a throw-away prefix, deleted afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { Command } from 'commander';
import IORedis from 'ioredis';
import { parse, stringify } from 'yaml';
import { callTotals } from '../connectors/accounting';
import { History } from '../jobs/history';
import { backtestHistory } from '../jobs/reports';
import { Store } from '../jobs/store';
import { parseDefinition } from '../src/domain/definition/parse';
import type { DefinitionFile } from '../src/domain/definition/schema';
import { evaluate } from '../src/domain/evaluate';
import { windowOf, type HistoryEvent } from '../src/domain/reports/history';
import { DEFAULT_DEFINITION_PATH, loadDefinition } from '../src/mappings/load-definition';
import { generate } from './evaluate';
import { writeResult } from './results';

const NOW = Date.parse('2026-11-20T00:00:00.000Z');
const DAY = 86_400_000;
const INSTANTS = [21, 14, 7, 0].map((d) => new Date(NOW - d * DAY).toISOString());
const BATCH = 1000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

async function privateRedis(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const probe = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined); // refused until the server listens: expected while polling
    try {
      await probe.connect();
      await probe.ping();
      return { url, child };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      probe.disconnect();
    }
  }
  child.kill();
  throw new Error('redis-server did not start (is it installed?)');
}

/** The shipped default with a lower engagement bar and page views worth double. */
function candidateDefinition() {
  const doc = parse(readFileSync(DEFAULT_DEFINITION_PATH, 'utf8')) as DefinitionFile;
  doc.version = 'bench-candidate';
  doc.thresholds.engagement = 15;
  doc.hysteresis.exitEngagement = 8;
  doc.engagement.types.page_view = { points: 2, cap: 12, label: 'Website page views' };
  return parseDefinition(stringify(doc), 'bench-candidate.yaml');
}

/** Four weekly evaluations, a decision on most MQLs two days after they began, their task. */
async function buildHistory(history: History, contacts: number, activities: number): Promise<number> {
  const live = loadDefinition();
  let entries = 0;
  for (let start = 0; start < contacts; start += BATCH) {
    const inputs = generate(Math.min(BATCH, contacts - start), activities, NOW, start + 1).map((x, i) => ({ ...x, contact: { ...x.contact, id: String(start + i + 1) } }));
    const batch = new Map<string, HistoryEvent[]>();
    for (const { contact, activities: acts } of inputs) {
      const list: HistoryEvent[] = [];
      let mqlAt: string | undefined;
      for (const at of INSTANTS) {
        const e = evaluate(live, contact, acts, at);
        mqlAt ??= e.mql ? at : undefined;
        list.push({ kind: 'evaluation', at, version: live.version, status: e.status, stage: mqlAt ? 'mql' : 'lead', fit: e.score.fit, engagement: e.score.engagement, total: e.score.total, tier: e.tier, serviceLine: e.serviceLine });
      }
      if (mqlAt) {
        const id = Number(contact.id);
        list.push({ kind: 'task', at: mqlAt, event: 'created', key: `lsync:${contact.id}:${Date.parse(mqlAt)}`, dueAt: new Date(Date.parse(mqlAt) + 24 * 3_600_000).toISOString() });
        const at = new Date(Date.parse(mqlAt) + 2 * DAY).toISOString();
        const decision = (['sql', 'accepted', 'disqualified', 'recycled', null] as const)[id % 5];
        if (decision === 'disqualified') list.push({ kind: 'outcome', at, outcome: decision, reason: id % 2 ? 'No active project' : 'No budget' });
        else if (decision === 'recycled') list.push({ kind: 'outcome', at, outcome: decision, reason: 'Timeline too early' });
        else if (decision) list.push({ kind: 'outcome', at, outcome: decision });
      }
      entries += list.length;
      batch.set(contact.id, list);
    }
    await history.record(batch, new Map(inputs.map((x) => [x.contact.id, { contact: x.contact, activities: x.activities }])));
  }
  return entries;
}

async function main(): Promise<void> {
  const opts = new Command()
    .option('--contacts <n>', 'contacts with history', '100000')
    .option('--activities <k>', 'average activities per contact', '20')
    .option('--redis-url <url>', 'use this Redis (a throw-away prefix) instead of a private redis-server')
    .parse()
    .opts<{ contacts: string; activities: string; redisUrl?: string }>();
  const contacts = Number(opts.contacts);
  const own = opts.redisUrl ? undefined : await privateRedis();
  const redis = new IORedis(opts.redisUrl ?? own!.url, { maxRetriesPerRequest: null });
  const prefix = `lsync-bench-${randomBytes(4).toString('hex')}`;
  const history = new History(new Store(redis, prefix), 730);
  try {
    const buildStarted = Date.now();
    const entries = await buildHistory(history, contacts, Number(opts.activities));
    const buildSeconds = (Date.now() - buildStarted) / 1000;
    const memory = /used_memory:(\d+)/.exec(await redis.info('memory'))?.[1];
    const [current, candidate] = [loadDefinition(), candidateDefinition()];
    let peakRss = process.memoryUsage().rss;
    const started = process.hrtime.bigint();
    const report = await backtestHistory(history, current, candidate, windowOf(INSTANTS[1]), { onProgress: () => void (peakRss = Math.max(peakRss, process.memoryUsage().rss)) });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const calls = await callTotals();
    const figures = {
      contacts, activitiesPerContact: Number(opts.activities), historyEntries: entries, buildSeconds,
      redisMemoryMb: memory && own ? Math.round(Number(memory) / 1048576) : null,
      backtest: { seconds, contactsPerSecond: Math.round(report.contacts / seconds), contactsReplayed: report.contacts, instantsInWindow: report.evaluations, evaluations: report.contacts * INSTANTS.length * 2, peakRssMb: Math.round(peakRss / 1048576) },
      result: { currentMqls: report.current.mqls, candidateMqls: report.candidate.mqls, gained: report.flips.gained, lost: report.flips.lost, precision: [report.current.outcomes.precision, report.candidate.outcomes.precision], recall: [report.current.recall.recall, report.candidate.recall.recall] },
      apiCalls: { hubspot: calls.hubspot.total, salesforce: calls.salesforce.total },
    };
    console.log(`history: ${contacts.toLocaleString('en')} contacts, ${entries.toLocaleString('en')} entries, built in ${buildSeconds.toFixed(1)} s${figures.redisMemoryMb ? ` (${figures.redisMemoryMb} MB in Redis)` : ''}`);
    console.log(`backtest: ${report.contacts.toLocaleString('en')} contacts replayed under 2 definitions at ${INSTANTS.length} instants each in ${seconds.toFixed(1)} s (${figures.backtest.contactsPerSecond.toLocaleString('en')} contacts/s, peak RSS ${figures.backtest.peakRssMb} MB)`);
    console.log(`  MQLs ${report.current.mqls} -> ${report.candidate.mqls}; flips +${report.flips.gained} / -${report.flips.lost}; API calls: HubSpot ${calls.hubspot.total}, Salesforce ${calls.salesforce.total}`);
    console.log(`  ${seconds < 60 ? 'within' : 'OVER'} the 60 s target; written to ${writeResult('backtest', figures)}`);
  } finally {
    if (!own) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    }
    await redis.quit();
    own?.child.kill();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
