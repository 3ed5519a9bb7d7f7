/**
 * Test and demo control of the HubSpot simulator: add activities, create / update / delete /
 * merge contacts (each producing the webhooks HubSpot would send), run a scripted activity
 * stream, and change limits at run time. The same operations are exposed over HTTP under
 * `/__sandbox/hubspot/...` (never faulted, counted or rate-limited):
 *
 * - `POST /__sandbox/hubspot/activities` `{contactId, activity}` -> 201 stored activity
 * - `POST /__sandbox/hubspot/contacts` `{properties}` -> 201 `{id}`
 * - `PATCH /__sandbox/hubspot/contacts/:id` `{properties}` -> `{changed}`
 * - `DELETE /__sandbox/hubspot/contacts/:id[?privacy=true]` -> 204
 * - `POST /__sandbox/hubspot/merge` `{primaryId, mergedId}` -> 204
 * - `POST /__sandbox/hubspot/activity-stream` `{ratePerSecond, burstiness, seed}` -> 204; `DELETE` stops it
 * - `PUT /__sandbox/hubspot/rate-limits` `{tenSecondly?, daily?, searchPerSecond?}` -> the limits
 * - `PUT /__sandbox/hubspot/search-delay` `{ms}` -> 204
 * - `GET /__sandbox/hubspot/webhooks` -> delivery statistics; `POST .../webhooks/flush` -> 204
 */
import express, { type Request, type Response } from 'express';
import { ACTIVITY_TYPES, type ActivityType } from '../../src/domain/types';
import { rngFor, type Rng } from '../common';
import { activityOfType, indexOfContactId, MIX, personOf, type DatasetOptions, type Person, type SeedActivity } from '../dataset';
import type { Portal } from './portal';
import type { RateLimiter } from './rate-limits';
import { weightedPick } from '../dataset/random';

export interface ActivityInput extends Partial<Omit<SeedActivity, 'type'>> {
  type: ActivityType;
}

export interface ActivityStreamOptions {
  /** Mean activities per second. */
  ratePerSecond: number;
  /** Chance that the next activity goes to the same contact as the previous one. @defaultValue 0.3 */
  burstiness?: number;
  /** @defaultValue 1 */
  seed?: number;
}

export class HubSpotControl {
  private stream: NodeJS.Timeout | undefined;

  constructor(private readonly portal: Portal, private readonly dataset: DatasetOptions, private readonly limiter: RateLimiter) {}

  /** A person for the activity generator: the seeded one, or one read off a created contact. */
  private personFor(index: number): Person {
    if (index < this.portal.store.seeded) return personOf(this.dataset, index);
    const p = this.portal.store.record(index)?.properties ?? {};
    return {
      firstName: p.firstname ?? null, lastName: p.lastname ?? null, email: p.email ?? null, jobTitle: p.jobtitle ?? null, jobFunction: null,
      seniority: 0, company: p.company ?? null, domain: null, organizationType: null, employees: null, country: p.country ?? null,
      serviceInterest: (p.ls_service_interest as Person['serviceInterest']) ?? null, ownerId: null,
      flags: { freeMail: false, student: false, competitor: false, duplicateOf: null },
    };
  }

  private indexOf(contactId: string): number {
    const record = this.portal.store.byId(contactId);
    if (!record) throw new RangeError(`no contact ${contactId}`);
    return record.index;
  }

  /**
   * Adds an activity to a contact now (or at `input.at`). Only `type` is required: the
   * form, page, campaign or event and the HubSpot source are filled in like the generator's.
   */
  addActivity(contactId: string, input: ActivityInput, rng: Rng = rngFor(Date.now(), contactId)): SeedActivity {
    const index = this.indexOf(contactId);
    const at = input.at ? Date.parse(input.at) : Date.now();
    const generated = activityOfType({ rng, anchorMs: Date.parse(this.dataset.anchor), contactIndex: index, person: this.personFor(index) }, input.type, at);
    const activity: SeedActivity = { ...generated, ...input, at: new Date(at).toISOString(), source: input.source ?? generated.source };
    return this.portal.addActivity(index, activity);
  }

  createContact(properties: Record<string, unknown>, changeSource = 'CRM_UI'): string {
    return String(this.portal.store.record(this.portal.createContact(properties, changeSource))?.id);
  }

  updateContact(contactId: string, properties: Record<string, unknown>, changeSource = 'CRM_UI'): string[] {
    return this.portal.writeContact(this.indexOf(contactId), properties, changeSource);
  }

  deleteContact(contactId: string, privacy = false): boolean {
    return this.portal.deleteContact(indexOfContactId(contactId), privacy, 'CRM_UI');
  }

