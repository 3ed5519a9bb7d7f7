/**
 * The scheduled triggers. Each only chooses ids and enqueues the unit of work; a cursor moves
 * on only after the ids of its page are durably enqueued, so a crash re-does, never skips.
 */
import { createHash } from 'node:crypto';
import type { ContactCursor, OutcomeCursor, SalesforceObject, SalesforceRecord } from '../connectors/ports';
import { trackHandoffs, type HandoffPollReport } from './handoff';
import { FRESH_FEEDS_MS } from './backfill';
import { enqueueSync, type Queues } from './queues';
import type { Runtime } from './runtime';
import { inputFingerprint } from './sync-contacts';

const OUTCOME_OVERLAP_MS = 120_000;

export interface PollReport {
  pages: number;
  seen: number;
  enqueued: number;
  skippedEchoes: number;
}

/** HubSpot contacts changed since the cursor, plus contacts with new feed activity. */
export async function pollHubSpot(rt: Runtime, queues: Queues, batchSize: number): Promise<PollReport & { feedContacts: number }> {
  const saved = await rt.store.getCursor<ContactCursor>('hubspot-contacts');
  // First run without a cursor: start now, and keep that start even when nothing changes
  // before the next poll (else each poll would start "now" again and miss what came between).
  const cursor = saved ?? { modifiedAt: rt.now().getTime(), id: '0' };
  if (!saved) await rt.store.setCursor('hubspot-contacts', cursor);
  // A feed another refresh read moments ago is skipped: its news for contacts came with
  // changes to their summary properties (found below) or was a full backfill's, which syncs all.
  const feeds = await rt.hubspot.refreshFeeds({ unlessFresherThanMs: FRESH_FEEDS_MS });
  // History is what a backfill is for: the first refresh loads the feeds' whole retention,
  // and syncing every contact in it would repeat the backfill (measured: +44% sync jobs).
  if (saved) await enqueueSync(queues, feeds.contactIds, batchSize, { trigger: 'scheduled' });
  const own = new Set(Object.values(rt.mappings.fields.hubspot.lifecycle.properties));
  const report = { pages: 0, seen: 0, enqueued: 0, skippedEchoes: 0, feedContacts: feeds.contactIds.length };
  for await (const page of rt.hubspot.changedContacts(cursor)) {
    const fingerprints = new Map(page.records.map((r) => [r.id, inputFingerprint(r, own)]));
    const echoes = await rt.store.unchangedInputs(fingerprints);
    const ids = page.records.map((r) => r.id).filter((id) => !echoes.has(id));
    await enqueueSync(queues, ids, batchSize, { trigger: 'scheduled' });
    await rt.store.setCursor('hubspot-contacts', page.cursor);
    report.pages++;
    report.seen += page.records.length;
    report.enqueued += ids.length;
    report.skippedEchoes += echoes.size;
  }
  return report;
}

/**
 * The record a contact lives in now: a converted Lead's Contact. The Lead's and the Contact's
 * changes are written back by separate jobs in either order; both must link the Contact.
 */
function livesIn(record: SalesforceRecord): string {
  const contactId = record.fields.ConvertedContactId;
  return record.sobject === 'Lead' && record.fields.IsConverted === true && typeof contactId === 'string' && contactId ? contactId : record.id;
}

/**
 * Salesforce Lead and Contact changes since their cursors; only new sales decisions go on.
 * Then the handoff: first sales touches on follow-up tasks, and SLA breaches.
 */
export async function pollOutcomes(rt: Runtime, queues: Queues, batchSize: number): Promise<PollReport & { handoff: HandoffPollReport }> {
  const report = { pages: 0, seen: 0, enqueued: 0, skippedEchoes: 0 };
  for (const sobject of ['Lead', 'Contact'] as SalesforceObject[]) {
    const pull = Object.values(rt.mappings.fields.salesforce.pull[sobject]);
    const saved = await rt.store.getCursor<OutcomeCursor>(`salesforce-${sobject}`);
    // SystemModstamp is assigned before commit: a change can appear behind a cursor that has
    // passed its timestamp. Re-reading a short overlap catches it; fingerprints drop repeats.
    const cursor = saved && { modstamp: saved.modstamp - OUTCOME_OVERLAP_MS, id: '' };
    for await (const page of rt.salesforce.outcomesSince(sobject, cursor)) {
      const fingerprints = new Map(
        page.changes.map((c) => [c.record.id, createHash('sha1').update(JSON.stringify(pull.map((f) => c.record.fields[f] ?? null))).digest('base64url')]),
      );
      const fresh = await rt.store.unseenOutcomes(fingerprints);
      const items = page.changes
        .filter((c) => fresh.has(c.record.id))
        .map((c) => ({ hubspotId: c.hubspotId, sobject, id: livesIn(c.record), fields: Object.fromEntries(pull.map((f) => [f, c.record.fields[f] ?? null])) }));
      for (let i = 0; i < items.length; i += batchSize) {
        await queues.outcomes.add('outcomes', { items: items.slice(i, i + batchSize), trigger: 'outcomes' }, { priority: 3 });
      }
      await rt.store.markOutcomesSeen(fingerprints);
      await rt.store.setCursor(`salesforce-${sobject}`, page.cursor);
      report.pages++;
      report.seen += page.changes.length;
      report.enqueued += items.length;
      report.skippedEchoes += page.changes.length - items.length;
    }
  }
  return { ...report, handoff: await trackHandoffs(rt) };
}

/**
 * The daily re-evaluation: every contact the service holds as MQL is synced again, so decay
 * and hysteresis act (and scores stay current) even when nothing new happened.
 */
export async function reevaluateMqls(rt: Runtime, queues: Queues, batchSize: number): Promise<{ enqueued: number }> {
  let enqueued = 0;
  for await (const ids of rt.store.mqlIds()) {
    await enqueueSync(queues, ids, batchSize, { trigger: 'reevaluate' });
    enqueued += ids.length;
  }
  return { enqueued };
}
