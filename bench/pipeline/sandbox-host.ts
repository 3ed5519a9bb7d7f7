/**
 * The sandbox as the pipeline benchmark uses it: both simulators with added latency, a
 * once-a-second sample of the HubSpot requests (to measure rate-limit utilisation), a log of
 * the Salesforce writes of the service (write time per HubSpot contact, for webhook
 * latency), and a driver of webhook events at a steady rate with bursts on one contact.
 * Runs in the benchmark process or in its own child process (sandbox-child.ts) behind the
 * same interface.
 */
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../sandbox';
import { rngFor } from '../../sandbox/common';
import { indexOfContactId, MIX } from '../../sandbox/dataset';
import { weightedPick } from '../../sandbox/dataset/random';
import type { HubSpotStats } from '../../sandbox/hubspot';
import type { StatsBody } from '../../sandbox/common';

export interface SandboxStart {
  contacts: number;
  seed: number;
  anchor: string;
  latencyMs: [number, number];
  /** Requests per rolling 10 s; absent: HubSpot Professional's 190. */
  hubspotTenSecondly?: number;
  unlimited?: boolean;
}

/** HubSpot requests in one second: all of them, and those refused with 429. */
export interface SecondSample {
  at: number;
  total: number;
  rateLimited: number;
}

/** One driven action: the contact, the activity type, when, and how many webhook events it produced. */
export interface DrivenEvent {
  contactId: string;
  type: string;
  occurredAt: number;
  events: number;
}

export interface DriveOptions {
  eventsPerSecond: number;
  seconds: number;
  /** Chance that the next action goes to the same contact as the previous one. */
  burstiness: number;
  seed: number;
}

export interface SandboxApi {
  urls(): Promise<{ hubspotUrl: string; salesforceUrl: string }>;
  stats(): Promise<{ hubspot: HubSpotStats; salesforce: StatsBody }>;
  resetStats(): Promise<void>;
  /** Starts (or restarts) the per-second HubSpot request samples. */
  sampleSeconds(on: boolean): Promise<SecondSample[]>;
  setWebhookUrl(url: string | undefined, secret: string): Promise<void>;
  /** Contacts that have a Salesforce record carrying their HubSpot id. */
  linkedContacts(): Promise<string[]>;
  /** Logs Salesforce writes from now on (or stops and returns them). */
  watchSalesforce(on: boolean): Promise<Array<{ hubspotId: string; at: number }>>;
  drive(contactIds: string[], options: DriveOptions): Promise<DrivenEvent[]>;
  webhooksIdle(): Promise<boolean>;
  close(): Promise<void>;
}

const SALESFORCE_OBJECTS = ['Lead', 'Contact'];
const EXTERNAL_ID = 'HubSpot_Contact_Id__c';

export class SandboxHost implements SandboxApi {
  private samples: SecondSample[] = [];
  private sampler: NodeJS.Timeout | undefined;
  private watcher: NodeJS.Timeout | undefined;
  private writes: Array<{ hubspotId: string; at: number }> = [];

  private constructor(private readonly sandbox: RunningSandbox) {}

  static async start(start: SandboxStart): Promise<SandboxHost> {
    const options: SandboxOptions = {
      contacts: start.contacts, seed: start.seed, anchor: start.anchor, latencyMs: start.latencyMs,
      // A Professional portal: no web-analytics events API; page views come from summary properties.
      enterprise: false,
      hubspotRateLimit: start.unlimited ? { tenSecondly: 1e9, daily: 1e9, searchPerSecond: 1e9 } : { tenSecondly: start.hubspotTenSecondly ?? 190 },
      ...(start.unlimited ? { salesforce: { dailyLimit: 1e9 } } : {}),
    };
    return new SandboxHost(await startSandbox(options));
  }

  async urls() {
    return { hubspotUrl: this.sandbox.hubspotUrl, salesforceUrl: this.sandbox.salesforceUrl };
  }

  async stats() {
    return this.sandbox.stats();
  }

  async resetStats() {
    this.sandbox.hubspot.accounting.reset();
    this.sandbox.salesforce.control.resetStats();
  }

