import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Signature } from '@hubspot/api-client';
import { FIXTURES, contactIdOf } from '../../sandbox/dataset';
import type { WebhookEvent } from '../../sandbox/hubspot';
import { startHubSpot, type HubSpotHarness } from './hubspot-harness';

const SECRET = 'test-client-secret';

interface Delivery {
  url: string;
  body: string;
  events: WebhookEvent[];
  headers: IncomingMessage['headers'];
}

/** A webhook endpoint recording raw deliveries; answers `statuses` in turn, then 204. */
class Receiver {
  readonly deliveries: Delivery[] = [];
  statuses: number[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.deliveries.push({ url: `${this.url.split('/hooks')[0]}${req.url}`, body, events: JSON.parse(body) as WebhookEvent[], headers: req.headers });
        res.statusCode = this.statuses.shift() ?? 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/hubspot?portal=sandbox`;
  }

  events(): WebhookEvent[] {
    return this.deliveries.flatMap((d) => d.events);
  }

  async waitFor(predicate: (events: WebhookEvent[]) => boolean, timeoutMs = 5_000): Promise<WebhookEvent[]> {
    const started = Date.now();
    while (!predicate(this.events())) {
      if (Date.now() - started > timeoutMs) throw new Error(`timed out; received ${JSON.stringify(this.events().map((e) => [e.subscriptionType, e.propertyName]))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.events();
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

describe('HubSpot simulator: webhooks out', () => {
  const receiver = new Receiver();
  let hs: HubSpotHarness;
  beforeAll(async () => {
    await receiver.start();
    hs = await startHubSpot({
      contacts: 300, withLifecycleProperties: true,
      webhooks: { url: receiver.url, clientSecret: SECRET, batchWindowMs: 30, retryDelaysMs: [50, 100, 200], timeoutMs: 1_000 },
    });
  });
  afterAll(async () => {
    await hs.close();
    await receiver.close();
  });
  beforeEach(() => {
    receiver.deliveries.length = 0;
    receiver.statuses = [];
  });

  it('signs every delivery with signature v3 over the raw body and the full URL', async () => {
    hs.sim.control.addActivity(contactIdOf(FIXTURES.labTechReader), { type: 'demo_request' });
    await receiver.waitFor((events) => events.length > 0);
    const delivery = receiver.deliveries[0]!;
    expect(delivery.headers['content-type']).toBe('application/json');
    const timestamp = Number(delivery.headers['x-hubspot-request-timestamp']);
    expect(Math.abs(Date.now() - timestamp)).toBeLessThan(10_000);
    expect(Signature.isValid({
      signatureVersion: 'v3', signature: String(delivery.headers['x-hubspot-signature-v3']), method: 'POST', clientSecret: SECRET,
      requestBody: delivery.body, url: receiver.url, timestamp,
    })).toBe(true);
    expect(Signature.isValid({
      signatureVersion: 'v3', signature: String(delivery.headers['x-hubspot-signature-v3']), method: 'POST', clientSecret: 'another-secret',
      requestBody: delivery.body, url: receiver.url, timestamp,
    })).toBe(false);
  });

  it('turns an added form submission into propertyChange events for the summary properties, and bumps lastmodifieddate', async () => {
    const id = contactIdOf(FIXTURES.hospitalPurchasing);
    const before = await hs.client.crm.contacts.basicApi.getById(id, ['num_conversion_events']);
    const response = await fetch(`${hs.server.url}/__sandbox/hubspot/activities`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ contactId: id, activity: { type: 'pricing_request' } }),
    });
    expect(response.status).toBe(201);
    const events = await receiver.waitFor((es) => es.some((e) => e.propertyName === 'recent_conversion_date'));
    const change = events.find((e) => e.propertyName === 'num_conversion_events')!;
    expect(change).toMatchObject({ subscriptionType: 'contact.propertyChange', objectId: Number(id), changeSource: 'FORM', attemptNumber: 0 });
    expect(change.propertyValue).toBe(String(Number(before.properties.num_conversion_events) + 1));
    expect(events.map((e) => e.propertyName)).not.toContain('lastmodifieddate');
    const after = await hs.client.crm.contacts.basicApi.getById(id, ['recent_conversion_event_name']);
    expect(after.properties.recent_conversion_event_name).toBe('Pricing request');
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    // The submission is in the form's feed, newest first.
    const feed = await hs.client.apiRequest({ method: 'GET', path: '/form-integrations/v1/submissions/forms/7a1d9e42-0c3b-4f5a-8e6d-2c4b6a8e0f02', qs: { limit: '1' } });
    const latest = ((await feed.json()) as { results: Array<{ values: Array<{ name: string; value: string }> }> }).results[0];
    expect(latest?.values.find((v) => v.name === 'email')?.value).toBe('siobhan.murphy@highmoor-hospital.co.uk');
  });

  it('echoes the service\'s own API writes back with changeSource API', async () => {
    const id = contactIdOf(12);
    await hs.client.crm.contacts.basicApi.update(id, { properties: { lsync_stage: 'mql', lsync_score: '71.5' } });
    const events = await receiver.waitFor((es) => es.filter((e) => e.objectId === Number(id)).length >= 2);
    expect(events.filter((e) => e.objectId === Number(id)).map((e) => [e.propertyName, e.propertyValue, e.changeSource]).sort()).toEqual([
      ['lsync_score', '71.5', 'API'], ['lsync_stage', 'mql', 'API'],
    ]);
  });

  it('retries a failed delivery with a higher attemptNumber until it is accepted', async () => {
    receiver.statuses = [500, 503];
    hs.sim.control.updateContact(contactIdOf(20), { jobtitle: 'Head of Process Development (acting)' });
    const events = await receiver.waitFor((es) => es.some((e) => e.attemptNumber === 2));
    expect(receiver.deliveries).toHaveLength(3);
    expect(events.map((e) => e.attemptNumber)).toEqual([0, 1, 2]);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(1);
    expect(events[0]).toMatchObject({ propertyName: 'jobtitle', changeSource: 'CRM_UI' });
    expect(hs.sim.stats().webhooks.attemptsFailed).toBeGreaterThanOrEqual(2);
  });

  it('sends creation, deletion, privacy deletion and merge events from control calls', async () => {
    const created = hs.sim.control.createContact({ email: 'new.person@kinvara-bio.com', firstname: 'New' });
    expect(hs.sim.control.mergeContacts(contactIdOf(40), contactIdOf(41))).toBe(true);
    expect(hs.sim.control.deleteContact(contactIdOf(42))).toBe(true);
    expect(hs.sim.control.deleteContact(contactIdOf(43), true)).toBe(true);
    const events = await receiver.waitFor((es) => es.some((e) => e.subscriptionType === 'contact.privacyDeletion'));
    expect(events.find((e) => e.subscriptionType === 'contact.creation')?.objectId).toBe(Number(created));
    expect(events.find((e) => e.subscriptionType === 'contact.merge')).toMatchObject({ primaryObjectId: Number(contactIdOf(40)), mergedObjectIds: [Number(contactIdOf(41))] });
    expect(events.find((e) => e.subscriptionType === 'contact.deletion')?.objectId).toBe(Number(contactIdOf(42)));
    const gone = await hs.client.apiRequest({ method: 'GET', path: `/crm/v3/objects/contacts/${contactIdOf(41)}` });
    expect(gone.status).toBe(404);
  });

  it('runs an activity stream in batches of at most 100 events, with bursts on the same contact', async () => {
    hs.sim.control.startActivityStream({ ratePerSecond: 400, burstiness: 0.6, seed: 5 });
    await receiver.waitFor((es) => es.length > 250, 8_000);
    hs.sim.control.stopActivityStream();
    for (const d of receiver.deliveries) expect(d.events.length).toBeLessThanOrEqual(100);
    const perContact = new Map<number, number>();
    for (const e of receiver.events()) perContact.set(e.objectId, (perContact.get(e.objectId) ?? 0) + 1);
    expect(Math.max(...perContact.values())).toBeGreaterThan(3);
    // Page views, forms, e-mail events and engagements each change their own summary properties.
    expect([...new Set(receiver.events().map((e) => e.changeSource))].sort()).toEqual(expect.arrayContaining(['ANALYTICS', 'EMAIL', 'FORM']));
  });
});
