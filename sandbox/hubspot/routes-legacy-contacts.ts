/**
 * `GET /contacts/v1/contact/vids/batch/`: the legacy batch read by id, which alone among
 * HubSpot's contact reads returns each contact's form submissions (`formSubmissionMode`).
 * The connector uses it for the few contacts of a webhook sync that just submitted a form.
 * Answer: an object keyed by id holding the contacts found (unknown ids are left out), each
 * with `properties` as `{name: {value}}` and `form-submissions` newest first.
 */
import express, { type Request, type Response } from 'express';
import { formByGuid } from '../dataset';
import { errorBody, sendError } from './errors';
import type { Portal } from './portal';
import { queryList, queryString } from './render';

const VIDS_MAX = 100;
const MODES = new Set(['all', 'none', 'newest', 'oldest']);

export function legacyContactRoutes(portal: Portal): express.Router {
  const router = express.Router();
  const { store } = portal;
  const portalId = portal.webhooks.options.portalId;

  router.get(['/contacts/v1/contact/vids/batch', '/contacts/v1/contact/vids/batch/'], (req: Request, res: Response) => {
    const vids = queryList(req, 'vid') ?? [];
    const mode = queryString(req, 'formSubmissionMode') ?? 'newest';
    if (vids.length === 0 || vids.length > VIDS_MAX || !MODES.has(mode)) {
      return sendError(res, 400, errorBody(`Give 1 to ${VIDS_MAX} vid parameters and a formSubmissionMode of all, none, newest or oldest`, 'VALIDATION_ERROR'));
    }
    const asked = queryList(req, 'property');
    const out: Record<string, unknown> = {};
    for (const vid of new Set(vids)) {
      const record = store.byId(vid);
      if (!record) continue;
      const properties: Record<string, { value: string }> = {};
      for (const [name, value] of Object.entries(record.properties)) {
        if (value !== null && (!asked || asked.includes(name))) properties[name] = { value };
      }
      const submissions = store.activities(record.index).flatMap((a) => {
        if (a.source.kind !== 'form') return [];
        const form = formByGuid(a.source.formGuid);
        return [{ 'conversion-id': a.source.conversionId, timestamp: Date.parse(a.at), 'form-id': a.source.formGuid, 'portal-id': portalId, 'page-url': a.url ?? form?.pageUrl ?? '', title: form?.name ?? a.title ?? '', 'form-type': 'HUBSPOT', 'meta-data': [] }];
      }).sort((x, y) => y.timestamp - x.timestamp);
      const chosen = mode === 'all' ? submissions : mode === 'none' ? [] : mode === 'newest' ? submissions.slice(0, 1) : submissions.slice(-1);
      out[record.id] = { vid: Number(record.id), 'canonical-vid': Number(record.id), 'merged-vids': [], 'portal-id': portalId, 'is-contact': true, properties, 'form-submissions': chosen, 'identity-profiles': [], 'merge-audits': [] };
    }
    res.json(out);
  });
  return router;
}
