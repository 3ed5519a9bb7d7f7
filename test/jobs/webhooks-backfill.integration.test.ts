import { Backfills } from '../../jobs/backfill';
import { syncContacts } from '../../jobs/sync-contacts';
import { acceptWebhookEvents, flushWebhooks, type WebhookEvent } from '../../jobs/webhooks';
import type { SyncJobData } from '../../jobs/queues';
import { examples, NOW } from '../fixtures/worked-examples';
import { contactProperties, testRuntime, type TestRuntime } from '../fixtures/runtime';

const own = new Set(['lsync_stage', 'lsync_score']);
const event = (eventId: number, objectId: string, extra: Partial<WebhookEvent> = {}): WebhookEvent => ({
  eventId: String(eventId), occurredAt: Date.parse(NOW) + eventId, subscriptionType: 'contact.propertyChange', objectId, propertyName: 'jobtitle', ...extra,
});

async function syncJobs(t: TestRuntime): Promise<SyncJobData[]> {
  return (await t.queues.sync.getJobs(['prioritized', 'waiting', 'delayed'])).map((j) => j.data);
}

describe('webhook acceptance and flush', () => {
  let t: TestRuntime;
  beforeEach(() => {
    t = testRuntime(NOW);
  });
  afterEach(() => t.close());

  test('a burst of 20 changes to one contact is one sync; duplicates and replays count once', async () => {
    const burst = Array.from({ length: 20 }, (_, i) => event(i + 1, '101'));
    const first = await acceptWebhookEvents(t.rt.store, t.queues, burst, own);
    expect(first).toMatchObject({ accepted: 20, duplicates: 0 });
    const replay = await acceptWebhookEvents(t.rt.store, t.queues, burst.slice(0, 5), own);
    expect(replay).toMatchObject({ accepted: 0, duplicates: 5 });
    expect(await flushWebhooks(t.rt.store, t.queues, 100)).toBe(1);
    const jobs = await syncJobs(t);
    expect(jobs).toEqual([expect.objectContaining({ ids: ['101'], trigger: 'webhook', oldestEventAt: Date.parse(NOW) + 1 })]);
    expect(await flushWebhooks(t.rt.store, t.queues, 100)).toBe(0);
  });

  test('echoes of our own property writes are dropped; deletions are purged; unknown types ignored', async () => {
    const result = await acceptWebhookEvents(t.rt.store, t.queues, [
      event(1, '101', { propertyName: 'lsync_stage' }),
      event(2, '102', { subscriptionType: 'contact.privacyDeletion' }),
      event(3, '103', { subscriptionType: 'deal.creation' }),
      event(4, '104', { subscriptionType: 'contact.merge', primaryObjectId: '104', mergedObjectIds: ['105'] }),
    ], own);
    expect(result).toEqual({ accepted: 1, duplicates: 0, echoes: 1, ignored: 1, purges: 1 });
    await flushWebhooks(t.rt.store, t.queues, 100);
    expect((await syncJobs(t)).flatMap((j) => j.ids).sort()).toEqual(['104', '105']);
    const purge = await t.queues.control.getJobs(['waiting']);
    expect(purge.map((j) => [j.name, j.data])).toContainEqual(['purge', { ids: ['102'] }]);
  });

  test('many contacts are flushed in batches', async () => {
    await acceptWebhookEvents(t.rt.store, t.queues, Array.from({ length: 250 }, (_, i) => event(i + 1, String(1000 + i))), own);
    expect(await flushWebhooks(t.rt.store, t.queues, 100)).toBe(3);
    expect((await syncJobs(t)).map((j) => j.ids.length).sort()).toEqual([100, 100, 50]);
  });
});

