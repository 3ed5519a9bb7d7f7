/**
 * `createHubSpotConnector(...)`: the HubSpot side of lifecycle-sync. Implements
 * `HubSpotPort` plus the set-up checks and webhook verification the CLI and the server use.
 */
import type Redis from 'ioredis';
import type { Env } from '../../src/config/env';
import type { Mappings } from '../../src/mappings/load';
import { Budget } from '../budget';
import { AuthConfigError } from '../errors';
import type { HubSpotContactRecord, HubSpotPort } from '../ports';
import { ActivityRules } from './activity-rules';
import { activitiesFor } from './activities';
import { contactKey, emailKey } from './activity-cache';
import { createApis } from './client';
import { resolveSettings, type ConnectorContext, type HubSpotSettings } from './context';
import { feedsBehind, refreshFeedsLocked } from './feeds';
import { listContacts, readContacts, readContactsByEmail } from './list';
import { silentLogger, type ConnectorLogger } from './logger';
import { contactProperties, toContact } from './normalise';
import { checkProperties, createMissingProperties, type PropertyReport, type SetupResult } from './properties';
import { Requester, type RequesterOptions } from './request';
import { changedContacts } from './search-window';
import { verifySignatureV3, type SignatureInput, type SignatureResult } from './signature';
import { updateContacts } from './write-back';

export type HubSpotConfig = Pick<Env, 'HUBSPOT_BASE_URL' | 'HUBSPOT_RATE_LIMIT_PER_10S' | 'HUBSPOT_DAILY_LIMIT' | 'HUBSPOT_SEARCH_PER_SECOND' | 'HUBSPOT_WEB_EVENTS'> & {
  HUBSPOT_ACCESS_TOKEN?: string | undefined;
  HUBSPOT_CLIENT_SECRET?: string | undefined;
};

export interface HubSpotConnectorOptions {
  config: HubSpotConfig;
  mappings: Mappings;
  /** Shared with the rest of the service; the connector never closes it. */
  redis: Redis;
  /** Prefix of every Redis key (REDIS_PREFIX). */
  keyPrefix: string;
  logger?: ConnectorLogger;
  settings?: Partial<HubSpotSettings>;
  /** Retry, timeout and time-zone tuning of the call wrapper (timeZone: the portal's, for the daily reset). */
  requests?: Partial<Omit<RequesterOptions, 'budget' | 'searchBudget' | 'logger'>>;
  /** Longest wait for a budget slot before RateLimitedError. @defaultValue 30000 */
  budgetMaxWaitMs?: number;
}

export interface HubSpotConnector extends HubSpotPort {
  /** Properties every read asks for. */
  readonly contactProperties: readonly string[];
  /** Batch read by e-mail address (the console's contact search); unknown addresses are absent. */
  readContactsByEmail(emails: string[]): Promise<HubSpotContactRecord[]>;
  /** `lifecycle-sync doctor`: missing or mistyped properties the mappings name. */
  checkProperties(): Promise<PropertyReport>;
  /** `lifecycle-sync setup --apply`: the lifecycle group and missing lifecycle properties. */
  createMissingProperties(): Promise<SetupResult>;
  /** Signature v3 with HUBSPOT_CLIENT_SECRET; throws AuthConfigError when it is not set. */
  verifyWebhook(request: Omit<SignatureInput, 'clientSecret'>): SignatureResult;
}

const DAY_MS = 86_400_000;

export function createHubSpotConnector(options: HubSpotConnectorOptions): HubSpotConnector {
  const { config, mappings, redis, keyPrefix } = options;
  if (!config.HUBSPOT_ACCESS_TOKEN) {
    throw new AuthConfigError('HubSpot access token missing', 'set HUBSPOT_ACCESS_TOKEN to a private app token (any non-empty value works against the sandbox)');
  }
  const logger = options.logger ?? silentLogger;
  const maxWaitMs = options.budgetMaxWaitMs ?? 30_000;
  const daily = { name: 'daily', limit: config.HUBSPOT_DAILY_LIMIT, windowMs: DAY_MS };
  // Fixed one-second windows of floor(limit / 11): any rolling ten seconds spans at most eleven of them.
  const second = { name: 'second', limit: Math.max(1, Math.floor(config.HUBSPOT_RATE_LIMIT_PER_10S / 11)), windowMs: 1000 };
  const budget = new Budget({ system: 'hubspot', redis, keyPrefix, maxWaitMs, windows: [second, daily] });
  // Search has its own per-second limit; it is also charged to the general windows, which is conservative.
  const searchBudget = new Budget({ system: 'hubspot', redis, keyPrefix, maxWaitMs, windows: [{ name: 'search-second', limit: config.HUBSPOT_SEARCH_PER_SECOND, windowMs: 1000 }, second, daily] });
  const ctx: ConnectorContext = {
    apis: createApis({ accessToken: config.HUBSPOT_ACCESS_TOKEN, basePath: config.HUBSPOT_BASE_URL }),
    requester: new Requester({ ...options.requests, budget, searchBudget, logger }),
    redis,
    keyPrefix,
    logger,
    mappings,
    settings: resolveSettings(mappings, config.HUBSPOT_WEB_EVENTS, options.settings, second.limit),
    contactProperties: contactProperties(mappings.fields, mappings.activities),
  };
  const rules = new ActivityRules(mappings.activities);

  return {
    contactProperties: ctx.contactProperties,
    changedContacts: (since, until) => changedContacts(ctx, since, until),
    listContacts: (after) => listContacts(ctx, after),
    readContacts: (ids) => readContacts(ctx, ids),
    readContactsByEmail: (emails) => readContactsByEmail(ctx, emails),
    toContact: (record) => toContact(record, mappings.fields),
    activitiesFor: (records) => activitiesFor(ctx, rules, records),
    feedsBehind: (records) => feedsBehind(ctx, records),
    refreshFeeds: (opts) => refreshFeedsLocked(ctx, rules, { ...(opts?.full ? { full: true } : {}), ...(opts?.unlessFresherThanMs ? { unlessFresherThanMs: opts.unlessFresherThanMs } : {}) }),
    updateContacts: (updates) => updateContacts(ctx, updates),
    forget: async (contacts) => {
      const keys = contacts.flatMap((c) => [contactKey(ctx, c.id), ...(c.email ? [emailKey(ctx, c.email)] : [])]);
      if (keys.length) await redis.del(...keys);
    },
    checkProperties: () => checkProperties(ctx),
    createMissingProperties: () => createMissingProperties(ctx),
    verifyWebhook: (request) => {
      if (!config.HUBSPOT_CLIENT_SECRET) throw new AuthConfigError('HubSpot webhook secret missing', "set HUBSPOT_CLIENT_SECRET to the app's client secret (Settings > Auth in the app)");
      return verifySignatureV3({ ...request, clientSecret: config.HUBSPOT_CLIENT_SECRET });
    },
  };
}

export { verifySignatureV3, signV3, type SignatureFailure, type SignatureInput, type SignatureResult } from './signature';
export type { PropertyCheck, PropertyReport, SetupResult } from './properties';
export type { HubSpotSettings } from './context';
export type { ConnectorLogger } from './logger';
export { employeesLowerBound } from './normalise';