  async sampleSeconds(on: boolean): Promise<SecondSample[]> {
    if (this.sampler) clearInterval(this.sampler);
    this.sampler = undefined;
    const taken = this.samples;
    this.samples = [];
    if (!on) return taken;
    const counts = () => {
      const snap = this.sandbox.hubspot.accounting.snapshot();
      return { total: snap.total, rateLimited: Object.entries(snap.byOutcome).filter(([k]) => k.startsWith('RATE_LIMIT')).reduce((n, [, v]) => n + v, 0) };
    };
    let last = counts();
    this.sampler = setInterval(() => {
      const now = counts();
      this.samples.push({ at: Date.now(), total: now.total - last.total, rateLimited: now.rateLimited - last.rateLimited });
      last = now;
    }, 1000);
    return taken;
  }

  async setWebhookUrl(url: string | undefined, secret: string) {
    const options = this.sandbox.hubspot.portal.webhooks.options;
    options.url = url;
    options.clientSecret = secret;
  }

  async linkedContacts(): Promise<string[]> {
    const ids = new Set<string>();
    for (const sobject of SALESFORCE_OBJECTS) {
      for (const record of this.sandbox.salesforce.store.table(sobject).values()) {
        const id = record[EXTERNAL_ID];
        if (typeof id === 'string' && record.IsDeleted !== true && record.IsConverted !== true) ids.add(id);
      }
    }
    return [...ids].filter((id) => this.sandbox.hubspot.store.byId(id)?.archived === false);
  }

  async watchSalesforce(on: boolean): Promise<Array<{ hubspotId: string; at: number }>> {
    if (this.watcher) clearInterval(this.watcher);
    this.watcher = undefined;
    const taken = this.writes;
    this.writes = [];
    if (!on) return taken;
    const store = this.sandbox.salesforce.store;
    const since = new Map(SALESFORCE_OBJECTS.map((s) => [s, Date.now()]));
    // Every few milliseconds: records whose SystemModstamp moved since the last look. Two
    // writes of one record between looks show as the later one (a conservative latency).
    this.watcher = setInterval(() => {
      for (const sobject of SALESFORCE_OBJECTS) {
        const from = since.get(sobject)!;
        let latest = from;
        for (const id of store.byModstamp(sobject, from + 1)) {
          const record = store.get(id);
          const stamp = record?.SystemModstamp as number | undefined;
          if (!record || stamp === undefined) continue;
          latest = Math.max(latest, stamp);
          const hubspotId = record[EXTERNAL_ID];
          if (typeof hubspotId === 'string') this.writes.push({ hubspotId, at: stamp });
        }
        since.set(sobject, latest);
      }
    }, 10);
    return taken;
  }

  /**
   * Adds activities of the simulator's "hot" mix to the given contacts so that webhook
   * events leave at `eventsPerSecond` (each activity moves one or more summary properties,
   * one event each); with `burstiness` the next activity hits the same contact again.
   */
  async drive(contactIds: string[], options: DriveOptions): Promise<DrivenEvent[]> {
    const portal = this.sandbox.hubspot.portal;
    const control = this.sandbox.hubspot.control;
    const log: DrivenEvent[] = [];
    const started = Date.now();
    let emitted = 0;
    let n = 0;
    let last: string | undefined;
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const elapsed = Date.now() - started;
        const due = Math.min(options.seconds * 1000, elapsed) * (options.eventsPerSecond / 1000);
        while (emitted < due) {
          const rng = rngFor(options.seed, 'bench-drive', n++);
          const contactId = last !== undefined && rng.chance(options.burstiness) ? last : contactIds[rng.int(0, contactIds.length - 1)]!;
          last = contactId;
          if (portal.store.record(indexOfContactId(contactId))?.archived !== false) continue;
          const before = portal.webhooks.stats.queued;
          const stored = control.addActivity(contactId, { type: weightedPick(rng, MIX.hot) }, rng);
          const events = portal.webhooks.stats.queued - before;
          emitted += events;
          if (events > 0) log.push({ contactId, type: stored.type, occurredAt: Date.parse(stored.at), events });
        }
        if (elapsed >= options.seconds * 1000) {
          clearInterval(tick);
          resolve();
        }
      }, 20);
    });
    return log;
  }

  async webhooksIdle() {
    return !this.sandbox.hubspot.portal.webhooks.busy;
  }

  async close() {
    await this.sampleSeconds(false);
    await this.watchSalesforce(false);
    await this.sandbox.close();
  }
}
