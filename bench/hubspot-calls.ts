/**
 * npm run bench:hubspot-calls -- [--contacts N] [--web-events]
 *
 * HubSpot calls of one full pull against the sandbox: feeds into the activity cache, the
 * contact listing, activities of every contact (batches of 1,000), and a write-back of one
 * changed property per contact (`lsync_score` from the definition). Prints the calls per
 * endpoint as the sandbox counted them, the theoretical minimum for the same data from the
 * documented batch sizes, and the ratio; writes the figures under bench/results/.
 */
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import Redis from 'ioredis';
import { callTotals } from '../connectors/accounting';
import { createHubSpotConnector } from '../connectors/hubspot';
import type { HubSpotContactRecord } from '../connectors/ports';
import { startSandbox } from '../sandbox';
import { generateContact, MARKETING_EVENTS } from '../sandbox/dataset';
import { evaluate } from '../src/domain/evaluate';
import type { Activity } from '../src/domain/types';
import { loadMappings } from '../src/mappings/load';
import { writeResult } from './results';

const SEED = 42;
const ACTIVITIES_BATCH = 1000;

/**
 * What a full pull must read at least, from the data set itself and the documented page
 * sizes, plus the write-back of `writeBacks` contacts (default: every contact).
 */
export function theoreticalMinimum(contacts: number, anchor: string, webEvents: boolean, mappings: ReturnType<typeof loadMappings>, writeBacks = contacts) {
  const rules = mappings.activities;
  const perFeed = new Map<string, number>();
  const bump = (key: string) => perFeed.set(key, (perFeed.get(key) ?? 0) + 1);
  const engagementTypes = new Set(rules.engagements.filter((r) => r.type !== 'ignore').map((r) => r.objectType));
  const listedForms = new Set(rules.forms.map((f) => f.guid));
  for (let i = 0; i < contacts; i++) {
    for (const a of generateContact({ seed: SEED, anchor }, i).activities) {
      const s = a.source;
      if (s.kind === 'engagement' && engagementTypes.has(s.objectType)) bump(`engagement:${s.objectType}`);
      if (s.kind === 'form' && listedForms.has(s.formGuid)) bump(`form:${s.formGuid}`);
      if (s.kind === 'email_event') bump(`email:${s.eventType}`);
      if (s.kind === 'marketing_event') bump(`event:${s.externalEventId}`);
      if (s.kind === 'web_event' && webEvents) bump('web');
    }
  }
  const count = (key: string) => perFeed.get(key) ?? 0;
  // A source that must be asked costs at least one call even when it turns out empty.
  const atLeastOne = (keys: string[], size: number) => keys.reduce((sum, key) => sum + Math.max(1, Math.ceil(count(key) / size)), 0);
  const readEvents = MARKETING_EVENTS.filter((e) => rules.marketingEvents.webinarTypes.includes(e.type) || rules.marketingEvents.tradeShowTypes.includes(e.type));
  const minimum = {
    'list contacts (100/page)': Math.ceil(contacts / 100),
    'associations (1,000 inputs, per engagement type the rules use)': engagementTypes.size * Math.ceil(contacts / 1000),
    'engagement batch reads (100/call)': [...engagementTypes].reduce((sum, t) => sum + Math.ceil(count(`engagement:${t}`) / 100), 0),
    'form submissions (50/page, per listed form)': atLeastOne([...listedForms].map((g) => `form:${g}`), 50),
    'marketing events list': 1,
    'event participations (100/page, per event read)': atLeastOne(readEvents.map((e) => `event:${e.externalEventId}`), 100),
    'e-mail events (1,000/page, per type)': atLeastOne(['email:OPEN', 'email:CLICK'], 1000),
    ...(webEvents ? { 'web events (100/page)': atLeastOne(['web'], 100) } : {}),
    'write-back (100/call)': Math.ceil(writeBacks / 100),
  };
  return { minimum, total: Object.values(minimum).reduce((a, b) => a + b, 0), activityCounts: Object.fromEntries(perFeed) };
}

