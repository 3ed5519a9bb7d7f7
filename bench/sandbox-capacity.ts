/**
 * npx tsc -p tsconfig.build.json && node --expose-gc dist/bench/sandbox-capacity.js [--contacts 1000000]
 *
 * Starts the HubSpot simulator with N contacts, warms it up with list pages, searches and
 * every feed, then prints the process RSS and the latency of `GET /crm/v3/objects/contacts
 * ?limit=100` pages at random positions (measured at the client, HTTP included). Targets:
 * RSS < 1 GiB and a page < 20 ms at 1,000,000 contacts.
 */
import { Command } from 'commander';
import { startServer } from '../sandbox/common';
import { EVENTS_ACCOUNT_ID, FORMS, contactIdOf } from '../sandbox/dataset';
import { createHubSpotSimulator } from '../sandbox/hubspot';
import { writeResult } from './results';

const MiB = 1024 * 1024;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const o = new Command('sandbox-capacity')
    .option('--contacts <n>', 'seeded contacts', (v) => Number(v), 1_000_000)
    .option('--pages <n>', 'list pages timed', (v) => Number(v), 500)
    .parse(process.argv)
    .opts<{ contacts: number; pages: number }>();

  const t0 = Date.now();
  const sim = createHubSpotSimulator({ contacts: o.contacts, seed: 42, anchor: '2026-11-20T00:00:00.000Z', rateLimits: { tenSecondly: 1e9, daily: 1e9, searchPerSecond: 1e9 } });
  const buildMs = Date.now() - t0;
  const server = await startServer(sim.app);
  const headers = { Authorization: 'Bearer bench', 'Content-Type': 'application/json' };
  const get = async (path: string): Promise<unknown> => {
    const response = await fetch(`${server.url}${path}`, { headers });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const post = async (path: string, body: unknown): Promise<unknown> => {
    const response = await fetch(`${server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };

  // Warm-up: every kind of read the connector makes, over the whole portal.
  const t1 = Date.now();
  for (let i = 0; i < 50; i++) await get(`/crm/v3/objects/contacts?limit=100&after=${contactIdOf(Math.floor(Math.random() * o.contacts))}&properties=email&properties=lastmodifieddate`);
  const since = String(Date.parse('2026-11-01T00:00:00Z'));
  const search = { filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: since }] }], sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }], properties: ['email'], limit: 200 };
  for (let after = 0; after < 2_000; after += 200) await post('/crm/v3/objects/contacts/search', { ...search, after: String(after) });
  await post('/crm/v3/objects/contacts/search', { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'maren.holt@kestrelgen-therapeutics.com' }] }], limit: 10 });
  for (const form of FORMS) await get(`/form-integrations/v1/submissions/forms/${form.guid}?limit=50`);
  await get(`/marketing/v3/marketing-events/participations/${EVENTS_ACCOUNT_ID}/wbn-csv-data-integrity/breakdown?limit=100`);
  await get(`/email/public/v1/events?eventType=OPEN&startTimestamp=${since}&limit=1000`);
  await get(`/events/v3/events?objectType=contact&eventType=e_visited_page&occurredAfter=2026-11-01T00:00:00Z&limit=1000`);
  await post('/crm/v4/associations/contacts/emails/batch/read', { inputs: Array.from({ length: 1000 }, (_, i) => ({ id: contactIdOf(i * 997 % o.contacts) })) });
  const warmupMs = Date.now() - t1;

  const timings: number[] = [];
  for (let i = 0; i < o.pages; i++) {
    const after = contactIdOf(Math.floor(Math.random() * Math.max(1, o.contacts - 100)));
    const start = process.hrtime.bigint();
    await get(`/crm/v3/objects/contacts?limit=100&after=${after}`);
    timings.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  timings.sort((a, b) => a - b);
  (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  const figures = {
    contacts: o.contacts,
    startupMs: buildMs,
    warmupMs,
    rssMiB: Math.round(memory.rss / MiB),
    heapUsedMiB: Math.round(memory.heapUsed / MiB),
    arrayBuffersMiB: Math.round(memory.arrayBuffers / MiB),
    listPage100: { samples: timings.length, p50Ms: +percentile(timings, 50).toFixed(2), p95Ms: +percentile(timings, 95).toFixed(2), p99Ms: +percentile(timings, 99).toFixed(2), maxMs: +(timings[timings.length - 1] ?? 0).toFixed(2) },
    targets: { rssBelowMiB: 1024, listPageBelowMs: 20 },
  };
  const file = writeResult('sandbox-capacity', figures);
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\nwritten to ${file}\n`);
  sim.control.close();
  await server.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
