/**
 * Form submissions, per form (`GET /form-integrations/v1/submissions/forms/{guid}`, 50 per
 * page, newest first). Incremental without a date filter: a form is paged until its
 * submissions are older than the newest one seen last time (equal instants are re-read and
 * de-duplicated by conversion id) or older than the retention. Joined by the submitted
 * e-mail address.
 */
import { rawJson } from '../client';
import { emailKey } from '../activity-cache';
import { writeFeedState } from '../feed-state';
import { eachAtOnce, emptyOutcome, retentionFloor, storeGrouped, type FeedOutcome, type FeedRun } from './run';

interface Submission {
  conversionId: string;
  submittedAt: number;
  values?: Array<{ name: string; value: string }>;
  pageUrl?: string;
}

interface Paged<T> {
  results: T[];
  paging?: { next?: { after?: string } };
}

const SUBMISSIONS = 'GET /form-integrations/v1/submissions/forms/{formGuid}';
const FORMS = 'GET /marketing/v3/forms';

/** Every form of the portal (only read when unlisted forms count as submissions). */
async function allFormGuids(run: FeedRun): Promise<string[]> {
  const guids: string[] = [];
  let after: string | undefined;
  do {
    const qs: Record<string, string> = { limit: '100', ...(after ? { after } : {}) };
    const page = await run.ctx.requester.call(FORMS, () => rawJson<Paged<{ id: string }>>(run.ctx.apis.client, { method: 'GET', path: '/marketing/v3/forms', qs }));
    guids.push(...page.results.map((f) => f.id));
    after = page.paging?.next?.after;
  } while (after);
  return guids;
}

export async function refreshForms(run: FeedRun): Promise<FeedOutcome> {
  const { ctx, rules } = run;
  const outcome = emptyOutcome();
  const guids = [...new Set([...rules.listedForms, ...(rules.readsUnlistedForms ? await allFormGuids(run) : [])])];
  const marks = { ...(run.full ? {} : run.state.marks) };
  const floor = retentionFloor(run);
  await eachAtOnce(guids, async (guid) => {
    const seen = marks[guid];
    let newest = seen ?? 0;
    let after: string | undefined;
    let reachedSeen = false;
    do {
      const qs: Record<string, string> = { limit: '50', ...(after ? { after } : {}) };
      const path = `/form-integrations/v1/submissions/forms/${encodeURIComponent(guid)}`;
      const page = await ctx.requester.call(SUBMISSIONS, () => rawJson<Paged<Submission>>(ctx.apis.client, { method: 'GET', path, qs }));
      const items = [];
      for (const s of page.results) {
        if ((seen !== undefined && s.submittedAt < seen) || s.submittedAt < floor) {
          reachedSeen = true;
          continue;
        }
        newest = Math.max(newest, s.submittedAt);
        const email = s.values?.find((v) => v.name === 'email')?.value;
        if (!email) continue;
        items.push({ key: emailKey(ctx, email), entry: { id: `form:${s.conversionId}`, at: s.submittedAt, item: { kind: 'form' as const, formGuid: guid, ...(s.pageUrl ? { pageUrl: s.pageUrl } : {}) } } });
      }
      await storeGrouped(run, outcome, items);
      after = page.paging?.next?.after;
    } while (after && !reachedSeen);
    if (newest > 0) marks[guid] = newest;
    await writeFeedState(ctx, 'forms', { ...run.state, marks });
  });
  await writeFeedState(ctx, 'forms', { ...run.state, marks, asOf: run.startedAt });
  return outcome;
}
