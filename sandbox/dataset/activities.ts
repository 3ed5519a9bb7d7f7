/**
 * A contact's activity history for the year before the anchor: clustered in time (people
 * research in bursts), mixed by engagement level so that roughly one contact in six shows
 * MQL-grade intent, and each activity placed where HubSpot exposes it (its `source`).
 */
import type { ActivityType } from '../../src/domain/types';
import type { Rng } from '../common';
import {
  EMAIL_CAMPAIGNS, FORMS, MARKETING_EVENTS, PAGES, VENDOR_SITE, campaignSentMs, eventStartMs,
  type FormDefinition, type MarketingEventDefinition,
} from './marketing-catalog';
import type { Person } from './person';
import { DAY_MS, uuidFrom, weightedPick, type Weighted } from './random';
import type { SeedActivity } from './types';

export type EngagementLevel = 'none' | 'cold' | 'warm' | 'hot';
export const ENGAGEMENT_LEVELS: readonly Weighted<EngagementLevel>[] = [['none', 12], ['cold', 43], ['warm', 30], ['hot', 15]];

/** Engagement ids encode (contact index, slot) so the simulator finds them without an index. */
export const ENGAGEMENT_ID_BASE = 30_000_000_000;
export const ENGAGEMENT_SLOTS = 64;
/** Generated activities per contact never exceed this (slots above it hold derived notes). */
export const MAX_ACTIVITIES = 30;

export function engagementId(contactIndex: number, slot: number): string {
  return String(ENGAGEMENT_ID_BASE + contactIndex * ENGAGEMENT_SLOTS + slot);
}

/** Activity type mixes per engagement level (the stream of the simulator uses `hot`). */
export const MIX: Record<Exclude<EngagementLevel, 'none'>, readonly Weighted<ActivityType>[]> = {
  cold: [['page_view', 55], ['email_open', 35], ['email_click', 5], ['webinar_registration', 2], ['event_attendance', 2], ['content_download', 1]],
  warm: [
    ['page_view', 45], ['email_open', 22], ['email_click', 9], ['content_download', 7], ['webinar_registration', 4],
    ['webinar_attendance', 4], ['event_attendance', 3], ['form_submission', 3], ['email_reply', 2],
  ],
  hot: [
    ['page_view', 40], ['email_open', 14], ['email_click', 8], ['content_download', 10], ['webinar_attendance', 6],
    ['webinar_registration', 3], ['event_attendance', 3], ['form_submission', 3], ['email_reply', 5], ['call', 3],
    ['meeting_booked', 2], ['demo_request', 1.5], ['pricing_request', 1.5],
  ],
};
const HOT_OPENER: readonly Weighted<ActivityType>[] = [
  ['demo_request', 30], ['pricing_request', 25], ['meeting_booked', 10], ['webinar_attendance', 15], ['content_download', 20],
];

const COUNT: Record<EngagementLevel, [number, number]> = { none: [0, 0], cold: [1, 5], warm: [6, 15], hot: [12, MAX_ACTIVITIES] };

/** Everything the history depends on besides the stream. */
export interface HistoryContext {
  rng: Rng;
  anchorMs: number;
  contactIndex: number;
  person: Person;
}

/** The history, oldest first; engagement ids are assigned by position. */
export function generateHistory(ctx: HistoryContext): { level: EngagementLevel; activities: SeedActivity[] } {
  const { rng, anchorMs } = ctx;
  const level = weightedPick(rng, ENGAGEMENT_LEVELS);
  const [min, max] = COUNT[level];
  const count = rng.int(min, max);
  // Bursts: hot contacts have one in the last six weeks; others anywhere in the year.
  const clusters = Array.from({ length: rng.int(1, 3) }, (_, i) =>
    level === 'hot' && i === 0 ? anchorMs - rng.int(1, 42) * DAY_MS : anchorMs - rng.int(5, 360) * DAY_MS);
  const usedEvents = new Set<string>();
  const drafts: Array<{ type: ActivityType; at: number }> = [];
  for (let i = 0; i < count; i++) {
    const centre = i === 0 ? (clusters[0] ?? anchorMs) : rng.pick(clusters);
    const raw = Math.max(anchorMs - 365 * DAY_MS, centre + Math.round((rng.next() - 0.5) * 20 * DAY_MS));
    // Reflect what falls after the anchor back into the last days rather than piling it up at the anchor.
    const at = raw <= anchorMs - 60_000 ? raw : anchorMs - 60_000 - ((raw - anchorMs) % (4 * DAY_MS)) - rng.int(0, 3600) * 1000;
    const type = level === 'hot' && i === 0 ? weightedPick(rng, HOT_OPENER) : weightedPick(rng, MIX[level === 'none' ? 'cold' : level]);
    drafts.push({ type, at: Math.floor(at / 1000) * 1000 });
  }
  const activities: SeedActivity[] = [];
  for (const draft of drafts) activities.push(materialise(ctx, draft.type, draft.at, usedEvents));
  activities.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return { level, activities: activities.map((a, slot) => withEngagementId(a, ctx.contactIndex, slot)) };
}

