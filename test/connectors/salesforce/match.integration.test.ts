/** Matching through jsforce against the simulator: the rule on seeded duplicates and conversions, batching. */
import type { SeedSalesforceRecord } from '../../../sandbox/dataset/types';
import { to18 } from '../../../sandbox/salesforce';
import { baseConfig, connector, redisFixture, type RedisFixture } from './helpers';
import { simCalls, startSimulator, type RunningSimulator } from './sim';

const id = (prefix: '00Q' | '003', n: number): string => to18(`${prefix}7z${String(n).padStart(10, '0')}`);
const day = (d: number): string => new Date(Date.UTC(2026, 0, d)).toISOString();
const lead = (n: number, fields: SeedSalesforceRecord['fields'], convertedTo?: string): SeedSalesforceRecord => ({
  sobject: 'Lead',
  id: id('00Q', n),
  fields: { LastName: `Lead ${n}`, Company: 'Helix Bio', ...fields },
  ...(convertedTo ? { convertedContactId: convertedTo } : {}),
});
const contact = (n: number, fields: SeedSalesforceRecord['fields']): SeedSalesforceRecord => ({
  sobject: 'Contact',
  id: id('003', n),
  fields: { LastName: `Contact ${n}`, ...fields },
});

const SEED: SeedSalesforceRecord[] = [
  // h1: linked on both a Lead and a Contact: the Contact wins.
  lead(1, { HubSpot_Contact_Id__c: '1001', Email: 'one@helix.example', CreatedDate: day(1) }),
  contact(1, { HubSpot_Contact_Id__c: '1001', Email: 'one@helix.example', CreatedDate: day(5) }),
  // h2: two unlinked Leads for one address in two cases: the older wins, the other is ambiguous.
  lead(2, { Email: 'Two@Helix.example', CreatedDate: day(3) }),
  lead(3, { Email: 'two@helix.example', CreatedDate: day(2) }),
  // h3: converted Lead found by e-mail, its Contact's address since changed: followed.
  contact(3, { Email: 'three.new@helix.example', CreatedDate: day(9) }),
  lead(4, { Email: 'three@helix.example', CreatedDate: day(4) }, id('003', 3)),
  // h4: converted Lead carrying the HubSpot id, Contact without it: followed.
  contact(4, { Email: 'four.other@helix.example', CreatedDate: day(9) }),
  lead(5, { HubSpot_Contact_Id__c: '1004', Email: 'four@helix.example', CreatedDate: day(4) }, id('003', 4)),
  // h6: only a Contact by e-mail.
  contact(6, { Email: 'six@helix.example', CreatedDate: day(6) }),
  // h7: a Lead with the address but linked to another HubSpot contact: not taken.
  lead(7, { Email: 'seven@helix.example', HubSpot_Contact_Id__c: '9999', CreatedDate: day(7) }),
  // h8: two Contacts created at the same instant: the smaller id wins.
  contact(82, { Email: 'eight@helix.example', CreatedDate: day(8) }),
  contact(81, { Email: 'eight@helix.example', CreatedDate: day(8) }),
  // h9: an unconverted Lead beats a Contact at the e-mail step.
  contact(9, { Email: 'nine@helix.example', CreatedDate: day(1) }),
  lead(9, { Email: 'nine@helix.example', CreatedDate: day(9) }),
];

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

const config = () => baseConfig({ SALESFORCE_INSTANCE_URL: sim.url, SALESFORCE_ACCESS_TOKEN: 'sim-token' });

describe('match against the simulator', () => {
  it('applies the rule: external id (Contact over Lead), e-mail (Lead over Contact), conversions, ties, ambiguity', async () => {
    const sf = connector(redis, config());
    const results = await sf.match([
      { hubspotId: '1001', email: 'one@helix.example' },
      { hubspotId: '1002', email: 'TWO@helix.example' },
      { hubspotId: '1003', email: 'three@helix.example' },
      { hubspotId: '1004', email: 'four@helix.example' },
      { hubspotId: '1005', email: 'nobody@helix.example' },
      { hubspotId: '1006', email: 'six@helix.example' },
      { hubspotId: '1007', email: 'seven@helix.example' },
      { hubspotId: '1008', email: 'eight@helix.example' },
      { hubspotId: '1009', email: 'nine@helix.example' },
      { hubspotId: '1010', email: null },
    ]);
    const summary = Object.fromEntries([...results].map(([k, r]) => [k, [r.via, r.record?.sobject ?? null, r.record?.id ?? null, r.ambiguous]]));
    expect(summary).toEqual({
      '1001': ['external_id', 'Contact', id('003', 1), []],
      '1002': ['email', 'Lead', id('00Q', 3), [id('00Q', 2)]],
      '1003': ['converted', 'Contact', id('003', 3), []],
      '1004': ['converted', 'Contact', id('003', 4), []],
      '1005': ['none', null, null, []],
      '1006': ['email', 'Contact', id('003', 6), []],
      '1007': ['none', null, null, []],
      '1008': ['email', 'Contact', id('003', 81), [id('003', 82)]],
      '1009': ['email', 'Lead', id('00Q', 9), []],
      '1010': ['none', null, null, []],
    });
    // The planner's fields come with the match: push, pull, conversion and audit fields.
    const fields = results.get('1002')?.record?.fields ?? {};
    for (const name of ['Email', 'HubSpot_Contact_Id__c', 'IsConverted', 'ConvertedContactId', 'OwnerId', 'CreatedDate', 'LastModifiedById', 'SystemModstamp', 'MQL__c', 'MQL_Tier__c', 'MQL_Reasons__c', 'Status', 'Disqualification_Reason__c', 'SQL_Date__c']) {
      expect(fields).toHaveProperty(name);
    }
    expect(results.get('1001')?.record?.fields).toHaveProperty('Lifecycle_Status__c');
  });

  it('batches: a few queries for many contacts, chunked under the length limit', async () => {
    const sf = connector(redis, config(), { maxSoqlLength: 3000 });
    const contacts = Array.from({ length: 300 }, (_, i) => ({ hubspotId: String(50_000 + i), email: `person.${i}@example-bio.test` }));
    contacts.push({ hubspotId: '1002', email: 'two@helix.example' });
    sim.control.resetStats();
    const results = await sf.match(contacts);
    expect(results.size).toBe(301);
    expect(results.get('1002')?.record?.id).toBe(id('00Q', 3));
    const calls = simCalls(sim);
    // 301 contacts at ~45 characters each need 5-6 statements of 3,000 characters per object.
    expect(calls['GET /query']).toBeGreaterThanOrEqual(10);
    expect(calls['GET /query']).toBeLessThanOrEqual(12);
    expect(calls['GET /limits']).toBe(1);
  });
});