  mergeContacts(primaryId: string, mergedId: string): boolean {
    return this.portal.mergeContacts(indexOfContactId(primaryId), indexOfContactId(mergedId), 'CRM_UI');
  }

  /** Adds realistic activities to random contacts, in bursts on one contact; replaces a running stream. */
  startActivityStream(options: ActivityStreamOptions): void {
    this.stopActivityStream();
    const tickMs = 100;
    const burstiness = options.burstiness ?? 0.3;
    let n = 0;
    let owed = 0;
    let last = -1;
    this.stream = setInterval(() => {
      owed += (options.ratePerSecond * tickMs) / 1000;
      for (; owed >= 1; owed--) {
        const rng = rngFor(options.seed ?? 1, 'stream', n++);
        const size = this.portal.store.seeded;
        if (size === 0) return;
        const index = last >= 0 && rng.chance(burstiness) ? last : rng.int(0, size - 1);
        last = index;
        const record = this.portal.store.record(index);
        if (record && !record.archived) this.addActivity(record.id, { type: weightedPick(rng, MIX.hot) }, rng);
      }
    }, tickMs);
    this.stream.unref();
  }

  stopActivityStream(): void {
    if (this.stream) clearInterval(this.stream);
    this.stream = undefined;
  }

  setRateLimits(limits: Partial<RateLimiter['config']>): RateLimiter['config'] {
    this.limiter.config = { ...this.limiter.config, ...limits };
    return this.limiter.config;
  }

  setSearchDelay(ms: number): void {
    this.portal.store.searchDelayMs = ms;
  }

  /** Stops the stream and the webhook timers (deliveries in flight are aborted). */
  close(): void {
    this.stopActivityStream();
    this.portal.webhooks.close();
  }

  /** Routes for `/__sandbox/hubspot` (mount under the shared control router). */
  router(): express.Router {
    const router = express.Router();
    router.use(express.json({ limit: '1mb' }));
    const guard = (fn: (req: Request, res: Response) => void) => (req: Request, res: Response): void => {
      try {
        fn(req, res);
      } catch (error) {
        res.status(error instanceof RangeError ? 404 : 400).json({ error: (error as Error).message });
      }
    };
    router.post('/activities', guard((req, res) => {
      const { contactId, activity } = (req.body ?? {}) as { contactId?: string; activity?: ActivityInput };
      if (!contactId || !activity || !(ACTIVITY_TYPES as readonly string[]).includes(activity.type)) {
        res.status(400).json({ error: `contactId and activity.type (one of ${ACTIVITY_TYPES.join(', ')}) are required` });
        return;
      }
      res.status(201).json(this.addActivity(String(contactId), activity));
    }));
    router.post('/contacts', guard((req, res) => {
      res.status(201).json({ id: this.createContact(((req.body ?? {}) as { properties?: Record<string, unknown> }).properties ?? {}) });
    }));
    router.patch('/contacts/:id', guard((req, res) => {
      res.json({ changed: this.updateContact(String(req.params.id), ((req.body ?? {}) as { properties?: Record<string, unknown> }).properties ?? {}) });
    }));
    router.delete('/contacts/:id', guard((req, res) => {
      res.status(this.deleteContact(String(req.params.id), req.query.privacy === 'true') ? 204 : 404).end();
    }));
    router.post('/merge', guard((req, res) => {
      const { primaryId, mergedId } = (req.body ?? {}) as { primaryId?: string; mergedId?: string };
      res.status(this.mergeContacts(String(primaryId), String(mergedId)) ? 204 : 404).end();
    }));
    router.post('/activity-stream', guard((req, res) => {
      const body = (req.body ?? {}) as ActivityStreamOptions;
      if (!(body.ratePerSecond > 0)) throw new TypeError('ratePerSecond must be positive');
      this.startActivityStream(body);
      res.status(204).end();
    }));
    router.delete('/activity-stream', (_req, res) => {
      this.stopActivityStream();
      res.status(204).end();
    });
    router.put('/rate-limits', guard((req, res) => {
      res.json(this.setRateLimits((req.body ?? {}) as Partial<RateLimiter['config']>));
    }));
    router.put('/search-delay', guard((req, res) => {
      this.setSearchDelay(Number((req.body as { ms?: number })?.ms ?? 0));
      res.status(204).end();
    }));
    router.get('/webhooks', (_req, res) => {
      res.json({ ...this.portal.webhooks.stats, busy: this.portal.webhooks.busy });
    });
    router.post('/webhooks/flush', (_req, res) => {
      this.portal.webhooks.flush();
      res.status(204).end();
    });
    return router;
  }
}
