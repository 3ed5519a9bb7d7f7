/**
 * Webhooks out, as a HubSpot app subscription delivers them: JSON arrays of up to 100 events
 * collected over a short window, signed with signature v3, retried with back-off on a non-2xx
 * answer, a timeout or a connection error (HubSpot: up to 10 retries), each retry carrying
 * its `attemptNumber`.
 */
import { createHmac } from 'node:crypto';

export type SubscriptionType =
  | 'contact.creation' | 'contact.deletion' | 'contact.propertyChange' | 'contact.merge' | 'contact.privacyDeletion' | 'contact.associationChange';

export interface WebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: SubscriptionType;
  attemptNumber: number;
  objectId: number;
  propertyName?: string;
  propertyValue?: string;
  changeSource: string;
  sourceId?: string;
  mergedObjectIds?: number[];
  primaryObjectId?: number;
  newObjectId?: number;
  numberOfPropertiesMoved?: number;
}

export interface WebhookOptions {
  /** Where events are POSTed; without it events are only counted. */
  url?: string;
  /** The app's client secret used for signature v3. @defaultValue 'sandbox-client-secret' */
  clientSecret?: string;
  /** How long events are collected before a batch is sent. @defaultValue 250 ms */
  batchWindowMs?: number;
  /** Delay before each retry; its length is the number of retries. @defaultValue 10 retries from 1 s doubling to 5 min */
  retryDelaysMs?: number[];
  /** A delivery attempt not answered within this time failed. @defaultValue 5000 ms */
  timeoutMs?: number;
  portalId?: number;
  appId?: number;
}

export interface WebhookStats {
  queued: number;
  batchesSent: number;
  eventsDelivered: number;
  attemptsFailed: number;
  eventsDropped: number;
}

const SUBSCRIPTION_IDS: Record<SubscriptionType, number> = {
  'contact.creation': 2_101_001, 'contact.deletion': 2_101_002, 'contact.propertyChange': 2_101_003,
  'contact.merge': 2_101_004, 'contact.privacyDeletion': 2_101_005, 'contact.associationChange': 2_101_006,
};

export const DEFAULT_RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000];

/** Signature v3: base64 HMAC-SHA256 of method + URI + body + timestamp under the client secret. */
export function signatureV3(clientSecret: string, method: string, uri: string, body: string, timestamp: string): string {
  return createHmac('sha256', clientSecret).update(`${method}${uri}${body}${timestamp}`).digest('base64');
}

export type NewWebhookEvent = Pick<WebhookEvent, 'subscriptionType' | 'objectId' | 'changeSource'> & Partial<Omit<WebhookEvent, 'eventId' | 'attemptNumber'>>;

export class WebhookDispatcher {
  readonly stats: WebhookStats = { queued: 0, batchesSent: 0, eventsDelivered: 0, attemptsFailed: 0, eventsDropped: 0 };
  private pending: WebhookEvent[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private nextEventId = 1_000_001;
  private closed = false;
  options: Required<Omit<WebhookOptions, 'url'>> & { url?: string };

  constructor(options: WebhookOptions = {}) {
    this.options = {
      clientSecret: 'sandbox-client-secret', batchWindowMs: 250, retryDelaysMs: DEFAULT_RETRY_DELAYS_MS, timeoutMs: 5_000,
      portalId: 62_515_000, appId: 1_160_452, ...options,
    };
  }

  /** Queues one event; it is sent with the next batch. */
  emit(event: NewWebhookEvent): void {
    if (this.closed) return;
    const full: WebhookEvent = {
      eventId: this.nextEventId++, subscriptionId: SUBSCRIPTION_IDS[event.subscriptionType], portalId: this.options.portalId,
      appId: this.options.appId, occurredAt: Date.now(), attemptNumber: 0, ...event,
    };
    this.stats.queued++;
    if (!this.options.url) {
      this.stats.eventsDropped++;
      return;
    }
    this.pending.push(full);
    if (this.pending.length >= 100) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), this.options.batchWindowMs);
  }

  /** Sends what is queued now, in batches of at most 100. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    while (this.pending.length > 0) void this.deliver(this.pending.splice(0, 100), 0);
  }

  /** True while a batch is queued, in flight or waiting for a retry. */
  get busy(): boolean {
    return this.pending.length > 0 || this.inFlight.size > 0 || this.retryTimers.size > 0;
  }

  /** Stops every timer and aborts deliveries in flight; later events are ignored. */
  close(): void {
    this.closed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    for (const controller of this.inFlight) controller.abort();
    this.pending = [];
  }

  private async deliver(events: WebhookEvent[], attempt: number): Promise<void> {
    const url = this.options.url;
    if (!url || this.closed) return;
    const body = JSON.stringify(events.map((e) => ({ ...e, attemptNumber: attempt })));
    const timestamp = String(Date.now());
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    this.inFlight.add(controller);
    let ok = false;
    try {
      const response = await fetch(url, {
        method: 'POST', body, signal: controller.signal,
        headers: {
          'Content-Type': 'application/json',
          'X-HubSpot-Signature-v3': signatureV3(this.options.clientSecret, 'POST', url, body, timestamp),
          'X-HubSpot-Signature-Version': 'v3',
          'X-HubSpot-Request-Timestamp': timestamp,
          'User-Agent': 'HubSpot Connect 2.0 (sandbox)',
        },
      });
      await response.arrayBuffer();
      ok = response.ok;
    } catch {
      ok = false;
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
    if (this.closed) return;
    if (ok) {
      this.stats.batchesSent++;
      this.stats.eventsDelivered += events.length;
      return;
    }
    this.stats.attemptsFailed++;
    const delay = this.options.retryDelaysMs[attempt];
    if (delay === undefined) {
      this.stats.eventsDropped += events.length;
      return;
    }
    const retry = setTimeout(() => {
      this.retryTimers.delete(retry);
      void this.deliver(events, attempt + 1);
    }, delay);
    this.retryTimers.add(retry);
  }
}
