/**
 * Bad input at the webhook endpoint, one case per test: the answer HubSpot gets, and that
 * nothing else was lost (the valid events of the same batch are queued; a refused request
 * leaves no trace; the endpoint keeps accepting afterwards). The API runs alone (no workers),
 * so what was queued can be read back exactly.
 */
import { signV3 } from '../../connectors/hubspot';
import { startTestService, type TestService } from './harness';

jest.setTimeout(60_000);

let t: TestService;
let nextEventId = 1;

beforeAll(async () => {
  t = await startTestService({ role: 'api' });
});
afterAll(() => t.close());

const url = () => `${t.baseUrl}/webhooks/hubspot`;
const event = (objectId: number, extra: Record<string, unknown> = {}) => ({
  eventId: nextEventId++, subscriptionId: 1, portalId: 62515, appId: 1, occurredAt: Date.now(), attemptNumber: 0,
  subscriptionType: 'contact.propertyChange', propertyName: 'jobtitle', propertyValue: 'x', changeSource: 'CRM_UI', objectId, ...extra,
});

/** POSTs as HubSpot does: raw bytes signed with v3 (or with the given headers instead). */
async function post(body: string, headers: Record<string, string> = {}, timestamp = String(Date.now())) {
  const signature = signV3(t.secrets.hubspotClientSecret, 'POST', url(), body, timestamp);
  const response = await fetch(url(), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-HubSpot-Signature-v3': signature, 'X-HubSpot-Request-Timestamp': timestamp, ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown>, headers: response.headers };
}

const pending = async () => (await t.services.runtime.store.redis.zrange(t.services.runtime.store.key('webhook', 'pending'), 0, -1)).sort();
const purgeJobs = async () => (await t.services.queues.control.getJobs(['waiting', 'delayed', 'prioritized'])).filter((j) => j.name === 'purge').map((j) => j.data as { ids: string[] });

/** Each test ends by checking the endpoint still takes a good batch, and that it was stored. */
async function stillAccepting(objectId: number) {
  const ok = await post(JSON.stringify([event(objectId)]));
  expect(ok.status).toBe(200);
  expect(await pending()).toContain(String(objectId));
}

afterEach(async () => {
  await t.services.runtime.store.redis.del(t.services.runtime.store.key('webhook', 'pending'), t.services.runtime.store.key('webhook', 'first-seen'));
});

test('malformed JSON: 400 "malformed JSON body", nothing stored', async () => {
  const res = await post('[{"eventId": 1, "objectId": ');
  expect(res).toMatchObject({ status: 400, body: { error: 'malformed JSON body' } });
  expect(await pending()).toEqual([]);
  await stillAccepting(9001);
});

test('wrong content type: 415, before the body is even read', async () => {
  const res = await post('eventId=1&objectId=2', { 'Content-Type': 'application/x-www-form-urlencoded' });
  expect(res).toMatchObject({ status: 415, body: { error: 'expected Content-Type: application/json' } });
  expect(await pending()).toEqual([]);
  await stillAccepting(9002);
});

test('a body over the limit (512 KiB): 413 "body too large"', async () => {
  const huge = JSON.stringify(Array.from({ length: 6000 }, (_, i) => event(20_000 + i, { propertyValue: 'x'.repeat(80) })));
  expect(huge.length).toBeGreaterThan(512 * 1024);
  const res = await post(huge);
  expect(res).toMatchObject({ status: 413, body: { error: 'body too large' } });
  expect(await pending()).toEqual([]);
  await stillAccepting(9003);
});

test.each([
  ['missing signature', { 'X-HubSpot-Signature-v3': '' }, /missing X-HubSpot-Signature-v3/],
  ['signature of another body', { 'X-HubSpot-Signature-v3': signV3('another-secret', 'POST', 'http://x/', 'y', '1') }, /tampered|does not match/],
  ['not a signature at all', { 'X-HubSpot-Signature-v3': 'not-base64!' }, /not a base64 SHA-256 digest/],
  ['missing timestamp', { 'X-HubSpot-Request-Timestamp': '' }, /missing X-HubSpot-Request-Timestamp/],
])('%s: 401 naming the problem, nothing stored', async (_name, headers, message) => {
  const res = await post(JSON.stringify([event(9100)]), headers as Record<string, string>);
  expect(res.status).toBe(401);
  expect(String(res.body.error)).toMatch(message);
  expect(await pending()).toEqual([]);
  await stillAccepting(9004);
});

test('a stale signature (a replay six minutes later): 401, even though the signature is valid', async () => {
  const res = await post(JSON.stringify([event(9101)]), {}, String(Date.now() - 6 * 60_000));
  expect(res.status).toBe(401);
  expect(String(res.body.error)).toMatch(/stale|timestamp is -?\d+ s from now/);
  expect(await pending()).toEqual([]);
});

test.each([
  ['an object instead of a batch', { eventId: 1, objectId: 2 }, /body: /],
  ['an empty batch', [], /Too small|at least 1/i],
  ['an event without objectId', [{ eventId: 1, occurredAt: 1, subscriptionType: 'contact.creation' }], /0\.objectId/],
])('not a HubSpot batch (%s): 400 naming the field', async (_name, body, message) => {
  const res = await post(JSON.stringify(body));
  expect(res.status).toBe(400);
  expect(String(res.body.error)).toMatch(/^not a HubSpot webhook batch: /);
  expect(String(res.body.error)).toMatch(message);
});

test('unknown subscription types are acknowledged and ignored; the rest of the batch is queued', async () => {
  const res = await post(JSON.stringify([event(9201), event(9202, { subscriptionType: 'deal.creation' }), event(9203, { subscriptionType: 'contact.somethingNew' }), event(9204, { subscriptionType: 'contact.creation' })]));
  expect(res).toMatchObject({ status: 200, body: { accepted: 2, ignored: 2 } });
  expect(await pending()).toEqual(['9201', '9204']);
});

test('events for deleted contacts become one purge job; merged contacts sync both ids; duplicates count once', async () => {
  const merge = event(9302, { subscriptionType: 'contact.merge', primaryObjectId: 9302, mergedObjectIds: [9303] });
  const batch = [event(9301, { subscriptionType: 'contact.deletion' }), event(9305, { subscriptionType: 'contact.privacyDeletion' }), merge, event(9304)];
  const res = await post(JSON.stringify(batch));
  expect(res).toMatchObject({ status: 200, body: { accepted: 2, purges: 2, duplicates: 0 } });
  expect(await pending()).toEqual(['9302', '9303', '9304']);
  expect(await purgeJobs()).toContainEqual({ ids: ['9301', '9305'] });
  // HubSpot retries a delivery it thinks failed: the same events are recognised.
  const again = await post(JSON.stringify(batch));
  expect(again).toMatchObject({ status: 200, body: { accepted: 0, purges: 0, duplicates: 4 } });
});

test('properties the service writes itself come back as echoes and are dropped', async () => {
  const res = await post(JSON.stringify([event(9401, { propertyName: 'lsync_stage', propertyValue: 'mql' }), event(9402)]));
  expect(res).toMatchObject({ status: 200, body: { accepted: 1, echoes: 1 } });
  expect(await pending()).toEqual(['9402']);
});

test('answers carry security headers and no stack trace, whatever the input', async () => {
  const res = await post('\u0000\u0001garbage');
  expect(res.status).toBe(400);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('x-powered-by')).toBeNull();
  expect(JSON.stringify(res.body)).not.toMatch(/\n\s+at |\.ts:\d+|node_modules/);
});
