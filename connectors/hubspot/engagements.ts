/**
 * CRM engagements (e-mails, meetings, calls, notes) of a batch of contacts with the fewest
 * calls: per engagement type the rules use, one associations v4 batch read per 1,000
 * contacts, then batch reads of the associated objects, 100 per call, each object read once
 * however many of the contacts it is associated with.
 */
import type { Activity } from '../../src/domain/types';
import type { EngagementObjectType } from '../../src/mappings/activities';
import type { ActivityRules } from './activity-rules';
import { chunks } from './chunks';
import type { ConnectorContext } from './context';
import { eachAtOnce } from './feeds/run';

const ASSOCIATION_BATCH = 1000;
const READ_BATCH = 100;

/** Engagement id -> the contacts (of `contactIds`) it is associated with. */
async function associated(ctx: ConnectorContext, objectType: EngagementObjectType, contactIds: string[]): Promise<Map<string, Set<string>>> {
  const links = new Map<string, Set<string>>();
  const endpoint = `POST /crm/v4/associations/contacts/${objectType}/batch/read`;
  // Inputs with more associations than one answer holds come back with `paging` and are asked again from there.
  let pending = contactIds.map((id) => ({ id, after: undefined as string | undefined }));
  while (pending.length > 0) {
    const next: typeof pending = [];
    for (const batch of chunks(pending, ASSOCIATION_BATCH)) {
      const inputs = batch.map(({ id, after }) => ({ id, ...(after ? { after } : {}) }));
      const response = await ctx.requester.call(endpoint, () => ctx.apis.associationsBatch.getPage('contacts', objectType, { inputs }));
      // Contacts without associations come back as per-input errors (207): nothing to read for them.
      for (const result of response.results) {
        const contactId = String(result._from.id);
        for (const to of result.to) {
          const engagementId = String(to.toObjectId);
          let set = links.get(engagementId);
          if (!set) links.set(engagementId, (set = new Set()));
          set.add(contactId);
        }
        const after = result.paging?.next?.after;
        if (after) next.push({ id: contactId, after });
      }
    }
    pending = next;
  }
  return links;
}

/** Activities from CRM engagements, per contact id (contacts without any are absent). */
export async function engagementActivities(ctx: ConnectorContext, rules: ActivityRules, contactIds: string[]): Promise<Map<string, Activity[]>> {
  const out = new Map<string, Activity[]>();
  if (contactIds.length === 0) return out;
  // The types are independent reads: at once, a sync waits for one chain of round trips, not
  // one per type (webhook latency); the shared budget still paces the calls.
  await eachAtOnce(rules.engagementTypes, async (objectType) => {
    const links = await associated(ctx, objectType, contactIds);
    const properties = rules.engagementProperties(objectType);
    const endpoint = `POST /crm/v3/objects/${objectType}/batch/read`;
    for (const ids of chunks([...links.keys()], READ_BATCH)) {
      const response = await ctx.requester.call(endpoint, () =>
        ctx.apis.objectsBatch.read(objectType, { inputs: ids.map((id) => ({ id })), properties, propertiesWithHistory: [] }, false),
      );
      // Engagements deleted since the association was read come back as per-input errors (207): skipped.
      for (const object of response.results) {
        const meaning = rules.engagement(objectType, object.properties);
        if (!meaning) continue;
        const activity: Activity = { type: meaning.type, at: meaning.at, id: `${objectType}:${object.id}`, ...(meaning.title ? { title: meaning.title } : {}) };
        for (const contactId of links.get(String(object.id)) ?? []) {
          let list = out.get(contactId);
          if (!list) out.set(contactId, (list = []));
          list.push(activity);
        }
      }
    }
  });
  return out;
}
