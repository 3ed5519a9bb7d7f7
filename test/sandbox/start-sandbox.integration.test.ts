import { Client } from '@hubspot/api-client';
import { Connection } from 'jsforce';
import { startSandbox, type RunningSandbox } from '../../sandbox';
import { FIXTURES, contactIdOf, salesforceSeedRecords } from '../../sandbox/dataset';
import { ANCHOR } from './hubspot-harness';

describe('startSandbox', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ contacts: 2_000, seed: 42, anchor: ANCHOR });
  });
  afterAll(() => sandbox.close());

  it('starts both simulators on the loopback interface, seeded from one data set', async () => {
    expect(sandbox.hubspotUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.salesforceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const hubspot = new Client({ accessToken: 'sandbox', basePath: sandbox.hubspotUrl });
    const contact = await hubspot.crm.contacts.basicApi.getById(contactIdOf(FIXTURES.toBeDisqualified), ['email', 'lsync_stage']);
    expect(contact.properties.email).toBe('camille.dubois@aurora-biosciences.fr');

    const conn = new Connection({ instanceUrl: sandbox.salesforceUrl, accessToken: 'sandbox', version: '60.0' });
    const linked = await conn.query<{ Id: string; Email: string }>(`SELECT Id, Email FROM Lead WHERE HubSpot_Contact_Id__c = '${contactIdOf(FIXTURES.toBeDisqualified)}'`);
    expect(linked.records.map((r) => r.Email)).toEqual(['camille.dubois@aurora-biosciences.fr']);
    const leads = await conn.query<{ Id: string }>('SELECT Id FROM Lead');
    const seeded = [...salesforceSeedRecords({ seed: 42, anchor: ANCHOR }, 2_000)].filter((r) => r.sobject === 'Lead');
    expect(leads.totalSize).toBe(seeded.length);

    const stats = sandbox.stats();
    expect(stats.hubspot.requests.total).toBe(1);
    expect(stats.salesforce.requests.total).toBeGreaterThanOrEqual(2);
  });

  it('starts the HubSpot portal with the lifecycle properties by default', async () => {
    const hubspot = new Client({ accessToken: 'sandbox', basePath: sandbox.hubspotUrl });
    const properties = await hubspot.crm.properties.coreApi.getAll('contacts');
    expect(properties.results.map((p) => p.name)).toEqual(expect.arrayContaining(['lsync_stage', 'lsync_mql_date', 'lsync_salesforce_id']));
  });
});
