/**
 * The portal-wide activity feeds: form submissions, marketing-event participations, email
 * events and (Enterprise only) web analytics events, served from the feed indexes; plus the
 * form and event lists the connector discovers them from.
 */
import express, { type Request, type Response } from 'express';
import {
  contactIdOf, eventByExternalId, eventStartMs, FORMS, MARKETING_EVENTS, formByGuid, indexOfContactId, type SeedActivity,
} from '../dataset';
import { decodeCursor, encodeCursor, type FeedEntry } from './feed-index';
import { errorBody, notFound, sendError } from './errors';
import type { Portal } from './portal';
import { queryLimit, queryString } from './render';

export interface FeedRouteOptions {
  /** Web analytics events exist only on Enterprise portals. @defaultValue true */
  enterprise: boolean;
  anchorMs: number;
}

/** ms from an epoch-ms or ISO query value. */
function instant(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function feedRoutes(portal: Portal, options: FeedRouteOptions): express.Router {
  const router = express.Router();
  const { store } = portal;
  const activityOf = (entry: FeedEntry): SeedActivity | undefined => store.activities(entry.contact)[entry.slot];
  /** Values a form received: what the person typed then, not what the contact says now. */
  const submittedProps = (contact: number): Record<string, string | null> =>
    contact < store.seeded ? store.seed(contact).properties : (store.record(contact)?.properties ?? {});

  router.get('/form-integrations/v1/submissions/forms/:guid', (req: Request, res: Response) => {
    const form = formByGuid(String(req.params.guid));
    if (!form) return notFound(res);
    const limit = queryLimit(req, 20, 50);
    const page = store.indexes.feed(`form:${form.guid}`).page({ order: 'desc', limit, after: decodeCursor(queryString(req, 'after')) });
    const results = page.entries.flatMap((entry) => {
      const activity = activityOf(entry);
      if (!activity || activity.source.kind !== 'form') return [];
      const p = submittedProps(entry.contact);
      const values = (['email', 'firstname', 'lastname', 'company', 'jobtitle'] as const)
        .filter((name) => p[name]).map((name) => ({ name, value: String(p[name]) }));
      return [{ conversionId: activity.source.conversionId, submittedAt: Date.parse(activity.at), values, pageUrl: activity.url ?? form.pageUrl }];
    });
    const last = page.entries[page.entries.length - 1];
    res.json({ results, ...(page.hasMore && last ? { paging: { next: { after: encodeCursor(last), link: `?after=${encodeCursor(last)}` } } } : {}) });
  });

  const formDefinition = (f: (typeof FORMS)[number]): Record<string, unknown> => ({
    id: f.guid, name: f.name, formType: 'hubspot', createdAt: '2025-02-03T09:00:00.000Z', updatedAt: '2025-02-03T09:00:00.000Z', archived: false,
    fieldGroups: [{ groupType: 'default_group', richTextType: 'text', fields: ['email', 'firstname', 'lastname', 'company', 'jobtitle'].map((name) => ({ objectTypeId: '0-1', name, label: name, required: name === 'email', hidden: false, fieldType: name === 'email' ? 'email' : 'single_line_text' })) }],
    configuration: { language: 'en', createNewContactForNewEmail: false, editable: true, allowLinkToResetKnownValues: false, lifecycleStages: [], postSubmitAction: { type: 'thank_you', value: 'Thanks!' }, prePopulateKnownValues: true, cloneable: true, notifyContactOwner: false, recaptchaEnabled: false, archivable: true, notifyRecipients: [] },
    displayOptions: { renderRawHtml: false, theme: 'default_style', submitButtonText: 'Submit', style: {} },
    legalConsentOptions: { type: 'none' },
  });
  router.get('/marketing/v3/forms', (_req: Request, res: Response) => {
    res.json({ results: FORMS.map(formDefinition) });
  });
  router.get('/forms/v2/forms', (_req: Request, res: Response) => {
    res.json(FORMS.map((f) => ({ portalId: portal.webhooks.options.portalId, guid: f.guid, name: f.name, formType: 'HUBSPOT', createdAt: Date.parse('2025-02-03T09:00:00.000Z'), updatedAt: Date.parse('2025-02-03T09:00:00.000Z'), deletedAt: 0 })));
  });

  router.get('/marketing/v3/marketing-events', (_req: Request, res: Response) => {
    res.json({ results: MARKETING_EVENTS.map((e) => {
      const start = eventStartMs(e, options.anchorMs);
      return {
        objectId: e.objectId, eventName: e.name, eventType: e.type, externalEventId: e.externalEventId, externalAccountId: e.externalAccountId,
        eventOrganizer: 'Northbridge Bioservices', startDateTime: new Date(start).toISOString(), endDateTime: new Date(start + e.durationHours * 3_600_000).toISOString(),
        eventCancelled: false, eventCompleted: start + e.durationHours * 3_600_000 < options.anchorMs, customProperties: [],
        createdAt: new Date(start - 45 * 86_400_000).toISOString(), updatedAt: new Date(start - 45 * 86_400_000).toISOString(),
      };
    }) });
  });

  router.get('/marketing/v3/marketing-events/participations/:accountId/:eventId/breakdown', (req: Request, res: Response) => {
    const event = eventByExternalId(String(req.params.accountId), String(req.params.eventId));
    if (!event) return notFound(res);
    const feed = store.indexes.feed(`event:${event.externalAccountId}/${event.externalEventId}`);
    const state = queryString(req, 'state');
    const limit = queryLimit(req, 10, 100);
    let cursor = decodeCursor(queryString(req, 'after'));
    const results: unknown[] = [];
    let hasMore = false;
    let last: FeedEntry | undefined;
    // A state filter is applied while paging, so a page may need several index pages.
    while (results.length < limit) {
      const page = feed.page({ order: 'asc', limit: limit - results.length, ...(cursor ? { after: cursor } : {}) });
      for (const entry of page.entries) {
        last = entry;
        const activity = activityOf(entry);
        if (!activity || activity.source.kind !== 'marketing_event') continue;
        if (state && activity.source.attendanceState !== state) continue;
        const p = store.record(entry.contact)?.properties ?? {};
        const occurredAt = Date.parse(activity.at);
        results.push({
          id: String(entry.contact * 65_536 + entry.slot),
          createdAt: activity.at,
          associations: {
            contact: { contactId: contactIdOf(entry.contact), email: p.email ?? '', firstname: p.firstname ?? undefined, lastname: p.lastname ?? undefined },
            marketingEvent: { marketingEventId: event.objectId, externalEventId: event.externalEventId, externalAccountId: event.externalAccountId, name: event.name },
          },
          properties: { attendanceState: activity.source.attendanceState, occurredAt, ...(activity.source.attendanceState === 'ATTENDED' ? { attendanceDurationSeconds: 2_400, attendancePercentage: '67' } : {}) },
        });
      }
      hasMore = page.hasMore;
      if (!page.hasMore || !last) break;
      cursor = { time: last.time, key: last.contact * 65_536 + last.slot };
    }
    res.json({ total: state ? results.length : feed.count(), results, ...(hasMore && last ? { paging: { next: { after: encodeCursor(last) } } } : {}) });
  });

  router.get('/email/public/v1/events', (req: Request, res: Response) => {
    const type = queryString(req, 'eventType');
    const types = type ? [type] : ['OPEN', 'CLICK'];
    const limit = queryLimit(req, 100, 1000);
    const from = instant(queryString(req, 'startTimestamp'));
    const to = instant(queryString(req, 'endTimestamp'));
    const after = decodeCursor(queryString(req, 'offset'));
    // Newest first, across the requested types (one cursor: entry keys are unique across feeds).
    const merged = types.filter((t) => t === 'OPEN' || t === 'CLICK')
      .flatMap((t) => store.indexes.feed(`email:${t}`).page({ order: 'desc', limit: limit + 1, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), ...(after ? { after } : {}) }).entries)
      .sort((a, b) => b.time - a.time || (b.contact * 65_536 + b.slot) - (a.contact * 65_536 + a.slot));
    const taken = merged.slice(0, limit);
    const events = taken.flatMap((entry) => {
      const activity = activityOf(entry);
      if (!activity || activity.source.kind !== 'email_event') return [];
      const recipient = (entry.contact < store.seeded ? store.seed(entry.contact).properties.email : store.record(entry.contact)?.properties.email) ?? '';
      return [{
        id: activity.source.eventId, type: activity.source.eventType, recipient, created: Date.parse(activity.at),
        emailCampaignId: Number(activity.source.emailCampaignId), portalId: portal.webhooks.options.portalId, appId: 113, appName: 'BatchMailer',
        sentBy: { id: `sent-${activity.source.emailCampaignId}`, created: Date.parse(activity.at) - 3_600_000 },
        ...(activity.url ? { url: activity.url } : {}),
      }];
    });
    const last = taken[taken.length - 1];
    res.json({ events, hasMore: merged.length > limit, ...(last ? { offset: encodeCursor(last) } : {}) });
  });

  router.get('/events/v3/events', (req: Request, res: Response) => {
    if (!options.enterprise) {
      return sendError(res, 403, errorBody('This API requires a Marketing Hub Enterprise or Content Hub Enterprise subscription.', 'MISSING_SCOPES', { subCategory: 'SUBSCRIPTION_REQUIRED' }));
    }
    const eventType = queryString(req, 'eventType');
    if (eventType && eventType !== 'e_visited_page') return res.json({ results: [] });
    const limit = queryLimit(req, 100, 1000);
    const order = queryString(req, 'sort')?.startsWith('ASC') ? 'asc' : 'desc';
    const from = instant(queryString(req, 'occurredAfter'));
    const to = instant(queryString(req, 'occurredBefore'));
    const objectId = queryString(req, 'objectId');
    const after = decodeCursor(queryString(req, 'after'));
    const feed = store.indexes.feed('web');
    const page = objectId
      ? (() => {
        const index = indexOfContactId(objectId);
        const entries = store.activities(index).map((a, slot) => ({ a, entry: { time: Date.parse(a.at), contact: index, slot } }))
          .filter(({ a, entry }) => a.source.kind === 'web_event' && (from === undefined || entry.time >= from) && (to === undefined || entry.time <= to))
          .map(({ entry }) => entry).sort((x, y) => (order === 'asc' ? x.time - y.time || x.slot - y.slot : y.time - x.time || y.slot - x.slot));
        // One contact's views, paged with the same (time, key) cursor as the portal-wide feed.
        const start = after ? entries.findIndex((e) => e.time === after.time && e.contact * 65_536 + e.slot === after.key) + 1 : 0;
        const rest = entries.slice(start);
        return { entries: rest.slice(0, limit), hasMore: rest.length > limit };
      })()
      : feed.page({ order, limit, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), ...(after ? { after } : {}) });
    const results = page.entries.flatMap((entry) => {
      const activity = activityOf(entry);
      if (!activity || activity.source.kind !== 'web_event') return [];
      return [{ objectType: 'CONTACT', objectId: contactIdOf(entry.contact), eventType: 'e_visited_page', occurredAt: activity.at, id: activity.source.eventId,
        properties: { hs_url: activity.url ?? '', hs_title: activity.title ?? '', hs_page_content_type: 'STANDARD_PAGE' } }];
    });
    const last = page.entries[page.entries.length - 1];
    res.json({ results, ...(page.hasMore && last ? { paging: { next: { after: encodeCursor(last), link: `?after=${encodeCursor(last)}` } } } : {}) });
  });

  return router;
}