/**
 * One activity of `type` for a person, as the generator would make it (form, page, campaign,
 * event and source chosen from the stream); the simulator uses it to add activities at run time.
 */
export function activityOfType(ctx: HistoryContext, type: ActivityType, at: number): SeedActivity {
  return materialise(ctx, type, at, new Set());
}

function withEngagementId(activity: SeedActivity, contactIndex: number, slot: number): SeedActivity {
  if (activity.source.kind !== 'engagement') return activity;
  return { ...activity, source: { ...activity.source, id: engagementId(contactIndex, slot) } };
}

const FORM_TYPES: Partial<Record<ActivityType, readonly FormDefinition[]>> = {
  demo_request: FORMS.filter((f) => f.meaning === 'demo_request'),
  pricing_request: FORMS.filter((f) => f.meaning === 'pricing_request'),
  content_download: FORMS.filter((f) => f.meaning === 'content_download'),
  form_submission: FORMS.filter((f) => f.meaning === 'form_submission'),
};

/** Turns an abstract (type, time) into a concrete activity with its HubSpot source. */
function materialise(ctx: HistoryContext, type: ActivityType, at: number, usedEvents: Set<string>): SeedActivity {
  const { rng, person, anchorMs } = ctx;
  const needsEmail = type === 'email_open' || type === 'email_click' || FORM_TYPES[type] !== undefined;
  if (needsEmail && !person.email) return pageView(ctx, at);
  const forms = FORM_TYPES[type];
  if (forms) {
    const form = pickForServiceLine(rng, forms, person.serviceInterest);
    return formActivity(rng, form, at);
  }
  switch (type) {
    case 'email_open':
    case 'email_click':
      return emailEvent(ctx, type, at);
    case 'webinar_registration':
    case 'webinar_attendance':
    case 'event_attendance': {
      const wanted = type === 'event_attendance' ? 'TRADE_SHOW' : 'WEBINAR';
      const candidates = MARKETING_EVENTS.filter((e) => e.type === wanted && !usedEvents.has(e.externalEventId)
        && (type === 'webinar_registration' || eventStartMs(e, anchorMs) < anchorMs));
      if (candidates.length === 0) return pageView(ctx, at);
      const chosen = nearestEvent(candidates, at, anchorMs);
      usedEvents.add(chosen.externalEventId);
      return participation(rng, chosen, type, at, anchorMs);
    }
    case 'email_reply':
    case 'call':
    case 'meeting_booked':
      return engagement(ctx, type, at);
    default:
      return pageView(ctx, at);
  }
}

/** Per (list, interest) weight tables, built once: history generation runs millions of times. */
const weightCache = new WeakMap<readonly object[], Map<string, Weighted<object>[]>>();

function pickForServiceLine<T extends { serviceLine: string | null }>(rng: Rng, items: readonly T[], interest: string | null): T {
  let byInterest = weightCache.get(items);
  if (!byInterest) weightCache.set(items, (byInterest = new Map()));
  const key = interest ?? '';
  let table = byInterest.get(key);
  if (!table) {
    table = items.map((item) => [item, item.serviceLine === null ? 2 : item.serviceLine === interest ? 4 : 1] as const);
    byInterest.set(key, table);
  }
  return weightedPick(rng, table) as T;
}

function formActivity(rng: Rng, form: FormDefinition, at: number): SeedActivity {
  return {
    type: form.meaning, at: new Date(at).toISOString(), title: form.title, url: form.pageUrl, formId: form.guid, category: form.category,
    source: { kind: 'form', formGuid: form.guid, conversionId: uuidFrom(rng) },
  };
}

