/** "Why is this contact where it is?": a live evaluation, the match and the writes a sync would make now. */
import { plan } from '../src/domain/plan';
import { planContext, type Runtime } from './runtime';
import type { PlannedWrite } from './sync-contacts';

export interface Explanation {
  contact: { id: string; name: string; company: string | null; jobTitle: string | null; serviceLine: string | null };
  evaluation: ReturnType<typeof plan>['evaluation'];
  lifecycle: { current: string; next: string; transitions: Array<{ actor: string; to: string; reason?: string }>; mqlDate: string | null; notes: string[] };
  salesforce: { via: string; record: { sobject: string; id: string } | null; ambiguous: string[] };
  activities: number;
  wouldWrite: { hubspot: Record<string, string>; salesforce: PlannedWrite['salesforce'] };
}

export async function explainContact(rt: Runtime, hubspotId: string): Promise<Explanation | null> {
  const [record] = await rt.hubspot.readContacts([hubspotId]);
  if (!record) return null;
  const activities = (await rt.hubspot.activitiesFor([record])).get(record.id) ?? [];
  const contact = rt.hubspot.toContact(record);
  const match = (await rt.salesforce.match([{ hubspotId: contact.id, email: contact.email }])).get(contact.id);
  const p = plan(await planContext(rt), record.properties, { contact, activities, record: match?.record ?? null, now: rt.now().toISOString() });
  const salesforce: PlannedWrite['salesforce'] = {};
  if (p.salesforce.update) salesforce.update = Object.keys(p.salesforce.update.fields);
  if (p.salesforce.create) salesforce.createLead = true;
  if (p.salesforce.task) salesforce.task = p.salesforce.task.key;
  return {
    contact: { id: contact.id, name: [contact.firstName, contact.lastName].filter(Boolean).join(' '), company: contact.company, jobTitle: contact.jobTitle, serviceLine: contact.serviceLine },
    evaluation: p.evaluation,
    lifecycle: { current: p.before.stage, next: p.after.stage, transitions: p.transitions.map((t) => ({ actor: t.actor, to: t.to, ...(t.reason ? { reason: t.reason } : {}) })), mqlDate: p.after.mqlDate, notes: p.notes },
    salesforce: { via: match?.via ?? 'none', record: match?.record ? { sobject: match.record.sobject, id: match.record.id } : null, ambiguous: match?.ambiguous ?? [] },
    activities: activities.length,
    wouldWrite: { hubspot: p.hubspot, salesforce },
  };
}