describe('backfills', () => {
  let t: TestRuntime;
  let backfills: Backfills;
  beforeEach(() => {
    t = testRuntime(NOW);
    backfills = new Backfills(t.rt.store, t.queues);
    for (const n of [1, 2, 3, 4, 5] as const) t.hubspot.put(examples[n].contact.id, contactProperties(examples[n].contact), examples[n].activities);
  });
  afterEach(() => t.close());

  /** Runs the chunks (including those chunks make) as the sync worker would, until none is left. */
  async function runChunks(id: string) {
    for (let jobs = await t.queues.sync.getJobs(['prioritized', 'waiting']); jobs.length; jobs = await t.queues.sync.getJobs(['prioritized', 'waiting'])) {
      for (const job of jobs) {
        const listed = await backfills.takeChunk(t.rt, job.data, (ids) => job.updateData({ ...job.data, ids }));
        const report = await syncContacts(t.rt, listed ? { ...job.data, ids: listed.map((r) => r.id) } : job.data, 'w', listed);
        await backfills.chunkFinished(id, job.data.chunk!, { report });
        await job.remove();
      }
    }
  }

  test('a full backfill is a chain of chunks that read their own contacts once, with progress and a final report', async () => {
    const id = await backfills.start({});
    await backfills.drive(t.rt, id, 2);
    expect(await backfills.get(id)).toMatchObject({ status: 'running', total: 0, enqueueDone: false, done: 0 });
    await runChunks(id);
    const done = await backfills.get(id);
    // Pages of 3 (the fake): the first chunk takes one page, the second the last two contacts.
    expect(done).toMatchObject({ status: 'completed', total: 5, chunks: 2, done: 5, failed: 0, counts: { 'stage:mql': 4, 'stage:lead': 1, leadsCreated: 4, tasksCreated: 4 } });
    expect(done!.finishedAt).toBeDefined();
    expect(t.hubspot.calls.readContacts).toBeUndefined();
  });

  test('a chunk that dies while reading is retried from its own start; the next chunk is made once', async () => {
    const id = await backfills.start({});
    await backfills.drive(t.rt, id, 3);
    const list = t.hubspot.listContacts.bind(t.hubspot);
    let pages = 0;
    t.hubspot.listContacts = async function* (after?: string) {
      for await (const page of list(after)) {
        if (++pages === 2) throw new Error('worker killed');
        yield page;
      }
    };
    await expect(runChunks(id)).rejects.toThrow('worker killed');
    expect(await backfills.get(id)).toMatchObject({ status: 'running', chunks: 1, total: 3, done: 3, enqueueDone: false });
    t.hubspot.listContacts = list;
    await runChunks(id);
    expect(await backfills.get(id)).toMatchObject({ status: 'completed', chunks: 2, total: 5, done: 5 });
  });

  test('a chunk retried after reading syncs the ids it saved; one that never read ends the backfill as failed', async () => {
    const id = await backfills.start({});
    await backfills.drive(t.rt, id, 3);
    const [first] = await t.queues.sync.getJobs(['prioritized', 'waiting']);
    await backfills.takeChunk(t.rt, first!.data, (ids) => first!.updateData({ ...first!.data, ids }));
    const saved = (await t.queues.sync.getJob(first!.id!))!.data;
    expect(saved.ids).toEqual(['101', '102', '103']);
    expect(await backfills.takeChunk(t.rt, saved, async () => undefined)).toBeUndefined();
    await backfills.chunkFinished(id, 1, { error: 'HubSpot unreachable', contacts: 0, unread: true });
    expect(await backfills.get(id)).toMatchObject({ status: 'failed', total: 3, errors: { 'HubSpot unreachable': 0 } });
  });

  test('a dry run reports every planned write and writes nothing', async () => {
    const id = await backfills.start({ dryRun: true, serviceLine: 'cdmo_services' });
    await backfills.drive(t.rt, id, 5);
    await runChunks(id);
    const state = await backfills.get(id);
    expect(state).toMatchObject({ status: 'completed', plannedWrites: 2, counts: { otherServiceLine: 3 } });
    expect((await backfills.planned(id)).map((p) => p.hubspotId).sort()).toEqual(['101', '102']);
    expect(t.salesforce.calls.createLeads).toBeUndefined();
  });

  test('cancelling stops the driver and chunks skip themselves', async () => {
    const id = await backfills.start({ ids: ['101', '102', '103'] });
    expect(await backfills.cancel(id)).toBe(true);
    await backfills.drive(t.rt, id, 1);
    expect(await backfills.get(id)).toMatchObject({ status: 'cancelled', chunks: 0 });
    expect(await backfills.cancel(id)).toBe(false);
  });
});
