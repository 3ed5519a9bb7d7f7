import { syncContacts } from '../../jobs/sync-contacts';
import { examples, NOW } from '../fixtures/worked-examples';
import { contactProperties, testRuntime, type TestRuntime } from '../fixtures/runtime';

describe('a sync leaves contacts whose feed news is not cached yet', () => {
  let t: TestRuntime;
  beforeEach(() => {
    t = testRuntime(NOW);
    for (const n of [1, 2, 3] as const) t.hubspot.put(examples[n].contact.id, contactProperties(examples[n].contact), examples[n].activities);
  });
  afterEach(() => t.close());

  test('contacts the connector reports behind are neither evaluated nor written, and come back with the wait', async () => {
    t.hubspot.feedsBehind = async (records) => ({ ids: records.filter((r) => r.id === '102').map((r) => r.id), retryInMs: 4_200 });
    const report = await syncContacts(t.rt, { ids: ['101', '102', '103'], trigger: 'webhook' }, 'w1');
    expect(report).toMatchObject({ synced: 2, deferred: ['102'], deferMs: 4_200, failures: 0 });
    expect(t.hubspot.contacts.get('102')!.properties.lsync_stage).toBeUndefined();
    expect(t.hubspot.contacts.get('101')!.properties.lsync_stage).toBeDefined();
    // Once the feed has caught up, the contact syncs like any other.
    t.hubspot.feedsBehind = async () => ({ ids: [], retryInMs: 0 });
    expect(await syncContacts(t.rt, { ids: ['102'], trigger: 'retry' }, 'w1')).toMatchObject({ synced: 1, deferred: [] });
    expect(t.hubspot.contacts.get('102')!.properties.lsync_stage).toBe('mql');
  });

  test('a dry run never defers', async () => {
    t.hubspot.feedsBehind = async (records) => ({ ids: records.map((r) => r.id), retryInMs: 1_000 });
    expect(await syncContacts(t.rt, { ids: ['101', '102'], trigger: 'manual', dryRun: true }, 'w1')).toMatchObject({ synced: 2, deferred: [] });
  });
});
