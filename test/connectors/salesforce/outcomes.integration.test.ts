/** Reading sales outcomes through jsforce against the simulator: cursor, paging, mapping, echo. */
import type { SeedSalesforceRecord } from '../../../sandbox/dataset/types';
import { to18 } from '../../../sandbox/salesforce';
import { AuthConfigError } from '../../../connectors/errors';
import type { OutcomeCursor } from '../../../connectors/ports';
import { baseConfig, collect, connector, mappings, redisFixture, rejection, type RedisFixture } from './helpers';
import { startSimulator, type RunningSimulator } from './sim';

const START = Date.UTC(2026, 9, 1);
const leadId = (n: number): string => to18(`00Q7z${String(n).padStart(10, '0')}`);
/** 120 linked Leads, two per SystemModstamp, plus 10 unlinked ones the read must skip. */
const SEED: SeedSalesforceRecord[] = Array.from({ length: 130 }, (_, i) => ({
  sobject: 'Lead' as const,
  id: leadId(i),
  fields: {
    LastName: `Lead ${i}`,
    Company: 'Helix Bio',
    HubSpot_Contact_Id__c: i < 120 ? String(4000 + i) : null,
    CreatedDate: new Date(START).toISOString(),
    SystemModstamp: new Date(START + Math.floor(i / 2) * 60_000).toISOString(),
  },
}));

const { reasons } = mappings;
let sim: RunningSimulator;
let redis: RedisFixture;
beforeEach(async () => {
  sim = await startSimulator({ seedRecords: SEED, queryPageSize: 50 });
  redis = redisFixture();
});
afterEach(async () => {
  await sim.close();
  await redis.close();
});

/** The username-password flow: the login answer names the integration user. */
const passwordConfig = () =>
  baseConfig({ SALESFORCE_LOGIN_URL: sim.url, SALESFORCE_USERNAME: 'integration@lifecycle-sync.example', SALESFORCE_PASSWORD: 'pw', SALESFORCE_CLIENT_ID: 'id', SALESFORCE_CLIENT_SECRET: 'secret' });

async function asSales(id: string, fields: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${sim.url}/services/data/v60.0/sobjects/Lead/${id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${sim.control.issueToken(sim.control.salesUserId)}`, 'content-type': 'application/json' },
    body: JSON.stringify(fields),
  });
  expect(res.status).toBe(204);
}

describe('outcomesSince', () => {
  it('pages in (SystemModstamp, Id) order with a cursor after each page; resuming mid-timestamp loses and repeats nothing', async () => {
    const sf = connector(redis, passwordConfig());
    const pages = await collect(sf.outcomesSince('Lead', null));
    expect(pages.map((p) => p.changes.length)).toEqual([50, 50, 20]);
    const ids = pages.flatMap((p) => p.changes.map((c) => c.record.id));
    expect(ids).toEqual(SEED.slice(0, 120).map((s) => s.id));
    const first = pages[0];
    expect(first?.cursor).toEqual({ modstamp: START + 24 * 60_000, id: leadId(49) });

    // Resume from a cursor between two records sharing one SystemModstamp.
    const cursor: OutcomeCursor = { modstamp: START + 30 * 60_000, id: leadId(60) };
    const rest = (await collect(sf.outcomesSince('Lead', cursor))).flatMap((p) => p.changes.map((c) => c.record.id));
    expect(rest).toEqual(SEED.slice(61, 120).map((s) => s.id));
    const last = pages[2]?.cursor ?? null;
    expect(await collect(sf.outcomesSince('Lead', last))).toEqual([]);
  });

  it('maps sales decisions through reasons.yaml and recognises the service\'s own writes', async () => {
    const sf = connector(redis, passwordConfig());
    const cursor = (await collect(sf.outcomesSince('Lead', null))).at(-1)?.cursor ?? null;
    await asSales(leadId(1), { Status: 'Disqualified', Disqualification_Reason__c: 'No budget' });
    await asSales(leadId(2), { Status: 'Recycled', Recycle_Reason__c: 'Project on hold' });
    await asSales(leadId(3), { Status: 'Sales Qualified', SQL_Date__c: '2026-11-20' });
    await asSales(leadId(4), { Status: 'Disqualified', Disqualification_Reason__c: 'Acquired by a competitor' });
    await sf.updateRecords([{ key: '4005', sobject: 'Lead', id: leadId(5), fields: { MQL__c: true } }]);
    const changes = (await collect(sf.outcomesSince('Lead', cursor))).flatMap((p) => p.changes);
    const byId = new Map(changes.map((c) => [c.record.id, c]));
    expect(changes).toHaveLength(5);
    expect(byId.get(leadId(1))).toMatchObject({ hubspotId: '4001', byIntegrationUser: false, outcome: { kind: 'disqualified', reason: reasons.disqualificationReasons['No budget'] } });
    expect(byId.get(leadId(2))?.outcome).toMatchObject({ kind: 'recycled', reason: reasons.recycleReasons['Project on hold'] });
    expect(byId.get(leadId(3))?.outcome).toEqual({ kind: 'sql', at: '2026-11-20T00:00:00.000Z' });
    expect(byId.get(leadId(4))?.outcome).toMatchObject({ kind: 'disqualified', reason: `${reasons.unmappedReasonPrefix}Acquired by a competitor` });
    expect(byId.get(leadId(5))).toMatchObject({ byIntegrationUser: true, outcome: null });
    const disqualified = byId.get(leadId(1));
    expect(disqualified?.outcome?.at).toBe(disqualified?.modifiedAt);
  });

  it('follows conversions: the Contact created from a linked Lead shows up with the HubSpot id', async () => {
    const sf = connector(redis, passwordConfig());
    const { contactId } = sim.control.convertLead(leadId(7));
    const contacts = (await collect(sf.outcomesSince('Contact', null))).flatMap((p) => p.changes);
    expect(contacts).toEqual([expect.objectContaining({ hubspotId: '4007', record: expect.objectContaining({ id: contactId, sobject: 'Contact' }), outcome: expect.objectContaining({ kind: 'sql' }) })]);
  });

  it('refuses to read outcomes when it cannot tell its own user, naming the variable to set', async () => {
    const sf = connector(redis, baseConfig({ SALESFORCE_INSTANCE_URL: sim.url, SALESFORCE_ACCESS_TOKEN: 'sim-token' }));
    const error = await rejection(collect(sf.outcomesSince('Lead', null)));
    expect(error).toBeInstanceOf(AuthConfigError);
    expect(error.message).toContain('SALESFORCE_INTEGRATION_USER_ID');
    const configured = connector(redis, baseConfig({ SALESFORCE_INSTANCE_URL: sim.url, SALESFORCE_ACCESS_TOKEN: 'sim-token', SALESFORCE_INTEGRATION_USER_ID: sim.control.integrationUserId }));
    await configured.updateRecords([{ key: '4009', sobject: 'Lead', id: leadId(9), fields: { MQL__c: true } }]);
    const changes = (await collect(configured.outcomesSince('Lead', { modstamp: START + 59 * 60_000, id: leadId(119) }))).flatMap((p) => p.changes);
    expect(changes).toEqual([expect.objectContaining({ hubspotId: '4009', byIntegrationUser: true })]);
  });
});
