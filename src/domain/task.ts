/**
 * The follow-up task a salesperson receives for an MQL episode: why the lead qualified (with
 * points), what they engaged with, the service line, discovery topics and the SLA.
 */
import type { Evaluation } from './evaluate';
import type { Route } from './routing';
import type { Contact } from './types';

const ACTIVITY_LABEL: Record<string, string> = {
  page_view: 'Viewed', email_open: 'Opened e-mail', email_click: 'Clicked e-mail', email_reply: 'Replied',
  form_submission: 'Form', content_download: 'Downloaded', webinar_registration: 'Registered for webinar',
  webinar_attendance: 'Attended webinar', event_attendance: 'Met at event', demo_request: 'Requested demo / consultation',
  pricing_request: 'Requested pricing / quote', meeting_booked: 'Booked meeting', call: 'Call',
};

/** `lsync:<hubspotId>:<epoch ms of the episode start>`: one task per contact and MQL episode. */
export function taskKey(hubspotId: string, mqlDate: string): string {
  return `lsync:${hubspotId}:${Date.parse(mqlDate)}`;
}

export function dueDate(mqlDate: string, slaHours: number): string {
  return new Date(Date.parse(mqlDate) + slaHours * 3_600_000).toISOString().slice(0, 10);
}

const who = (c: Contact) => [[c.firstName, c.lastName].filter(Boolean).join(' ') || 'Unnamed contact', c.company].filter(Boolean).join(', ');

export function taskSubject(contact: Contact, evaluation: Evaluation): string {
  const tier = evaluation.tier ? `Tier ${evaluation.tier}, ` : '';
  return `MQL follow-up (${tier}${evaluation.serviceLineLabel}): ${who(contact)}`.slice(0, 255);
}

export function taskDescription(contact: Contact, evaluation: Evaluation, route: Route, mqlDate: string): string {
  const s = evaluation.score;
  const lines = [
    `Why this lead is an MQL (definition ${evaluation.definitionVersion}; score ${s.total} = fit ${s.fit} + engagement ${s.engagement}):`,
    ...evaluation.reasons.map((r) => `  ${r.points > 0 ? '+' : ''}${r.points === 0 ? ' ' : r.points} ${r.detail}`),
    '',
    'What they engaged with (strongest first):',
    ...(evaluation.evidence.length
      ? evaluation.evidence.map((e) => `  ${e.at.slice(0, 10)}  ${ACTIVITY_LABEL[e.type] ?? e.type}${e.title ? `: ${e.title}` : e.url ? `: ${e.url}` : ''}`)
      : ['  (no recent activity: qualified on a high-intent request)']),
    '',
    `Service line: ${evaluation.serviceLineLabel}`,
    'Suggested discovery topics:',
    ...evaluation.discoveryTopics.map((t) => `  - ${t}`),
    '',
    `Respond by ${dueDate(mqlDate, route.slaHours)} (${route.slaHours} h SLA for tier ${evaluation.tier ?? '-'}; routed by "${route.rule}").`,
    `HubSpot contact ${contact.id}. Marketing qualified it; only sales decides SQL.`,
  ];
  return lines.join('\n').slice(0, 32_000);
}
