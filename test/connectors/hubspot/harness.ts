/**
 * Shared set-up of the HubSpot connector tests: a connector on the real Redis with its own
 * key prefix (deleted after), HubSpot-shaped fixtures, and a fake search backend that
 * behaves like HubSpot's (10,000-result cap, one sort property, ties in no particular order).
 */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type nock from 'nock';
import { Budget } from '../../../connectors/budget';
import { createHubSpotConnector, type HubSpotConnector, type HubSpotConnectorOptions } from '../../../connectors/hubspot';
import type { ActivitiesMapping } from '../../../src/mappings/activities';
import { loadMappings, type Mappings } from '../../../src/mappings/load';

export const BASE = 'https://api.hubapi.com';

let mappings: Mappings | undefined;
export function testMappings(): Mappings {
  return (mappings ??= loadMappings());
}

export interface TestConnector {
  connector: HubSpotConnector;
  redis: Redis;
  keyPrefix: string;
  /** Rate-limit waits the connector asked for (recorded, not slept). */
  waits: number[];
  /** `Budget.pauseFor` calls (recorded; pausing is not applied so tests stay fast). */
  pauses: number[];
  close(): Promise<void>;
}

export interface MakeOptions extends Partial<Pick<HubSpotConnectorOptions, 'settings' | 'requests' | 'budgetMaxWaitMs'>> {
  config?: Partial<HubSpotConnectorOptions['config']>;
  baseUrl?: string;
  /** Replaces parts of mappings/activities.yaml (e.g. fewer forms). */
  activities?: Partial<ActivitiesMapping>;
}

export async function makeConnector(options: MakeOptions = {}): Promise<TestConnector> {
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  const keyPrefix = `lsync-test-${randomBytes(6).toString('hex')}`;
  const waits: number[] = [];
  const pauses: number[] = [];
  const pauseSpy = jest.spyOn(Budget.prototype, 'pauseFor').mockImplementation((ms: number) => {
    pauses.push(ms);
  });
  const connector = createHubSpotConnector({
    config: {
      HUBSPOT_ACCESS_TOKEN: 'pat-test-token', HUBSPOT_BASE_URL: options.baseUrl ?? BASE, HUBSPOT_RATE_LIMIT_PER_10S: 100_000,
      HUBSPOT_DAILY_LIMIT: 10_000_000, HUBSPOT_SEARCH_PER_SECOND: 10_000, HUBSPOT_WEB_EVENTS: false, HUBSPOT_CLIENT_SECRET: 'test-secret',
      ...options.config,
    },
    mappings: options.activities ? { ...testMappings(), activities: { ...testMappings().activities, ...options.activities } } : testMappings(),
    redis,
    keyPrefix,
    settings: { searchLagMs: 0, ...options.settings },
    requests: { backoffStartMs: 1, backoffMaxMs: 5, timeoutMs: 2000, sleep: async (ms) => void waits.push(ms), ...options.requests },
    ...(options.budgetMaxWaitMs !== undefined ? { budgetMaxWaitMs: options.budgetMaxWaitMs } : {}),
  });
  return {
    connector, redis, keyPrefix, waits, pauses,
    async close() {
      pauseSpy.mockRestore();
      const keys = await redis.keys(`${keyPrefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}

/** A HubSpot error body as the API sends it. */
export function errorBody(message: string, category: string, extra: Record<string, unknown> = {}) {
  return { status: 'error', message, correlationId: 'c0ffee00-1111-4222-8333-444455556666', category, ...extra };
}

/** A contact as the CRM API returns it. */
export function contactJson(id: string, properties: Record<string, string | null>, modifiedAt = '2026-11-01T10:00:00.000Z') {
  return {
    id,
    properties: { hs_object_id: id, createdate: '2025-01-01T00:00:00.000Z', lastmodifieddate: modifiedAt, ...properties },
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: modifiedAt,
    archived: false,
  };
}

export const JSON_HEADERS = { 'Content-Type': 'application/json' };

export interface FakeContact {
  id: string;
  modifiedAt: number;
}

interface SearchFilter {
  propertyName: string;
  operator: string;
  value?: string;
}
export interface SearchBody {
  filterGroups?: Array<{ filters?: SearchFilter[] }>;
  sorts?: Array<{ propertyName: string; direction?: string }>;
  properties?: string[];
  limit?: number;
  after?: string;
}

/** A deterministic but unordered tie-break, so tests cannot rely on ties coming by id. */
const scrambled = new Map<string, number>();
function scramble(id: string): number {
  const hit = scrambled.get(id);
  if (hit !== undefined) return hit;
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  scrambled.set(id, h >>> 0);
  return h >>> 0;
}

/**
 * A nock reply function answering `POST /crm/v3/objects/contacts/search` over `contacts()`
 * like HubSpot: AND of filters, one sort, `total`, offsets in `after`, a 400 past the cap.
 */
export function searchBackend(contacts: () => FakeContact[], cap = 10_000) {
  const requests: SearchBody[] = [];
  const reply = (_uri: string, raw: nock.Body): [number, nock.Body, Record<string, string>] => {
    const body = raw as SearchBody;
    requests.push(body);
    const filters = body.filterGroups?.[0]?.filters ?? [];
    const valueOf = (c: FakeContact, name: string) => (name === 'hs_object_id' ? Number(c.id) : c.modifiedAt);
    const test = (c: FakeContact, f: SearchFilter) => {
      const v = valueOf(c, f.propertyName);
      const target = Number(f.value);
      switch (f.operator) {
        case 'EQ': return v === target;
        case 'GT': return v > target;
        case 'GTE': return v >= target;
        case 'LT': return v < target;
        case 'LTE': return v <= target;
        default: throw new Error(`operator ${f.operator} not faked`);
      }
    };
    const sortBy = body.sorts?.[0]?.propertyName ?? 'hs_object_id';
    const matches = contacts().filter((c) => filters.every((f) => test(c, f)))
      .sort((a, b) => valueOf(a, sortBy) - valueOf(b, sortBy) || scramble(a.id) - scramble(b.id));
    const after = Number(body.after ?? 0);
    const limit = Math.min(body.limit ?? 10, 200);
    if (after >= cap) return [400, errorBody(`Search results are limited to ${cap} per query.`, 'VALIDATION_ERROR'), JSON_HEADERS];
    const page = matches.slice(after, Math.min(after + limit, cap));
    const next = after + limit < matches.length ? String(after + limit) : undefined;
    const results = page.map((c) => contactJson(c.id, {}, new Date(c.modifiedAt).toISOString()));
    return [200, { total: matches.length, results, ...(next ? { paging: { next: { after: next, link: `?after=${next}` } } } : {}) }, JSON_HEADERS];
  };
  return { reply, requests };
}
