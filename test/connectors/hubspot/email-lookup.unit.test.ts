/** Contacts by e-mail address: the batch read with idProperty=email, 100 per call, unknown addresses absent. */
import nock from 'nock';
import { BASE, contactJson, JSON_HEADERS, makeConnector, type TestConnector } from './harness';
import { useNock } from '../../support/nock';

describe('readContactsByEmail', () => {
  let t: TestConnector;
  useNock();
  afterEach(() => t.close());

  test('asks with idProperty=email, once per address (case-insensitive), and leaves out addresses HubSpot does not know', async () => {
    t = await makeConnector();
    const bodies: Array<{ inputs: Array<{ id: string }>; idProperty?: string; properties: string[] }> = [];
    nock(BASE).post('/crm/v3/objects/contacts/batch/read').query({ archived: 'false' }).reply((_uri, body) => {
      const b = body as (typeof bodies)[number];
      bodies.push(b);
      const known = b.inputs.filter((i) => i.id.endsWith('@lab.example'));
      const missing = b.inputs.filter((i) => !i.id.endsWith('@lab.example')).map((i) => i.id);
      return [207, {
        status: 'COMPLETE', results: known.map((i, n) => contactJson(String(500 + n), { email: i.id })), startedAt: '2026-11-01T10:00:00.000Z', completedAt: '2026-11-01T10:00:00.050Z',
        numErrors: 1, errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.', context: { ids: missing } }],
      }, JSON_HEADERS];
    });
    const records = await t.connector.readContactsByEmail(['QA.Lead@lab.example', 'qa.lead@lab.example ', 'nobody@elsewhere.example']);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]!.idProperty).toBe('email');
    expect(bodies[0]!.inputs).toEqual([{ id: 'qa.lead@lab.example' }, { id: 'nobody@elsewhere.example' }]);
    expect(bodies[0]!.properties).toContain('lsync_stage');
    expect(records.map((r) => [r.id, r.properties.email])).toEqual([['500', 'qa.lead@lab.example']]);
  });

  test('reads 100 addresses per call', async () => {
    t = await makeConnector();
    const sizes: number[] = [];
    nock(BASE).post('/crm/v3/objects/contacts/batch/read').query({ archived: 'false' }).times(2).reply((_uri, body) => {
      const inputs = (body as { inputs: Array<{ id: string }> }).inputs;
      sizes.push(inputs.length);
      return [200, { status: 'COMPLETE', results: inputs.map((i, n) => contactJson(String(sizes.length * 1000 + n), { email: i.id })), startedAt: '2026-11-01T10:00:00.000Z', completedAt: '2026-11-01T10:00:00.050Z' }, JSON_HEADERS];
    });
    const emails = Array.from({ length: 150 }, (_, i) => `person${i}@lab.example`);
    expect(await t.connector.readContactsByEmail(emails)).toHaveLength(150);
    expect(sizes).toEqual([100, 50]);
  });

  test('an empty list makes no call', async () => {
    t = await makeConnector();
    expect(await t.connector.readContactsByEmail(['', '  '])).toEqual([]);
  });
});