async function main(): Promise<void> {
  const program = new Command()
    .option('--contacts <n>', 'sandbox contacts', '1000')
    .option('--web-events', 'read page views from the web-events API (HUBSPOT_WEB_EVENTS=true)', false)
    .parse();
  const opts = program.opts<{ contacts: string; webEvents: boolean }>();
  const contacts = Number(opts.contacts);
  const mappings = loadMappings();
  const sandbox = await startSandbox({ contacts, seed: SEED, enterprise: true, withLifecycleProperties: true });
  const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  const keyPrefix = `lsync-bench-${randomBytes(4).toString('hex')}`;
  try {
    await redis.connect();
    const hubspot = createHubSpotConnector({
      config: {
        HUBSPOT_ACCESS_TOKEN: 'sandbox-token', HUBSPOT_BASE_URL: sandbox.hubspotUrl, HUBSPOT_RATE_LIMIT_PER_10S: 190,
        HUBSPOT_DAILY_LIMIT: 625_000, HUBSPOT_SEARCH_PER_SECOND: 4, HUBSPOT_WEB_EVENTS: opts.webEvents,
      },
      mappings, redis, keyPrefix,
    });
    const anchor = sandbox.hubspot.portal.store.dataset.anchor;
    const now = new Date(anchor);
    sandbox.hubspot.accounting.reset();
    const started = Date.now();

    const feeds = await hubspot.refreshFeeds();
    const updates: Array<{ id: string; properties: Record<string, string> }> = [];
    const scoreProperty = mappings.fields.hubspot.lifecycle.properties.score;
    const fetched: Record<string, number> = {};
    let batch: HubSpotContactRecord[] = [];
    const score = async () => {
      const activities = await hubspot.activitiesFor(batch);
      for (const record of batch) {
        const list: Activity[] = activities.get(record.id) ?? [];
        for (const a of list) fetched[a.type] = (fetched[a.type] ?? 0) + 1;
        const value = evaluate(mappings.definition, hubspot.toContact(record), list, now).score.total.toFixed(1);
        if (record.properties[scoreProperty] !== value) updates.push({ id: record.id, properties: { [scoreProperty]: value } });
      }
      batch = [];
    };
    let listed = 0;
    for await (const page of hubspot.listContacts()) {
      listed += page.records.length;
      batch.push(...page.records);
      if (batch.length >= ACTIVITIES_BATCH) await score();
    }
    if (batch.length > 0) await score();
    const results = await hubspot.updateContacts(updates);
    const failed = results.filter((r) => !r.ok).length;
    const elapsedMs = Date.now() - started;

    const counted = sandbox.hubspot.accounting.snapshot();
    const ours = (await callTotals()).hubspot;
    const { minimum, total: minimumTotal, activityCounts } = theoreticalMinimum(contacts, anchor, opts.webEvents, mappings);
    const ratio = counted.total / minimumTotal;
    console.log(`HubSpot calls for a full pull of ${listed} contacts (${Object.values(fetched).reduce((a, b) => a + b, 0)} activities, web events ${opts.webEvents ? 'on' : 'off'}) and ${updates.length} write-backs (${failed} failed):`);
    for (const [endpoint, n] of Object.entries(counted.byEndpoint).sort()) console.log(`  ${String(n).padStart(5)}  ${endpoint}`);
    console.log(`  ${String(counted.total).padStart(5)}  total (sandbox count; the connector counted ${ours.total})`);
    console.log('Theoretical minimum for the same data:');
    for (const [what, n] of Object.entries(minimum)) console.log(`  ${String(n).padStart(5)}  ${what}`);
    console.log(`  ${String(minimumTotal).padStart(5)}  total`);
    console.log(`Ratio: ${ratio.toFixed(2)}; budget 110: ${counted.total <= 110 ? 'met' : 'NOT met'}; feed items cached: ${feeds.items}; ${elapsedMs} ms`);
    const file = writeResult('hubspot-calls', {
      contacts: listed, webEvents: opts.webEvents, writeBacks: updates.length, writeFailures: failed, calls: counted.total,
      callsCountedByConnector: ours.total, byEndpoint: counted.byEndpoint, byOutcome: counted.byOutcome, minimum, minimumTotal,
      ratio: Number(ratio.toFixed(3)), budget: 110, withinBudget: counted.total <= 110, activitiesFetched: fetched, sourceActivities: activityCounts, elapsedMs,
    });
    console.log(`Written to ${file}`);
  } finally {
    const keys = await redis.keys(`${keyPrefix}:*`).catch(() => []);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await sandbox.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
