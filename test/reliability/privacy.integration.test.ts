/**
 * Privacy and secrets, end to end: every log line of a run (backfill, webhooks from a live
 * activity stream, faults, an expired Salesforce session, refused records, bad admin calls,
 * outcome write-back) is captured at trace level and searched for the access tokens, client
 * secrets, admin token and any e-mail address; job payloads carry ids, not personal data; a
 * privacy deletion in HubSpot stops syncing the contact and purges what the service stored.
 */
import type { Job } from 'bullmq';
import { leaks } from '../../bench/chaos/leaks';
import { signV3 } from '../../connectors/hubspot';
import { pollOutcomes } from '../../jobs/poll';
import { syncContacts } from '../../jobs/sync-contacts';
import { generateContact } from '../../sandbox/dataset';
import { keysOf, startTestService, until, type TestService } from './harness';

jest.setTimeout(120_000);

const CONTACTS = 40;
let t: TestService;

beforeAll(async () => {
  t = await startTestService({ role: 'both', sandbox: { contacts: CONTACTS, seed: 8 } });
});
afterAll(() => t.close());

async function settle(backfillId?: string) {
  if (backfillId) await until('the backfill', async () => ['completed', 'failed'].includes((await t.services.backfills.get(backfillId))!.status), 60_000);
  await until('idle queues', async () => {
    const counts = await Promise.all([t.services.queues.sync, t.services.queues.outcomes].map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')));
    return counts.every((c) => Object.values(c).every((n) => n === 0));
  }, 60_000);
}

async function allJobs(): Promise<Job[]> {
  const states = ['completed', 'failed', 'waiting', 'delayed', 'prioritized', 'active'] as const;
  return (await Promise.all([t.services.queues.sync, t.services.queues.outcomes, t.services.queues.control].map((q) => q.getJobs([...states], 0, 10_000)))).flat();
}

/** Every string value in a JSON tree. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

test('a run with faults leaves no secret or e-mail address in any log line, and no personal data in any job', async () => {
  t.sandbox.hubspot.faults.set({ seed: 8, serverErrorRate: 0.05 });
  t.sandbox.salesforce.control.faults.set({ seed: 8, serverErrorRate: 0.05, lockRowRate: 0.05 });
  // A record Salesforce refuses (its message would quote the address) and one with unicode.
  const refused = t.sandbox.hubspot.control.createContact({ email: 'refused.address@no-tld', firstname: 'Refus', lastname: 'Ed', jobtitle: 'Director of Manufacturing', ls_organization_type: 'biotech', ls_job_function: 'manufacturing', company: 'Helix Bio' });
  t.sandbox.hubspot.control.addActivity(refused, { type: 'demo_request' });
  t.sandbox.hubspot.control.createContact({ email: 'jörg.ünal@beispiel-labor.example', firstname: 'Jörg', lastname: 'Ünal' });

  const { id } = (await (await fetch(`${t.baseUrl}/admin/backfills`, { method: 'POST', headers: { ...t.auth, 'Content-Type': 'application/json' }, body: '{}' })).json()) as { id: string };
  await until('half of the backfill', async () => ((await t.services.backfills.get(id))?.done ?? 0) > 0, 60_000);
  t.sandbox.salesforce.control.expireSessions();
  await settle(id);

  // Webhooks from a live activity stream, and a forged one.
  t.sandbox.hubspot.control.startActivityStream({ ratePerSecond: 20, seed: 8 });
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  t.sandbox.hubspot.control.stopActivityStream();
  const forged = JSON.stringify([{ eventId: 1, occurredAt: Date.now(), subscriptionType: 'contact.creation', objectId: 1 }]);
  await fetch(`${t.baseUrl}/webhooks/hubspot`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-HubSpot-Signature-v3': signV3('not-the-secret', 'POST', 'x', forged, '1'), 'X-HubSpot-Request-Timestamp': String(Date.now()) }, body: forged });
  // Admin calls with a wrong token, and the token itself in places it does not belong.
  await fetch(`${t.baseUrl}/admin/status`, { headers: { Authorization: `Bearer ${t.secrets.hubspotToken}` } });
  await fetch(`${t.baseUrl}/admin/contacts/${encodeURIComponent(t.secrets.adminToken)}/explain`, { headers: t.auth });
  // Sales works the MQLs; their decisions come back.
  t.sandbox.salesforce.control.workLeads();
  await pollOutcomes(t.services.runtime, t.services.queues, 25);
  await until('the webhooks flushed and synced', async () => (await t.services.runtime.store.redis.zcard(t.services.runtime.store.key('webhook', 'pending'))) === 0, 30_000);
  await settle();

  expect((await t.services.runtime.store.failures()).map((f) => f.code)).toContain('INVALID_EMAIL_ADDRESS');
  // The paths where secrets and addresses could slip out were taken: faults, re-login, a forged webhook.
  const text = t.logs.join('');
  for (const message of ['call failed; retrying', 'Salesforce session expired; logging in again', 'webhook refused', 'HubSpot feed refreshed']) expect(text).toContain(message);
  expect(leaks(text, t.secrets)).toEqual([]);

  // Job payloads: ids, triggers and sales statuses; never an address, a name, a company or a title.
  const people = Array.from({ length: CONTACTS }, (_, i) => generateContact({ seed: 8, anchor: t.sandbox.hubspot.store.dataset.anchor }, i).properties);
  const personal = new Set(people.flatMap((p) => [p.email, p.firstname, p.lastname, p.company, p.jobtitle]).filter((v): v is string => Boolean(v) && v!.length > 3));
  const jobs = await allJobs();
  expect(jobs.length).toBeGreaterThan(5);
  for (const job of jobs) {
    const values = strings(job.data);
    expect(leaks(JSON.stringify(job.data), {})).toEqual([]);
    expect(values.filter((v) => personal.has(v))).toEqual([]);
  }
});

test('a privacy deletion stops syncing the contact and purges everything the service stored about it', async () => {
  const store = t.services.runtime.store;
  // A contact the service holds a lot about: an MQL with history, inputs, a task and audit entries.
  const mqls = await store.redis.smembers(store.key('mqls'));
  const victim = mqls[0]!;
  expect(victim).toBeDefined();
  const mentions = async () => {
    const found: string[] = [];
    const word = new RegExp(`(^|[^0-9])${victim}([^0-9]|$)`);
    for (const key of await keysOf(t.services, t.prefix)) {
      // BullMQ's records of finished jobs carry ids by design and expire; the webhook de-duplication keys name events.
      if (key.includes(':bull:') || key.includes(':webhook:event:')) continue;
      if (word.test(key)) found.push(key);
      const type = await store.redis.type(key);
      const text =
        type === 'string' ? ((await store.redis.getBuffer(key))?.toString('latin1') ?? '')
          : type === 'hash' ? JSON.stringify(await store.redis.hgetall(key))
            : type === 'set' ? (await store.redis.smembers(key)).join(' ')
              : type === 'zset' ? (await store.redis.zrange(key, 0, -1)).join(' ')
                : type === 'list' ? (await store.redis.lrange(key, 0, -1)).join(' ')
                  : type === 'stream' ? JSON.stringify(await store.redis.xrange(key, '-', '+'))
                    : '';
      if (word.test(text)) found.push(`${key} (${type})`);
    }
    return found;
  };
  const before = await mentions();
  expect(before.length).toBeGreaterThan(3);
  expect(before.join(' ')).toMatch(/hist|hinputs|inputs|audit|mqls/);

  t.sandbox.hubspot.control.deleteContact(victim, true);
  await until('the purge', async () => (await t.services.queues.control.getJobs(['completed'])).some((j) => j.name === 'purge' && (j.data as { ids: string[] }).ids.includes(victim)), 30_000);
  expect(await mentions()).toEqual([]);

  // A sync for it still queued somewhere (a late webhook, the daily re-evaluation) writes nothing and stores nothing.
  const lead = [...t.sandbox.salesforce.store.table('Lead').values(), ...t.sandbox.salesforce.store.table('Contact').values()].find((r) => r.HubSpot_Contact_Id__c === victim);
  const stamp = lead?.SystemModstamp;
  const report = await syncContacts(t.services.runtime, { ids: [victim], trigger: 'reevaluate' }, 'privacy-test');
  expect(report).toMatchObject({ synced: 0, missing: [victim] });
  expect(lead?.SystemModstamp).toBe(stamp);
  expect(await mentions()).toEqual([]);
});
