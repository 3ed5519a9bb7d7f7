/**
 * HubSpot keeps summary properties on the contact for each kind of activity (last page view,
 * last conversion, last email open...). The generator folds a history into them and the
 * simulator applies the same fold when an activity is added, which is what makes HubSpot
 * bump `lastmodifieddate` and send a `contact.propertyChange` webhook.
 */
import { formByGuid } from './marketing-catalog';
import type { SeedActivity } from './types';

type Props = Record<string, string | null>;

const later = (a: string | null | undefined, b: string): string => (a && a > b ? a : b);
const earlier = (a: string | null | undefined, b: string): string => (a && a < b ? a : b);
const plusOne = (value: string | null | undefined): string => String((Number(value) || 0) + 1);

/**
 * Summary properties every contact carries: zero counts, null dates. Always present (in
 * this order) so that every generated property bag has the same shape, which keeps the
 * fold fast over millions of contacts.
 */
export const SUMMARY_DEFAULTS: Readonly<Props> = {
  hs_analytics_num_page_views: '0',
  hs_analytics_num_visits: '0',
  hs_analytics_last_url: null,
  hs_analytics_last_timestamp: null,
  hs_analytics_first_timestamp: null,
  hs_email_open: '0',
  hs_email_click: '0',
  hs_email_last_open_date: null,
  hs_email_first_open_date: null,
  hs_email_last_click_date: null,
  hs_email_last_email_name: null,
  num_conversion_events: '0',
  recent_conversion_date: null,
  recent_conversion_event_name: null,
  first_conversion_date: null,
  first_conversion_event_name: null,
  notes_last_updated: null,
  notes_last_contacted: null,
  num_contacted_notes: '0',
  hs_last_sales_activity_timestamp: null,
  hs_sales_email_last_replied: null,
  hs_latest_meeting_activity: null,
};

/**
 * Applies one activity to `props` in place and returns the names of the properties whose
 * value changed (what HubSpot reports as property changes).
 */
export function applyActivity(props: Props, activity: SeedActivity): string[] {
  const before = { ...props };
  foldActivity(props, activity);
  return Object.keys(props).filter((k) => props[k] !== before[k]);
}

/** {@link applyActivity} without the change list, for folding a whole generated history. */
export function foldActivity(props: Props, activity: SeedActivity): void {
  const at = activity.at;
  const source = activity.source;
  switch (source.kind) {
    case 'web_event': {
      const last = props.hs_analytics_last_timestamp;
      // A new visit (session) when the previous page view was more than 30 minutes earlier.
      if (!last || Date.parse(at) - Date.parse(last) > 30 * 60_000) props.hs_analytics_num_visits = plusOne(props.hs_analytics_num_visits);
      props.hs_analytics_num_page_views = plusOne(props.hs_analytics_num_page_views);
      if (!last || at >= last) props.hs_analytics_last_url = activity.url ?? null;
      props.hs_analytics_last_timestamp = later(last, at);
      props.hs_analytics_first_timestamp = earlier(props.hs_analytics_first_timestamp, at);
      break;
    }
    case 'email_event':
      if (source.eventType === 'OPEN') {
        props.hs_email_open = plusOne(props.hs_email_open);
        props.hs_email_last_open_date = later(props.hs_email_last_open_date, at);
        props.hs_email_first_open_date = earlier(props.hs_email_first_open_date, at);
      } else {
        props.hs_email_click = plusOne(props.hs_email_click);
        props.hs_email_last_click_date = later(props.hs_email_last_click_date, at);
      }
      if (activity.title) props.hs_email_last_email_name = activity.title;
      break;
    case 'form': {
      const name = formByGuid(source.formGuid)?.name ?? activity.title ?? 'Form submission';
      props.num_conversion_events = plusOne(props.num_conversion_events);
      if (!props.recent_conversion_date || at >= props.recent_conversion_date) props.recent_conversion_event_name = name;
      props.recent_conversion_date = later(props.recent_conversion_date, at);
      if (!props.first_conversion_date || at < props.first_conversion_date) props.first_conversion_event_name = name;
      props.first_conversion_date = earlier(props.first_conversion_date, at);
      break;
    }
    case 'engagement':
      props.notes_last_updated = later(props.notes_last_updated, at);
      props.hs_last_sales_activity_timestamp = later(props.hs_last_sales_activity_timestamp, at);
      if (source.objectType === 'emails') props.hs_sales_email_last_replied = later(props.hs_sales_email_last_replied, at);
      if (source.objectType === 'calls' || source.objectType === 'meetings') {
        props.notes_last_contacted = later(props.notes_last_contacted, at);
        props.num_contacted_notes = plusOne(props.num_contacted_notes);
      }
      if (source.objectType === 'meetings') props.hs_latest_meeting_activity = later(props.hs_latest_meeting_activity, at);
      break;
    case 'marketing_event':
      // HubSpot records event participation on the event, not in contact properties.
      break;
  }
}
