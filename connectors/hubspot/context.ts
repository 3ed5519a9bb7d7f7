/** What every part of the connector shares: the APIs, the call wrapper, Redis, mappings and settings. */
import type Redis from 'ioredis';
import type { Mappings } from '../../src/mappings/load';
import type { HubSpotApis } from './client';
import type { ConnectorLogger } from './logger';
import type { Requester } from './request';

/** Tuning with defaults; the integrator rarely needs to change these. */
export interface HubSpotSettings {
  /** Read web analytics events (Enterprise portals only). From HUBSPOT_WEB_EVENTS. */
  webEvents: boolean;
  /** Results one search query can page through. @defaultValue 10000 (HubSpot's cap) */
  searchMaxResults: number;
  /** Search page size. @defaultValue 200 (HubSpot's maximum) */
  searchPageSize: number;
  /**
   * Changes younger than this are left to the next pull, because search indexes them with a
   * delay and a record indexed late behind the cursor would be lost. @defaultValue 30000
   */
  searchLagMs: number;
  /** Activities older than this leave the cache. @defaultValue the definition's lookbackDays + 7 */
  retentionMs: number;
  /**
   * Longest least time between two staleness-triggered refreshes of one feed. A feed that
   * costs fewer calls is refreshed sooner, as often as `refreshBudgetShare` of the budget
   * allows (at most twice a second). @defaultValue 15000
   */
  refreshThrottleMs: number;
  /**
   * Share of the per-second call budget staleness refreshes may use. At 0.2 a form refresh (one
   * call per listed form) came every 2.6 s and held webhook p99 at 4.1 s; at 0.5 it comes about
   * every second and p99 fell to 2.6 s with no 429s and no slower backfill (bench --quick;
   * since then the forms of a few contacts are read for them alone, see contact-forms.ts).
   * @defaultValue 0.5
   */
  refreshBudgetShare: number;
  /**
   * Longest time a sync waits for a throttled refresh of a feed its contacts are behind on;
   * past it the contacts are left for a later sync (see `feedsBehind`). @defaultValue 1000
   */
  refreshWaitMs: number;
  /** Calls per second the budget allows (HUBSPOT_RATE_LIMIT_PER_10S / 11). */
  callsPerSecond: number;
  /** Lifetime of the feed-refresh lock (a crashed holder frees it after this). @defaultValue 120000 */
  lockTtlMs: number;
  /** How long `activitiesFor` waits for another worker's refresh before reading the cache as it is. @defaultValue 30000 */
  lockWaitMs: number;
  /** E-mail and web events can be recorded late: each pull starts this long before the previous one ended. @defaultValue 600000 */
  feedOverlapMs: number;
  /** Participations of an event are re-read until this long after it ended. @defaultValue 30 days */
  eventRecheckMs: number;
}

export interface ConnectorContext {
  apis: HubSpotApis;
  requester: Requester;
  redis: Redis;
  /** Prefix of every Redis key, e.g. `lsync`. */
  keyPrefix: string;
  logger: ConnectorLogger;
  mappings: Mappings;
  settings: HubSpotSettings;
  /** Contact properties every read asks for. */
  contactProperties: string[];
}

const DAY_MS = 86_400_000;

export function resolveSettings(mappings: Mappings, webEvents: boolean, overrides: Partial<HubSpotSettings> = {}, callsPerSecond = 17): HubSpotSettings {
  return {
    webEvents,
    searchMaxResults: 10_000,
    searchPageSize: 200,
    searchLagMs: 30_000,
    retentionMs: (mappings.definition.lookbackDays + 7) * DAY_MS,
    refreshThrottleMs: 15_000,
    refreshBudgetShare: 0.5,
    refreshWaitMs: 1000,
    callsPerSecond,
    lockTtlMs: 120_000,
    lockWaitMs: 30_000,
    feedOverlapMs: 600_000,
    eventRecheckMs: 30 * DAY_MS,
    ...overrides,
  };
}
