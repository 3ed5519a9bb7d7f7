/**
 * `activitiesFor`: the activities of a batch of contacts. CRM engagements through
 * associations (batched) and, at the same time, the cached feed items of each contact (after
 * a refresh of the feeds its summary properties say the cache is behind on), plus, without
 * web events, page views from the summary properties. De-duplicated by source id, oldest first.
 */
import type { Activity } from '../../src/domain/types';
import type { HubSpotContactRecord } from '../ports';
import { readEntries } from './activity-cache';
import type { ActivityRules } from './activity-rules';
import type { ConnectorContext } from './context';
import { engagementActivities } from './engagements';
import { toActivity } from './feed-items';
import { refreshIfStale } from './feeds';
import { summaryPageViews } from './page-views';

export async function activitiesFor(ctx: ConnectorContext, rules: ActivityRules, records: HubSpotContactRecord[]): Promise<Map<string, Activity[]>> {
  const out = new Map<string, Activity[]>();
  if (records.length === 0) return out;
  // Required by the fields schema; the type of a partial-then-required record still allows undefined.
  const emailProperty = ctx.mappings.fields.hubspot.contact.email ?? 'email';
  const ids = [...new Set(records.map((r) => r.id))];
  // Engagements do not depend on the feeds: read while a stale feed is refreshed into the cache.
  const [engagements, cached] = await Promise.all([
    engagementActivities(ctx, rules, ids),
    refreshIfStale(ctx, rules, records).then(() => readEntries(ctx, records.map((r) => ({ id: r.id, email: r.properties[emailProperty] ?? null })))),
  ]);
  for (const record of records) {
    const byId = new Map<string, Activity>();
    const add = (activity: Activity | undefined) => {
      if (activity) byId.set(activity.id ?? `${activity.type}:${activity.at}`, activity);
    };
    for (const activity of engagements.get(record.id) ?? []) add(activity);
    for (const entry of cached.get(record.id) ?? []) add(toActivity(entry, rules));
    if (!ctx.settings.webEvents) for (const activity of summaryPageViews(record, rules)) add(activity);
    out.set(record.id, [...byId.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)));
  }
  return out;
}