function pageView(ctx: HistoryContext, at: number): SeedActivity {
  const { rng, person } = ctx;
  const page = pickForServiceLine(rng, PAGES, person.serviceInterest || null);
  const query = rng.chance(0.2) ? `?utm_source=${rng.pick(['newsletter', 'linkedin', 'google'])}&utm_medium=${rng.pick(['email', 'social', 'cpc'])}` : '';
  return {
    type: 'page_view', at: new Date(at).toISOString(), title: page.title, url: `${VENDOR_SITE}${page.path}${query}`, category: page.category,
    source: { kind: 'web_event', eventId: uuidFrom(rng) },
  };
}

function emailEvent(ctx: HistoryContext, type: 'email_open' | 'email_click', at: number): SeedActivity {
  const { rng, anchorMs } = ctx;
  // The campaign sent most recently before `at` (campaigns go out every 14 days), opened
  // within two days of its sending; before the first one, the oldest.
  const newest = campaignSentMs(EMAIL_CAMPAIGNS[0]!, anchorMs);
  const k = Math.min(EMAIL_CAMPAIGNS.length - 1, Math.max(0, Math.ceil((newest - at) / (14 * DAY_MS))));
  const campaign = EMAIL_CAMPAIGNS[k]!;
  const pick = { c: campaign, ms: campaignSentMs(campaign, anchorMs) };
  const when = Math.min(anchorMs - 60_000, pick.ms + rng.int(10 * 60, 48 * 3600) * 1000);
  const page = type === 'email_click' ? pickForServiceLine(rng, PAGES, pick.c.serviceLine) : undefined;
  return {
    type, at: new Date(when).toISOString(), title: pick.c.subject, category: pick.c.name.replace(/ #\d+$/, ''),
    ...(page ? { url: `${VENDOR_SITE}${page.path}?utm_source=hs_email&utm_medium=email&utm_campaign=${pick.c.id}` } : {}),
    source: { kind: 'email_event', eventId: uuidFrom(rng), eventType: type === 'email_open' ? 'OPEN' : 'CLICK', emailCampaignId: String(pick.c.id) },
  };
}

function nearestEvent(events: readonly MarketingEventDefinition[], at: number, anchorMs: number): MarketingEventDefinition {
  let best = events[0]!;
  for (const e of events) if (Math.abs(eventStartMs(e, anchorMs) - at) < Math.abs(eventStartMs(best, anchorMs) - at)) best = e;
  return best;
}

function participation(rng: Rng, e: MarketingEventDefinition, type: ActivityType, registeredAt: number, anchorMs: number): SeedActivity {
  const start = eventStartMs(e, anchorMs);
  const upcoming = start >= anchorMs;
  const attendanceState = type === 'webinar_registration' ? (upcoming ? 'REGISTERED' : 'NO_SHOW') : 'ATTENDED';
  const at = attendanceState === 'ATTENDED' ? start + rng.int(0, e.type === 'WEBINAR' ? 15 : e.durationHours * 60) * 60_000
    : attendanceState === 'REGISTERED' ? Math.min(registeredAt, anchorMs - 60_000) : start;
  return {
    type, at: new Date(at).toISOString(), title: e.name, category: e.type === 'WEBINAR' ? 'webinar' : 'trade_show',
    source: { kind: 'marketing_event', externalAccountId: e.externalAccountId, externalEventId: e.externalEventId, attendanceState },
  };
}

const TOPICS: Record<string, readonly string[]> = {
  cdmo_services: ['tech transfer timelines', 'GMP manufacturing capacity', 'analytical method validation', 'clinical batch scheduling'],
  genomics_platform: ['sample shipping requirements', 'assay validation package', 'sequencing turnaround', 'data delivery format'],
  medical_devices: ['analyzer validation (IQ/OQ/PQ)', 'site setup', 'service contract', 'MDR documentation'],
  general: ['your services', 'a quote', 'next steps'],
};

function engagement(ctx: HistoryContext, type: 'email_reply' | 'call' | 'meeting_booked', at: number): SeedActivity {
  const { rng, person } = ctx;
  const topic = rng.pick(TOPICS[person.serviceInterest || 'general'] ?? TOPICS.general!);
  const objectType = type === 'email_reply' ? 'emails' : type === 'call' ? 'calls' : 'meetings';
  const title = type === 'email_reply' ? `Re: Question about ${topic}` : type === 'call' ? `Call about ${topic}` : `Intro meeting: ${topic}`;
  return { type, at: new Date(at).toISOString(), title, category: topic, source: { kind: 'engagement', objectType, id: '' } };
}
