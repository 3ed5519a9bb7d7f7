/**
 * `startSandbox(options)`: both simulators on 127.0.0.1, seeded from one data set (the
 * Salesforce org gets the data set's pre-existing Leads and Contacts), for `npm start`
 * without credentials, end-to-end tests and benchmarks.
 */
import { startServer, type FaultConfig, type RunningServer, type StatsBody } from './common';
import { salesforceSeedRecords } from './dataset';
import { createHubSpotSimulator, defaultAnchor, type HubSpotSimulator, type HubSpotStats, type RateLimitConfig, type WebhookOptions } from './hubspot';
import { createSalesforceSimulator, type SalesforceSimulator, type SalesforceSimulatorOptions } from './salesforce';

export interface SandboxOptions {
  /** Seeded HubSpot contacts. */
  contacts: number;
  seed: number;
  /** ISO "now" of the data set. @defaultValue today 00:00 UTC */
  anchor?: string;
  /** 0 = an ephemeral port. @defaultValue 0 */
  hubspotPort?: number;
  /** 0 = an ephemeral port. @defaultValue 0 */
  salesforcePort?: number;
  /** Added latency on both simulators, uniform in [min, max] ms. */
  latencyMs?: [number, number];
  /** Fault configuration of both simulators (each also accepts `PUT /__sandbox/faults`). */
  faults?: Partial<FaultConfig>;
  hubspotRateLimit?: Partial<RateLimitConfig>;
  /** Where HubSpot webhooks are POSTed. */
  webhookUrl?: string;
  /** The app's client secret for signature v3. @defaultValue 'sandbox-client-secret' */
  webhookSecret?: string;
  /** More webhook settings (batch window, retry schedule, timeout). */
  webhooks?: Omit<WebhookOptions, 'url' | 'clientSecret'>;
  /** @defaultValue true */
  enterprise?: boolean;
  /** Start the HubSpot portal with the `lsync_*` properties. @defaultValue true */
  withLifecycleProperties?: boolean;
  /** Delay before HubSpot search sees a change. @defaultValue 0 */
  searchDelayMs?: number;
  /** Passed to the Salesforce simulator (e.g. `salesScript`, `dailyLimit`). */
  salesforce?: Omit<SalesforceSimulatorOptions, 'seedRecords' | 'faults'>;
}

export interface RunningSandbox {
  hubspotUrl: string;
  salesforceUrl: string;
  hubspot: HubSpotSimulator;
  salesforce: SalesforceSimulator;
  stats(): { hubspot: HubSpotStats; salesforce: StatsBody };
  /** Stops both servers, the webhook and stream timers and the sales script. */
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const anchor = options.anchor ?? defaultAnchor();
  const faults: Partial<FaultConfig> = { seed: options.seed, ...options.faults, ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}) };
  const hubspot = createHubSpotSimulator({
    contacts: options.contacts, seed: options.seed, anchor, faults,
    withLifecycleProperties: options.withLifecycleProperties ?? true, enterprise: options.enterprise ?? true,
    searchDelayMs: options.searchDelayMs ?? 0,
    ...(options.hubspotRateLimit ? { rateLimits: options.hubspotRateLimit } : {}),
    webhooks: { ...options.webhooks, ...(options.webhookUrl ? { url: options.webhookUrl } : {}), ...(options.webhookSecret ? { clientSecret: options.webhookSecret } : {}) },
  });
  const salesforce = createSalesforceSimulator({
    ...options.salesforce, faults, seedRecords: salesforceSeedRecords({ seed: options.seed, anchor }, options.contacts),
  });
  const servers: RunningServer[] = [];
  try {
    servers.push(await startServer(hubspot.app, options.hubspotPort ?? 0));
    servers.push(await startServer(salesforce.app, options.salesforcePort ?? 0));
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    hubspot.control.close();
    salesforce.control.close();
    throw error;
  }
  const [hs, sf] = servers as [RunningServer, RunningServer];
  return {
    hubspotUrl: hs.url,
    salesforceUrl: sf.url,
    hubspot,
    salesforce,
    stats: () => ({ hubspot: hubspot.stats(), salesforce: salesforce.control.stats() }),
    close: async () => {
      hubspot.control.close();
      salesforce.control.close();
      await Promise.all([hs.close(), sf.close()]);
    },
  };
}
