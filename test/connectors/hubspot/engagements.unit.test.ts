/** CRM engagements for a batch of contacts: associations 1,000 at a time, objects 100 at a time, rules applied. */
import nock from 'nock';
import { callTotals } from '../../../connectors/accounting';
import type { HubSpotContactRecord } from '../../../connectors/ports';
import { BASE, JSON_HEADERS, makeConnector, type TestConnector } from './harness';
import { useNock } from '../../support/nock';

interface Inputs {
  inputs: Array<{ id: string }>;
}

const envelope = (results: unknown[], errors: unknown[]) => ({
  status: 'COMPLETE', results, startedAt: '2026-11-01T10:00:00.000Z', completedAt: '2026-11-01T10:00:00.200Z',
  ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
});

const record = (id: string): HubSpotContactRecord => ({ id, properties: { hs_object_id: id, email: null }, updatedAt: '2026-11-01T10:00:00.000Z' });

/** Contact i has an e-mail engagement when i % 10 == 0 (every third one outgoing) and a meeting when i % 100 == 0, shared with contact i + 1. */
function associationsReply(objectType: string) {
  const sizes: number[] = [];
  const reply = (_uri: string, body: nock.Body): [number, nock.Body, Record<string, string>] => {
    const ids = (body as Inputs).inputs.map((i) => i.id);
    sizes.push(ids.length);
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const id of ids) {
      const n = Number(id);
      let targets: number[] = [];
      if (objectType === 'emails' && n % 10 === 0) targets = [70_000 + n];
      if (objectType === 'meetings' && n % 100 === 0) targets = [80_000 + n];
      if (objectType === 'meetings' && n % 100 === 1) targets = [80_000 + n - 1];
      if (targets.length === 0) {
        errors.push({ status: 'error', category: 'OBJECT_NOT_FOUND', subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND', message: `No ${objectType} is associated with contacts ${id}.`, context: { fromObjectId: [id] } });
        continue;
      }
      results.push({ from: { id }, to: targets.map((t) => ({ toObjectId: t, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: objectType === 'emails' ? 197 : 199, label: null }] })) });
    }
    return [errors.length > 0 ? 207 : 200, envelope(results, errors), JSON_HEADERS];
  };
  return { reply, sizes };
}

function objectsReply(objectType: string) {
  const sizes: number[] = [];
  const reply = (_uri: string, body: nock.Body): [number, nock.Body, Record<string, string>] => {
    const ids = (body as Inputs).inputs.map((i) => i.id);
    sizes.push(ids.length);
    const results = ids.map((id) => {
      const n = Number(id);
      const at = new Date(Date.UTC(2026, 9, 1) + n * 1000).toISOString();
      const properties: Record<string, string> = objectType === 'emails'
        ? { hs_object_id: id, hs_timestamp: at, hs_email_direction: (n - 70_000) % 30 === 0 ? 'EMAIL' : 'INCOMING_EMAIL', hs_email_subject: `Re: batch ${id}` }
        : { hs_object_id: id, hs_timestamp: at, hs_meeting_title: 'Intro meeting', hs_meeting_start_time: at };
      return { id, properties, createdAt: at, updatedAt: at, archived: false };
    });
    return [200, envelope(results, []), JSON_HEADERS];
  };
  return { reply, sizes };
}

describe('engagements in activitiesFor', () => {
  let t: TestConnector;
  useNock();
  afterEach(() => t.close());

  test('1,500 contacts: two association reads per used type (1,000 + 500), objects read 100 at a time and once each, notes never read', async () => {
    t = await makeConnector();
    const before = (await callTotals()).hubspot.total;
    const emails = associationsReply('emails');
    const meetings = associationsReply('meetings');
    const calls = associationsReply('calls');
    const emailObjects = objectsReply('emails');
    const meetingObjects = objectsReply('meetings');
    nock(BASE)
      .post('/crm/v4/associations/contacts/emails/batch/read').times(2).reply(emails.reply)
      .post('/crm/v4/associations/contacts/meetings/batch/read').times(2).reply(meetings.reply)
      .post('/crm/v4/associations/contacts/calls/batch/read').times(2).reply(calls.reply)
      .post('/crm/v3/objects/emails/batch/read').query({ archived: 'false' }).times(2).reply(emailObjects.reply)
      .post('/crm/v3/objects/meetings/batch/read').query({ archived: 'false' }).times(1).reply(meetingObjects.reply);
    const records = Array.from({ length: 1500 }, (_, i) => record(String(i + 1)));
    const activities = await t.connector.activitiesFor(records);
    expect(emails.sizes).toEqual([1000, 500]);
    expect(meetings.sizes).toEqual([1000, 500]);
    expect(calls.sizes).toEqual([1000, 500]);
    expect(emailObjects.sizes).toEqual([100, 50]);
    // 15 meetings of contacts 100..1500, and the one contact 1 shares with contact 0 (outside the batch).
    expect(meetingObjects.sizes).toEqual([16]);
    expect(nock.isDone()).toBe(true);
    expect((await callTotals()).hubspot.total - before).toBe(9);

    // Incoming e-mails are replies; outgoing ones (every 30th) are not activities.
    expect(activities.get('10')).toEqual([{ type: 'email_reply', at: new Date(Date.UTC(2026, 9, 1) + 70_010_000).toISOString(), id: 'emails:70010', title: 'Re: batch 70010' }]);
    expect(activities.get('30')).toEqual([]);
    // A meeting associated with two contacts of the batch was read once and belongs to both.
    expect(activities.get('200')!.map((a) => a.id)).toEqual(['emails:70200', 'meetings:80200']);
    expect(activities.get('201')!.map((a) => a.id)).toEqual(['meetings:80200']);
    expect(activities.get('201')![0]).toMatchObject({ type: 'meeting_booked', title: 'Intro meeting' });
    expect(activities.get('7')).toEqual([]);
  });
});
