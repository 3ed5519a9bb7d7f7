/** First sales touches and task escalation through jsforce against the simulator. */
import type { SeedSalesforceRecord } from '../../../sandbox/dataset/types';
import { to18 } from '../../../sandbox/salesforce';
import { baseConfig, collect, connector, redisFixture, type RedisFixture } from './helpers';
import { simCalls, startSimulator, type RunningSimulator } from './sim';

const START = Date.UTC(2026, 10, 16, 8);
const leadId = (n: number): string => to18(`00Q7z${String(n).padStart(10, '0')}`);
/** Six Leads linked to HubSpot contacts 5000..5005, one Lead nobody linked. */
const SEED: SeedSalesforceRecord[] = Array.from({ length: 7 }, (_, i) => ({
  sobject: 'Lead' as const,
  id: leadId(i),
  fields: { LastName: `Lead ${i}`, Company: 'Helix Bio', HubSpot_Contact_Id__c: i < 6 ? String(5000 + i) : null, CreatedDate: new Date(START).toISOString(), SystemModstamp: new Date(START).toISOString() },
}));
const key = (i: number) => `lsync:${5000 + i}:${START}`;

let sim: RunningSimulator;
let redis: RedisFixture;
beforeEach(async () => {
  sim = await startSimulator({ seedRecords: SEED });
  redis = redisFixture();
});
afterEach(async () => {
  await sim.close();
  await redis.close();
});

/** A REST call as the sales user (not the integration user). */
async function asSales(method: string, path: string, body: Record<string, unknown>): Promise<{ id?: string }> {
  const res = await fetch(`${sim.url}/services/data/v60.0${path}`, {
    method,
    headers: { authorization: `Bearer ${sim.control.issueToken(sim.control.salesUserId)}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.ok).toBe(true);
  return res.status === 204 ? {} : ((await res.json()) as { id: string });
}

const idOf = (r: { ok: boolean; id?: string }): string => (r.ok && r.id ? r.id : 'none');

const config = () => baseConfig({ SALESFORCE_INSTANCE_URL: sim.url, SALESFORCE_ACCESS_TOKEN: 'sim-token' });

describe('tasksSince and updateOpenTasks', () => {
  test('completed follow-ups and calls, e-mails, meetings logged on linked records; nothing else', async () => {
    const sf = connector(redis, config());
    const created = await sf.ensureTasks([0, 1, 2].map((i) => ({ key: key(i), fields: { Subject: 'MQL follow-up', WhoId: leadId(i), OwnerId: sim.control.salesUserId, Status: 'Not Started', ActivityDate: '2026-11-16' } })));
    expect(created.every((r) => r.ok)).toBe(true);
    // Nothing closed yet: the first read (no cursor) has nothing to say.
    expect(await collect(sf.tasksSince(null))).toEqual([]);

    await asSales('PATCH', `/sobjects/Task/${idOf(created[0]!)}`, { Status: 'Completed' });
    const logged = await asSales('POST', '/sobjects/Task', { WhoId: leadId(4), Type: 'Call', Status: 'Completed', Subject: 'Discovery call', OwnerId: sim.control.salesUserId });
    await asSales('POST', '/sobjects/Task', { WhoId: leadId(5), Type: 'Email', Status: 'Not Started', Subject: 'To do', OwnerId: sim.control.salesUserId });
    await asSales('POST', '/sobjects/Task', { WhoId: leadId(5), Type: 'Other', Status: 'Completed', Subject: 'Note', OwnerId: sim.control.salesUserId });
    await asSales('POST', '/sobjects/Task', { WhoId: leadId(6), Type: 'Meeting', Status: 'Completed', Subject: 'Unlinked', OwnerId: sim.control.salesUserId });

    // First read: our follow-ups only.
    const first = await collect(sf.tasksSince(null));
    expect(first.flatMap((p) => p.touches)).toEqual([{ hubspotId: '5000', key: key(0), taskId: idOf(created[0]!), kind: 'task', at: expect.any(String) }]);

    // With a cursor: logged activities on linked records too, in one query plus one per object to resolve them.
    sim.control.resetStats();
    const pages = await collect(sf.tasksSince({ modstamp: 0, id: '' }));
    const later = pages.flatMap((p) => p.touches);
    expect(later.map((t) => [t.hubspotId, t.kind, t.key])).toEqual([['5000', 'task', key(0)], ['5004', 'call', null]]);
    expect(later[1]!.taskId).toBe(logged.id);
    expect(Object.entries(simCalls(sim)).filter(([e]) => e.includes('/query')).reduce((n, [, c]) => n + c, 0)).toBe(2);
    // Resuming from the cursor after the last page reads nothing twice.
    expect(await collect(sf.tasksSince(pages.at(-1)!.cursor))).toEqual([]);
  });

  test('escalation changes open follow-ups only', async () => {
    const sf = connector(redis, config());
    const created = await sf.ensureTasks([0, 1].map((i) => ({ key: key(i), fields: { Subject: 'MQL follow-up', WhoId: leadId(i), OwnerId: sim.control.integrationUserId, Status: 'Not Started', Priority: 'Normal' } })));
    await asSales('PATCH', `/sobjects/Task/${idOf(created[0]!)}`, { Status: 'Completed' });
    const results = await sf.updateOpenTasks([
      { key: key(0), fields: { Priority: 'High' } },
      { key: key(1), fields: { Priority: 'High', OwnerId: sim.control.salesUserId } },
      { key: 'lsync:9999:1', fields: { Priority: 'High' } },
    ]);
    expect(results.map((r) => [r.key, r.ok, r.ok ? undefined : r.code])).toEqual([[key(0), false, 'TASK_NOT_OPEN'], [key(1), true, undefined], ['lsync:9999:1', false, 'TASK_NOT_OPEN']]);
    expect(sim.control.record(idOf(created[1]!))).toMatchObject({ Priority: 'High', OwnerId: sim.control.salesUserId });
    expect(sim.control.record(idOf(created[0]!))).toMatchObject({ Priority: 'Normal' });
  });
});
