/**
 * HubSpot deleted a contact (`contact.deletion`) or erased a person (`contact.privacyDeletion`):
 * stop syncing it and forget what the service stored about it. That is every Redis key or
 * entry carrying its id: evaluation inputs and history, echo markers, the activity cache (the
 * connector's, by id and by address), the MQL set of the daily re-evaluation, webhook entries
 * not yet flushed, open handoff episodes, known task keys, failures and audit entries.
 *
 * What stays: the Salesforce records (sales owns them; deleting a Lead is their decision) and
 * run summaries, which carry counts, never ids.
 */
import type { Runtime } from './runtime';

const AUDIT_PAGE = 5_000;

/** Removes the audit entries of these contacts, a page of the stream at a time. */
async function purgeAudit(rt: Runtime, ids: ReadonlySet<string>): Promise<number> {
  const key = rt.store.key('audit');
  let removed = 0;
  let start = '-';
  for (;;) {
    const page = await rt.store.redis.xrange(key, start, '+', 'COUNT', AUDIT_PAGE);
    const doomed = page.filter(([, fields]) => {
      const at = fields.indexOf('hubspotId');
      return at >= 0 && at % 2 === 0 && ids.has(fields[at + 1] ?? '');
    });
    if (doomed.length) removed += await rt.store.redis.xdel(key, ...doomed.map(([id]) => id));
    if (page.length < AUDIT_PAGE) return removed;
    start = `(${page[page.length - 1]![0]}`;
  }
}

/** Open handoff episodes are keyed `lsync:<hubspot id>:<episode start>`. */
async function purgeHandoffs(rt: Runtime, ids: string[]): Promise<void> {
  const key = rt.store.key('handoff', 'open');
  for (const id of ids) {
    let cursor = '0';
    do {
      const [next, flat] = await rt.store.redis.zscan(key, cursor, 'MATCH', `lsync:${id}:*`, 'COUNT', 1000);
      cursor = next;
      const members = flat.filter((_, i) => i % 2 === 0);
      if (members.length) await rt.store.redis.zrem(key, ...members);
    } while (cursor !== '0');
  }
}

export async function purgeContacts(rt: Runtime, ids: string[]): Promise<{ purged: number; auditEntries: number }> {
  if (ids.length === 0) return { purged: 0, auditEntries: 0 };
  const s = rt.store;
  // The stored inputs hold the address the connector's cache is keyed by: read them first.
  const inputs = await Promise.all(ids.map((id) => rt.history.inputs(id)));
  await rt.hubspot.forget?.(ids.map((id, i) => ({ id, email: inputs[i]?.contact.email ?? null })));
  await s.redis
    .multi()
    .del(...ids.flatMap((id) => [s.key('inputs', id), s.key('written', 'hs', id)]))
    .srem(s.key('mqls'), ...ids)
    .zrem(s.key('webhook', 'pending'), ...ids)
    .hdel(s.key('webhook', 'first-seen'), ...ids)
    .exec();
  await rt.history.purge(ids);
  await s.clearFailures('hubspot', ids);
  await s.clearFailures('salesforce', ids);
  for (const id of ids) await s.forgetTasksOf(id);
  await purgeHandoffs(rt, ids);
  const auditEntries = await purgeAudit(rt, new Set(ids));
  return { purged: ids.length, auditEntries };
}
