/**
 * Form submissions of the few contacts a sync finds behind on the forms feed, read for them
 * alone: the legacy batch read by id (`GET /contacts/v1/contact/vids/batch/` with
 * `formSubmissionMode=all`, up to 100 ids per call) is the one HubSpot read that returns a
 * contact's submissions. One call instead of a forms feed refresh (one call per listed form)
 * was most of the HubSpot budget of near-real-time syncs (bench: 42% of their calls).
 *
 * The entries carry the feed's ids (`form:<conversion id>`) and go to the contact's own
 * cache hash, so the feed's copy (under the e-mail) is the same activity, not a second one.
 * A per-contact mark records the instant read through: a forms hint up to it is not news.
 * The endpoint is legacy: if HubSpot refuses it (retired, 404), syncs go back to refreshing
 * the feed for an hour instead of failing.
 */
import { PermanentError } from '../errors';
import type { HubSpotContactRecord } from '../ports';
import { contactKey, storeEntries, type CacheWrite } from './activity-cache';
import type { ActivityRules } from './activity-rules';
import { chunks } from './chunks';
import { rawJson } from './client';
import type { ConnectorContext } from './context';

const ENDPOINT = 'GET /contacts/v1/contact/vids/batch';
const IDS_PER_CALL = 100;
/** Long enough for the next feed refresh to have read past the mark. */
const MARK_TTL_S = 24 * 3600;

interface LegacySubmission {
  'conversion-id'?: string;
  timestamp?: number;
  'form-id'?: string;
  'page-url'?: string;
}

type LegacyBatch = Record<string, { 'form-submissions'?: LegacySubmission[] }>;

const OFF_FOR_S = 3600;

const markKey = (ctx: ConnectorContext, contactId: string) => `${ctx.keyPrefix}:hubspot:forms-read:${contactId}`;
const offKey = (ctx: ConnectorContext) => `${ctx.keyPrefix}:hubspot:forms-by-id-off`;

/** Calls a per-contact read of `count` contacts costs. */
export const contactFormCalls = (count: number): number => Math.ceil(count / IDS_PER_CALL);

/** The instant each contact's forms were last read through by {@link readContactForms} (absent: never). */
export async function contactFormMarks(ctx: ConnectorContext, ids: string[]): Promise<Map<string, number>> {
  const marks = new Map<string, number>();
  if (ids.length === 0) return marks;
  const values = await ctx.redis.mget(...ids.map((id) => markKey(ctx, id)));
  ids.forEach((id, i) => {
    const value = Number(values[i]);
    if (values[i] !== null && Number.isFinite(value)) marks.set(id, value);
  });
  return marks;
}

/**
 * Reads and caches the form submissions of `records`; returns their new marks, or undefined
 * when HubSpot refuses the endpoint (now or within the last hour): the caller refreshes the feed.
 */
export async function readContactForms(ctx: ConnectorContext, rules: ActivityRules, records: HubSpotContactRecord[]): Promise<Map<string, number> | undefined> {
  if (await ctx.redis.exists(offKey(ctx))) return undefined;
  try {
    return await readAndCache(ctx, rules, records);
  } catch (error) {
    if (!(error instanceof PermanentError)) throw error;
    ctx.logger.warn({ error: error.message }, `HubSpot refused the batch read by id; forms come from the feed refresh for ${OFF_FOR_S / 60} minutes`);
    await ctx.redis.set(offKey(ctx), '1', 'EX', OFF_FOR_S);
    return undefined;
  }
}

async function readAndCache(ctx: ConnectorContext, rules: ActivityRules, records: HubSpotContactRecord[]): Promise<Map<string, number>> {
  const marks = new Map<string, number>();
  const floor = Date.now() - ctx.settings.retentionMs;
  for (const batch of chunks(records.map((r) => r.id), IDS_PER_CALL)) {
    const readFrom = Date.now();
    const qs = new URLSearchParams([...batch.map((id): [string, string] => ['vid', id]), ['formSubmissionMode', 'all'], ['property', 'email'], ['showListMemberships', 'false']]);
    const answer = await ctx.requester.call(ENDPOINT, () => rawJson<LegacyBatch>(ctx.apis.client, { method: 'GET', path: `/contacts/v1/contact/vids/batch/?${qs.toString()}` }));
    const writes: CacheWrite[] = [];
    for (const id of batch) {
      const entries = (answer[id]?.['form-submissions'] ?? []).flatMap((s) => {
        const formGuid = s['form-id'];
        if (!s['conversion-id'] || !formGuid || typeof s.timestamp !== 'number' || s.timestamp < floor || !rules.form(formGuid)) return [];
        return [{ id: `form:${s['conversion-id']}`, at: s.timestamp, item: { kind: 'form' as const, formGuid, ...(s['page-url'] ? { pageUrl: s['page-url'] } : {}) } }];
      });
      if (entries.length) writes.push({ key: contactKey(ctx, id), contactId: id, entries });
      marks.set(id, readFrom);
    }
    await storeEntries(ctx, writes);
    const tx = ctx.redis.multi();
    for (const id of batch) tx.set(markKey(ctx, id), String(readFrom), 'EX', MARK_TTL_S);
    await tx.exec();
  }
  return marks;
}
