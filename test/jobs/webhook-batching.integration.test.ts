import { acceptWebhookEvents, deferContacts, flushAfterSync, flushWebhooks, type WebhookEvent } from '../../jobs/webhooks';
import { NOW } from '../fixtures/worked-examples';
import { testRuntime, type TestRuntime } from '../fixtures/runtime';

const own = new Set(['lsync_stage']);
const event = (eventId: number, objectId: string): WebhookEvent => ({
  eventId: String(eventId), occurredAt: Date.parse(NOW) + eventId, subscriptionType: 'contact.propertyChange', objectId, propertyName: 'jobtitle',
});

describe('webhook flushes under load', () => {
  let t: TestRuntime;
  beforeEach(() => {
    t = testRuntime(NOW);
  });
  afterEach(() => t.close());

  test('while the last webhook sync has not started, contacts gather for one later job', async () => {
    await acceptWebhookEvents(t.rt.store, t.queues, [event(1, '101'), event(2, '102')], own);
    expect(await flushWebhooks(t.rt.store, t.queues, 100)).toBe(1);
    await acceptWebhookEvents(t.rt.store, t.queues, [event(3, '103')], own);
    await acceptWebhookEvents(t.rt.store, t.queues, [event(4, '104')], own);
    // The first job still waits for a worker: nothing more is enqueued, a later flush is.
    expect(await flushWebhooks(t.rt.store, t.queues, 100)).toBe(0);
    expect(await t.rt.store.redis.zcard(t.rt.store.key('webhook', 'pending'))).toBe(2);
    const flushes = await t.queues.control.getJobs(['delayed', 'waiting']);
    expect(flushes.some((j) => j.name === 'flush-webhooks')).toBe(true);
    // Once a worker took it, the next flush makes one job of everything that gathered.
    const [first] = await t.queues.sync.getJobs(['prioritized', 'waiting']);
    await first!.remove();
    expect(await flushWebhooks(t.rt.store, t.queues, 100)).toBe(1);
    const [second] = await t.queues.sync.getJobs(['prioritized', 'waiting']);
    expect(second!.data.ids.sort()).toEqual(['103', '104']);
  });

  test('contacts a sync deferred rejoin the flushes once due, once each, with their first event time', async () => {
    await deferContacts(t.rt.store, t.queues, ['201', '202'], 60_000, 1_700_000_000_000);
    await deferContacts(t.rt.store, t.queues, ['201'], 60_000);
    expect(await flushWebhooks(t.rt.store, t.queues, 100)).toBe(0);
    expect((await t.queues.control.getJobs(['delayed'])).filter((j) => j.name === 'flush-webhooks').length).toBe(1);
    await deferContacts(t.rt.store, t.queues, ['203'], 30);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await flushWebhooks(t.rt.store, t.queues, 100)).toBe(1);
    const [job] = await t.queues.sync.getJobs(['prioritized', 'waiting']);
    expect(job!.data).toMatchObject({ ids: ['203'], trigger: 'webhook' });
    expect(await t.rt.store.redis.zcard(t.rt.store.key('webhook', 'later'))).toBe(2);
  });
  test('two flushes at once make one job of the pending contacts, and the other flush is rescheduled', async () => {
    await acceptWebhookEvents(t.rt.store, t.queues, [event(1, '301'), event(2, '302'), event(3, '303')], own);
    const made = await Promise.all([flushWebhooks(t.rt.store, t.queues, 100), flushWebhooks(t.rt.store, t.queues, 100)]);
    expect(made.sort()).toEqual([0, 1]);
    const jobs = await t.queues.sync.getJobs(['prioritized', 'waiting']);
    expect(jobs.map((j) => j.data.ids.sort())).toEqual([['301', '302', '303']]);
    expect(await t.rt.store.redis.exists(t.rt.store.key('webhook', 'flush-lock'))).toBe(0);
  });

  test('a completed webhook sync flushes at once only when contacts are pending', async () => {
    await flushAfterSync(t.rt.store, t.queues, '41');
    expect((await t.queues.control.getJobs(['waiting', 'prioritized'])).filter((j) => j.name === 'flush-webhooks')).toHaveLength(0);
    await acceptWebhookEvents(t.rt.store, t.queues, [event(5, '401')], own);
    await flushAfterSync(t.rt.store, t.queues, '42');
    await flushAfterSync(t.rt.store, t.queues, '42');
    const now = (await t.queues.control.getJobs(['waiting', 'prioritized'])).filter((j) => j.name === 'flush-webhooks');
    expect(now.map((j) => j.id)).toEqual(['flush-after-42']);
  });
});
