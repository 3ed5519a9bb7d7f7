/** The handoff SLA from the outcome poll: touches into history, breaches recorded once and escalated (in-memory systems, real Redis). */
import { handoffHistory } from '../../jobs/reports';
import { pollOutcomes } from '../../jobs/poll';
import { syncContacts } from '../../jobs/sync-contacts';
import { windowOf } from '../../src/domain/reports/history';
import { routeFor } from '../../src/domain/routing';
import { contactProperties, testRuntime, type TestRuntime } from '../fixtures/runtime';
import { examples, NOW } from '../fixtures/worked-examples';

const HOUR = 3_600_000;
const at = (hours: number) => new Date(Date.parse(NOW) + hours * HOUR).toISOString();

describe('handoff SLA tracking', () => {
  let t: TestRuntime;
  beforeEach(() => {
    t = testRuntime(NOW);
    for (const n of [1, 2, 3, 5] as const) t.hubspot.put(examples[n].contact.id, contactProperties(examples[n].contact), examples[n].activities);
    t.rt.mappings.routing.defaults.escalation = { priority: 'High', reassignTo: '0058a0000000009AAA' };
  });
  afterEach(() => t.close());

  const createdEntries = async (id: string) => (await t.rt.history.entries(id)).filter((e) => e.kind === 'task' && e.event === 'created');

  test('deadlines to the hour, first touches, a breach recorded and escalated once, and the report', async () => {
    await syncContacts(t.rt, { ids: ['101', '102', '103', '105'], trigger: 'manual' }, 'w');
    const keys = new Map<string, string>();
    for (const id of ['101', '102', '103', '105']) {
      const [created] = await createdEntries(id);
      expect(created).toBeDefined();
      if (created?.kind !== 'task') continue;
      keys.set(id, created.key);
      // The deadline is the episode start plus the routing rule's SLA, in hours.
      const evaluation = (await t.rt.history.entries(id)).find((e) => e.kind === 'evaluation');
      if (evaluation?.kind !== 'evaluation') continue;
      const route = routeFor(t.rt.mappings.routing, { serviceLine: evaluation.serviceLine, country: t.hubspot.contacts.get(id)!.properties.country ?? null, tier: evaluation.tier });
      expect(Date.parse(created.dueAt!) - Date.parse(NOW)).toBe(route.slaHours * HOUR);
    }
    const open = t.rt.store.key('handoff', 'open');
    expect((await t.redis.zrange(open, 0, -1)).sort()).toEqual([...keys.values()].sort());

    // The first poll finds nothing yet and starts reading logged activities from now.
    expect((await pollOutcomes(t.rt, t.queues, 100)).handoff).toEqual({ touches: 0, firstTouches: 0, breaches: 0, escalated: 0 });
    // Sales completes 101's task after an hour and logs a call on 103 after two.
    t.setNow(at(3));
    t.salesforce.salesTouch({ hubspotId: '101', key: keys.get('101')!, taskId: '00T1', kind: 'task', at: at(1) });
    t.salesforce.salesTouch({ hubspotId: '103', key: null, taskId: '00T9', kind: 'call', at: at(2) });
    const first = await pollOutcomes(t.rt, t.queues, 100);
    expect(first.handoff).toMatchObject({ touches: 2, firstTouches: 2, breaches: 0 });
    expect((await t.rt.history.entries('103')).filter((e) => e.kind === 'task' && e.event === 'first_touch')).toEqual([{ kind: 'task', at: at(2), event: 'first_touch', key: keys.get('103'), via: 'call' }]);
    expect((await t.redis.zrange(open, 0, -1)).sort()).toEqual([keys.get('102'), keys.get('105')].sort());

    // Days later nobody touched 102 or 105: both breached, escalated once each.
    t.setNow(at(24 * 5));
    const second = await pollOutcomes(t.rt, t.queues, 100);
    expect(second.handoff).toMatchObject({ firstTouches: 0, breaches: 2, escalated: 2 });
    for (const id of ['102', '105']) expect(t.salesforce.tasks.get(keys.get(id)!)).toMatchObject({ Priority: 'High', OwnerId: '0058a0000000009AAA' });
    expect((await t.rt.history.entries('102')).filter((e) => e.kind === 'task' && e.event === 'breached')).toEqual([{ kind: 'task', at: at(120), event: 'breached', key: keys.get('102'), via: 'priority+reassign' }]);
    expect(await t.redis.zcard(open)).toBe(0);
    const third = await pollOutcomes(t.rt, t.queues, 100);
    expect(third.handoff).toMatchObject({ breaches: 0, escalated: 0 });

    const report = await handoffHistory(t.rt.history, windowOf(), at(120));
    expect(report.total).toMatchObject({ episodes: 4, touched: 2, breached: 2, overdue: 2, escalated: 2, hoursToFirstTouch: { median: 1, p90: 2 } });
  });

  test('without escalation configured a breach is measured, nothing is written', async () => {
    delete t.rt.mappings.routing.defaults.escalation;
    await syncContacts(t.rt, { ids: ['102'], trigger: 'manual' }, 'w');
    t.setNow(at(24 * 5));
    const before = t.salesforce.calls.updateOpenTasks ?? 0;
    const report = await pollOutcomes(t.rt, t.queues, 100);
    expect(report.handoff).toMatchObject({ breaches: 1, escalated: 0 });
    expect(t.salesforce.calls.updateOpenTasks ?? 0).toBe(before);
    const [breach] = (await t.rt.history.entries('102')).filter((e) => e.kind === 'task' && e.event === 'breached');
    expect(breach).toMatchObject({ via: 'none' });
  });
});
