/**
 * Page views without the web-events API (HUBSPOT_WEB_EVENTS=false): an APPROXIMATION from
 * the contact's analytics summary properties (mappings/activities.yaml `pages.fallback`).
 * HubSpot keeps only the count, the first and last view times and the last URL, so the
 * contact gets one view at the last time for the last URL (categorised like any page view)
 * and the other counted views, up to `maxViews` in all, spread evenly between the first and
 * the last view without a URL: they earn base page-view points, never page refinements, and
 * their dates are estimates. Pure.
 */
import type { Activity } from '../../src/domain/types';
import type { HubSpotContactRecord } from '../ports';
import type { ActivityRules } from './activity-rules';
import { toEpochMs } from './time';

export function summaryPageViews(record: HubSpotContactRecord, rules: ActivityRules): Activity[] {
  const fallback = rules.mapping.pages.fallback;
  const props = record.properties;
  const count = Math.floor(Number(props[fallback.countProperty] ?? 0));
  const last = toEpochMs(props[fallback.lastTimestampProperty]);
  if (!(count > 0) || last === undefined) return [];
  const first = Math.min(last, (fallback.firstTimestampProperty ? toEpochMs(props[fallback.firstTimestampProperty]) : undefined) ?? last);
  const views: Activity[] = [];
  const url = props[fallback.lastUrlProperty];
  const category = url ? rules.pageCategory(url) : undefined;
  // The last URL can be a page the rules ignore (careers...): then that view does not count.
  if (!url || category) views.push({ type: 'page_view', at: new Date(last).toISOString(), id: `web-summary:${record.id}:0`, ...(url && category ? { url, category } : {}) });
  const others = Math.min(count, fallback.maxViews) - 1;
  for (let k = 0; k < others; k++) {
    const at = others === 1 ? first : first + Math.round(((last - first) * k) / others);
    views.push({ type: 'page_view', at: new Date(at).toISOString(), id: `web-summary:${record.id}:${k + 1}` });
  }
  return views;
}
