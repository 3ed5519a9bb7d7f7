/**
 * What the admin console needs beyond the admin API (token-protected, under /admin): API
 * budget used and left per system with its last 24 hours, a contact found by e-mail, a
 * contact's stored history, the funnel page's report, and the definition facts its forms
 * offer (service lines, tiers).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { HubSpotContactRecord } from '../../connectors/ports';
import type { SalesforceLimits } from '../../connectors/salesforce';
import { bucketSeries, startOfUtcDay, type ApiUsage } from '../../jobs/api-usage';
import { dashboardHistory } from '../../jobs/dashboard-report';
import type { Runtime } from '../../jobs/runtime';
import { parseInput, versionLabel, windowInput } from './input';

export interface ConsoleApiDeps {
  runtime: Runtime;
  usage: ApiUsage;
  hubspotDailyLimit: number;
  /** Costs a Salesforce call: answers are cached (see LIMITS_CACHE_SECONDS). */
  salesforceLimits: () => Promise<SalesforceLimits>;
  findByEmail: (emails: string[]) => Promise<HubSpotContactRecord[]>;
}

const HOUR_MS = 3_600_000;
const LIMITS_CACHE_SECONDS = 300;
/** A failed limits call is not retried on every page refresh either. */
const LIMITS_ERROR_CACHE_SECONDS = 60;

type CachedLimits = { at: string; limits: SalesforceLimits } | { at: string; error: string };

export function consoleApiRouter(deps: ConsoleApiDeps): Router {
  const { runtime: rt, usage } = deps;
  const router = Router();

  const salesforceLimits = async (): Promise<CachedLimits> => {
    const key = rt.store.key('console', 'sf-limits');
    const cached = await rt.store.redis.get(key);
    if (cached) return JSON.parse(cached) as CachedLimits;
    let fresh: CachedLimits;
    try {
      fresh = { at: rt.now().toISOString(), limits: await deps.salesforceLimits() };
    } catch (error) {
      fresh = { at: rt.now().toISOString(), error: (error as Error).message.slice(0, 200) };
    }
    await rt.store.redis.set(key, JSON.stringify(fresh), 'EX', 'error' in fresh ? LIMITS_ERROR_CACHE_SECONDS : LIMITS_CACHE_SECONDS);
    return fresh;
  };

  router.get('/console/meta', async (_req, res) => {
    const def = rt.mappings.definition;
    res.json({ liveVersion: (await rt.definitions.live()).version, serviceLines: [...def.lines.keys()], tiers: def.tiers.map((t) => t.name) });
  });

  router.get('/api-usage', async (req, res) => {
    const q = parseInput(z.object({ hours: z.coerce.number().int().min(1).max(48).default(24), bucketMinutes: z.coerce.number().int().min(1).max(60).default(15) }), req.query, 'query');
    const now = rt.now().getTime();
    const from = now - q.hours * HOUR_MS;
    const last24h = now - 24 * HOUR_MS;
    const [hubspot, salesforce, sf] = await Promise.all([
      usage.perMinute('hubspot', Math.min(from, startOfUtcDay(now)), now + 1),
      usage.perMinute('salesforce', Math.min(from, last24h), now + 1),
      salesforceLimits(),
    ]);
    const sum = (perMinute: Map<number, number>, since: number) => [...perMinute].reduce((n, [at, calls]) => (at >= since ? n + calls : n), 0);
    // HubSpot's daily limit resets at midnight (UTC here); Salesforce's allocation is a rolling 24 hours.
    const hubspotToday = sum(hubspot, startOfUtcDay(now));
    const salesforce24h = sum(salesforce, last24h);
    const serviceLimit = 'limits' in sf && sf.limits.serviceDailyLimit > 0 ? sf.limits.serviceDailyLimit : null;
    res.json({
      bucketMinutes: q.bucketMinutes,
      hubspot: {
        window: 'today (UTC)', used: hubspotToday, limit: deps.hubspotDailyLimit, left: Math.max(0, deps.hubspotDailyLimit - hubspotToday),
        series: bucketSeries(hubspot, from, now + 1, q.bucketMinutes * 60_000),
      },
      salesforce: {
        window: 'last 24 h', used: salesforce24h, limit: serviceLimit, left: serviceLimit === null ? null : Math.max(0, serviceLimit - salesforce24h),
        org: 'limits' in sf ? { ...sf.limits.dailyApiRequests, share: sf.limits.share, checkedAt: sf.at } : null,
        ...('error' in sf ? { orgError: sf.error } : {}),
        series: bucketSeries(salesforce, from, now + 1, q.bucketMinutes * 60_000),
      },
    });
  });

  // A POST: an address in a query string would end up in proxies' access logs and browser history.
  router.post('/contacts/search', async (req, res) => {
    const body = parseInput(z.object({ email: z.string().trim().email('an e-mail address') }), req.body ?? {}, 'body');
    const records = await deps.findByEmail([body.email]);
    res.json({
      contacts: records.map((r) => {
        const c = rt.hubspot.toContact(r);
        return { id: c.id, name: [c.firstName, c.lastName].filter(Boolean).join(' '), company: c.company };
      }),
    });
  });

  router.get('/contacts/:hubspotId/history', async (req, res) => {
    const id = parseInput(z.string().regex(/^\d{1,20}$/, 'a HubSpot contact id (digits)'), req.params.hubspotId, 'path hubspotId');
    res.json({ id, entries: await rt.history.entries(id) });
  });

  router.get('/reports/dashboard', async (req, res) => {
    const q = parseInput(z.object({ since: z.string().optional(), until: z.string().optional(), version: versionLabel.optional() }), req.query, 'query');
    res.json(await dashboardHistory(rt.history, windowInput(q.since, q.until), q.version ?? null, rt.now().toISOString()));
  });
  return router;
}
