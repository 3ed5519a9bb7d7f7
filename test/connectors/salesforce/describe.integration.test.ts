/** checkFields() against the simulator's describe answers, as shipped and with fields altered. */
import express, { type Express } from 'express';
import { baseConfig, connector, redisFixture, type RedisFixture } from './helpers';
import { simCalls, startSimulator, type RunningSimulator } from './sim';

type DescribeJson = { fields: Array<Record<string, unknown> & { name: string }> };

/** Puts the simulator behind an app that edits the describe answer of one object. */
function alterDescribe(object: string, edit: (body: DescribeJson) => void): (inner: Express) => Express {
  return (inner) => {
    const outer = express();
    outer.use((req, res, next) => {
      if (req.path.endsWith(`/sobjects/${object}/describe`)) {
        const json = res.json.bind(res);
        res.json = (body: DescribeJson) => {
          edit(body);
          return json(body);
        };
      }
      next();
    }, inner);
    return outer;
  };
}

let sim: RunningSimulator;
let redis: RedisFixture;
beforeEach(() => {
  redis = redisFixture();
});
afterEach(async () => {
  await sim.close();
  await redis.close();
});
const config = () => baseConfig({ SALESFORCE_INSTANCE_URL: sim.url, SALESFORCE_ACCESS_TOKEN: 'sim-token' });

describe('checkFields', () => {
  it('finds nothing to fix in the org the simulator models after docs/DATA-MODEL.md', async () => {
    sim = await startSimulator();
    const report = await connector(redis, config()).checkFields();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checked.Lead).toBeGreaterThan(20);
    expect(simCalls(sim)).toMatchObject({ 'GET /sobjects/Lead/describe': 1, 'GET /sobjects/Contact/describe': 1, 'GET /sobjects/Task/describe': 1 });
  });

  it('names the object and field of a removed field', async () => {
    sim = await startSimulator({}, alterDescribe('Contact', (body) => {
      body.fields = body.fields.filter((f) => f.name !== 'MQL_Tier__c');
    }));
    const report = await connector(redis, config()).checkFields();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({ object: 'Contact', field: 'MQL_Tier__c', problem: 'missing', severity: 'error', message: expect.stringContaining('Contact.MQL_Tier__c') }),
    ]);
  });

  it('reports access, length, picklist, external-id and uniqueness problems', async () => {
    sim = await startSimulator({}, alterDescribe('Lead', (body) => {
      const field = (name: string) => body.fields.find((f) => f.name === name) as Record<string, unknown>;
      field('MQL_Score__c').updateable = false;
      field('MQL_Reasons__c').length = 255;
      const line = field('MQL_Service_Line__c');
      line.picklistValues = (line.picklistValues as Array<{ value: string }>).filter((v) => v.value !== 'general');
      field('HubSpot_Contact_Id__c').externalId = false;
      field('HubSpot_Contact_Id__c').unique = false;
      const status = field('Status');
      status.picklistValues = (status.picklistValues as Array<{ value: string }>).filter((v) => v.value !== 'Open - Not Contacted');
    }));
    const report = await connector(redis, config()).checkFields();
    const found = report.problems.map((p) => [p.object, p.field, p.problem, p.severity]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['Lead', 'MQL_Score__c', 'not_updateable', 'error'],
        ['Lead', 'MQL_Reasons__c', 'too_short', 'error'],
        ['Lead', 'MQL_Service_Line__c', 'picklist_values_missing', 'error'],
        ['Lead', 'HubSpot_Contact_Id__c', 'not_external_id', 'error'],
        ['Lead', 'HubSpot_Contact_Id__c', 'not_unique', 'warning'],
        ['Lead', 'Status', 'picklist_values_missing', 'error'],
      ]),
    );
    expect(found).toHaveLength(6);
    expect(report.problems.find((p) => p.field === 'MQL_Service_Line__c')?.message).toContain('"general"');
  });
});
