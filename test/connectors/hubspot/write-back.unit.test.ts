/** updateContacts: 100 per call, 207 multi-status per record, whole-batch refusals isolated. */
import nock from 'nock';
import { RateLimitedError } from '../../../connectors/errors';
import { BASE, contactJson, errorBody, JSON_HEADERS, makeConnector, type TestConnector } from './harness';
import { useNock } from '../../support/nock';

const UPDATE = '/crm/v3/objects/contacts/batch/update';
interface UpdateBody {
  inputs: Array<{ id: string; properties: Record<string, string> }>;
}

const envelope = (results: unknown[], errors: unknown[] = []) => ({
  status: 'COMPLETE', results, startedAt: '2026-11-01T10:00:00.000Z', completedAt: '2026-11-01T10:00:00.300Z',
  ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
});

describe('updateContacts', () => {
  let t: TestConnector;
  useNock();
  afterEach(() => t.close());

  test('250 updates go out as 100 + 100 + 50, only the given properties, one ok result per input in input order', async () => {
    t = await makeConnector();
    const bodies: UpdateBody[] = [];
    nock(BASE).post(UPDATE).times(3).reply((_uri, body) => {
      const b = body as UpdateBody;
      bodies.push(b);
      return [200, envelope(b.inputs.map((i) => contactJson(i.id, i.properties))), JSON_HEADERS];
    });
    const updates = Array.from({ length: 250 }, (_, i) => ({ id: String(9000 + i), properties: { lsync_score: String(i) } }));
    const results = await t.connector.updateContacts(updates);
    expect(bodies.map((b) => b.inputs.length)).toEqual([100, 100, 50]);
    expect(bodies[0]!.inputs[0]).toEqual({ id: '9000', properties: { lsync_score: '0' } });
    expect(results).toHaveLength(250);
    expect(results.every((r, i) => r.ok && r.key === updates[i]!.id)).toBe(true);
  });

  test('207 multi-status: each record gets its own outcome, errors carry HubSpot\'s message', async () => {
    t = await makeConnector();
    const invalid = 'Property values were not valid: [{"isValid":false,"message":"D was not one of the allowed options: [A, B, C]","error":"INVALID_OPTION","name":"lsync_tier"}]';
    nock(BASE).post(UPDATE).reply(207, envelope([contactJson('1', { lsync_tier: 'A' })], [
      { status: 'error', category: 'VALIDATION_ERROR', message: invalid, context: { ids: ['2'] }, errors: [{ message: 'D was not one of the allowed options: [A, B, C]', code: 'INVALID_OPTION', context: { propertyName: ['lsync_tier'] } }] },
      { status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.', context: { ids: ['3'] } },
    ]), JSON_HEADERS);
    const results = await t.connector.updateContacts([
      { id: '1', properties: { lsync_tier: 'A' } }, { id: '2', properties: { lsync_tier: 'D' } }, { id: '3', properties: { lsync_tier: 'B' } },
    ]);
    expect(results[0]).toEqual({ key: '1', ok: true, id: '1' });
    expect(results[1]).toMatchObject({ key: '2', ok: false, retryable: false, code: 'VALIDATION_ERROR', message: invalid });
    expect(results[2]).toMatchObject({ key: '3', ok: false, retryable: false, code: 'OBJECT_NOT_FOUND' });
  });

  test('an input HubSpot neither confirms nor names is reported retryable, never dropped', async () => {
    t = await makeConnector();
    nock(BASE).post(UPDATE).reply(207, envelope([contactJson('1', {})], [{ status: 'error', category: 'INTERNAL_ERROR', message: 'Something went wrong', context: {} }]), JSON_HEADERS);
    const results = await t.connector.updateContacts([{ id: '1', properties: { lsync_score: '1' } }, { id: '2', properties: { lsync_score: '2' } }]);
    expect(results[1]).toMatchObject({ key: '2', ok: false, retryable: true, code: 'UNCONFIRMED' });
  });

  test('a batch HubSpot refuses as a whole (400) is split until the bad record is alone; it carries the correlation id', async () => {
    t = await makeConnector();
    const refused = (body: UpdateBody) => body.inputs.some((i) => i.id === '13');
    nock(BASE).post(UPDATE).times(20).reply((_uri, body) => {
      const b = body as UpdateBody;
      if (refused(b)) return [400, errorBody('Property values were not valid: [{"isValid":false,"message":"99999999 is not a valid number","error":"INVALID_NUMBER","name":"lsync_score"}]', 'VALIDATION_ERROR'), JSON_HEADERS];
      return [200, envelope(b.inputs.map((i) => contactJson(i.id, i.properties))), JSON_HEADERS];
    });
    const updates = Array.from({ length: 16 }, (_, i) => ({ id: String(i), properties: { lsync_score: String(i) } }));
    const results = await t.connector.updateContacts(updates);
    expect(results.filter((r) => r.ok)).toHaveLength(15);
    expect(results[13]).toMatchObject({ key: '13', ok: false, retryable: false, code: 'VALIDATION_ERROR', correlationId: 'c0ffee00-1111-4222-8333-444455556666' });
    expect(results[13]!.ok === false && results[13]!.message).toMatch(/INVALID_NUMBER/);
  });

  test('the same id twice is merged into one input (HubSpot refuses duplicates); an empty change costs no call', async () => {
    t = await makeConnector();
    let body: UpdateBody | undefined;
    nock(BASE).post(UPDATE).reply((_uri, b) => {
      body = b as UpdateBody;
      return [200, envelope(body.inputs.map((i) => contactJson(i.id, i.properties))), JSON_HEADERS];
    });
    const results = await t.connector.updateContacts([
      { id: '7', properties: { lsync_stage: 'mql' } }, { id: '8', properties: {} }, { id: '7', properties: { lsync_tier: 'A' } },
    ]);
    expect(body!.inputs).toEqual([{ id: '7', properties: { lsync_stage: 'mql', lsync_tier: 'A' } }]);
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
  });

  test('a rate limit that outlasts the retries is thrown (the batch is idempotent: the caller re-runs it)', async () => {
    t = await makeConnector({ requests: { maxRateLimitRetries: 0 } });
    nock(BASE).post(UPDATE).reply(429, { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', correlationId: 'aa', policyName: 'TEN_SECONDLY_ROLLING' }, JSON_HEADERS);
    await expect(t.connector.updateContacts([{ id: '1', properties: { lsync_score: '1' } }])).rejects.toBeInstanceOf(RateLimitedError);
  });
});
