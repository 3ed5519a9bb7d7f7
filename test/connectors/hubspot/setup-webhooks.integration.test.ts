/**
 * Against the sandbox: property set-up on a fresh portal (doctor, then setup --apply), and
 * signature v3 of webhooks the simulator delivers, checked on the raw bytes received.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox, type RunningSandbox } from '../../../sandbox';
import { makeConnector, type TestConnector } from './harness';

interface Delivery {
  method: string;
  path: string;
  body: Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
}

describe('HubSpot set-up and webhooks against the sandbox', () => {
  jest.setTimeout(60_000);
  let sandbox: RunningSandbox;
  let t: TestConnector;
  let receiver: Server | undefined;
  afterEach(async () => {
    await t?.close();
    await sandbox?.close();
    if (receiver) await new Promise<void>((resolve) => receiver!.close(() => resolve()));
    receiver = undefined;
  });

  test('a fresh portal lacks the lifecycle group and properties; setup creates them; doctor is then clean', async () => {
    sandbox = await startSandbox({ contacts: 50, seed: 1, withLifecycleProperties: false });
    t = await makeConnector({ baseUrl: sandbox.hubspotUrl });
    const before = await t.connector.checkProperties();
    expect(before.ok).toBe(false);
    expect(before.group.exists).toBe(false);
    expect(before.properties.filter((p) => p.role === 'lifecycle').every((p) => p.status === 'missing')).toBe(true);
    expect(before.properties.filter((p) => p.role === 'input').every((p) => p.status === 'ok')).toBe(true);

    const setup = await t.connector.createMissingProperties();
    expect(setup.groupCreated).toBe(true);
    expect(setup.created).toHaveLength(15);
    expect(setup.needsAttention).toEqual([]);
    const after = await t.connector.checkProperties();
    expect(after).toMatchObject({ ok: true, group: { exists: true } });
    // Writing the new properties works, enumerations included.
    const [result] = await t.connector.updateContacts([{ id: '10001', properties: { lsync_stage: 'mql', lsync_tier: 'A', lsync_sales_outcome: 'opportunity' } }]);
    expect(result).toMatchObject({ ok: true });
    // A second run changes nothing.
    expect(await t.connector.createMissingProperties()).toEqual({ groupCreated: false, created: [], needsAttention: [] });
  });

  test('webhooks delivered by the simulator verify with signature v3 over the public URI and raw body; a changed byte does not', async () => {
    const deliveries: Delivery[] = [];
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        deliveries.push({
          method: req.method ?? '', path: req.url ?? '', body: Buffer.concat(chunks),
          signature: req.headers['x-hubspot-signature-v3'] as string | undefined, timestamp: req.headers['x-hubspot-request-timestamp'] as string | undefined,
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/hubspot?portal=62515000`;
    sandbox = await startSandbox({ contacts: 50, seed: 1, webhookUrl: url, webhookSecret: 'test-secret', webhooks: { batchWindowMs: 20 } });
    t = await makeConnector({ baseUrl: sandbox.hubspotUrl });
    sandbox.hubspot.control.addActivity('10003', { type: 'demo_request' });
    sandbox.hubspot.portal.webhooks.flush();
    for (let i = 0; i < 100 && deliveries.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(deliveries.length).toBeGreaterThan(0);
    const d = deliveries[0]!;
    const events = JSON.parse(d.body.toString()) as Array<{ subscriptionType: string; objectId: number }>;
    expect(events.some((e) => e.objectId === 10003 && e.subscriptionType === 'contact.propertyChange')).toBe(true);
    const request = { method: d.method, uri: url, rawBody: d.body, signature: d.signature, timestamp: d.timestamp };
    expect(t.connector.verifyWebhook(request)).toEqual({ ok: true });
    const tampered = Buffer.from(d.body);
    tampered[tampered.length - 2] = tampered[tampered.length - 2]! ^ 1;
    expect(t.connector.verifyWebhook({ ...request, rawBody: tampered })).toMatchObject({ ok: false, reason: 'tampered' });
    expect(t.connector.verifyWebhook({ ...request, uri: url.replace('127.0.0.1', 'localhost') })).toMatchObject({ ok: false, reason: 'tampered' });
    expect(t.connector.verifyWebhook({ ...request, now: Number(d.timestamp) + 301_000 })).toMatchObject({ ok: false, reason: 'stale' });
  });
});
