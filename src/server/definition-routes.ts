/**
 * Admin API for definitions (bearer token, under /admin): upload candidates, compare them
 * rule by rule, run them in shadow, see how the shadow did, go live, and the log of who did
 * what when.
 */
import { Router } from 'express';
import { z } from 'zod';
import { DefinitionRegistry } from '../../jobs/definition-registry';
import { shadowHistory } from '../../jobs/reports';
import type { Runtime } from '../../jobs/runtime';
import { diffDefinitions, formatDiff } from '../domain/definition/diff';
import { comparisonText } from '../domain/reports/text';
import { HttpError } from './errors';
import { actor, parseInput, versionLabel, wantsText, windowInput } from './input';

const isoInstant = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'an ISO-8601 date-time').transform((s) => new Date(s).toISOString());

export function definitionRouter(rt: Runtime): Router {
  const router = Router();
  const registry = new DefinitionRegistry(rt.store, rt.mappings.definition, () => rt.now());
  /** A version label, or `live`. */
  const resolve = async (raw: unknown, what: string) => {
    const version = parseInput(versionLabel, raw, what);
    return version === 'live' ? registry.liveVersion() : version;
  };

  router.get('/definitions', async (_req, res) => {
    res.json({ live: await registry.liveVersion(), definitions: await registry.list() });
  });

  router.post('/definitions', async (req, res) => {
    const body = parseInput(z.object({ yaml: z.string().min(1).max(1_000_000), name: z.string().max(200).optional() }), req.body ?? {}, 'body');
    const result = await registry.upload(body.yaml, actor(req), body.name ?? 'uploaded definition');
    res.status(result.created ? 201 : 200).location(`/admin/definitions/${result.definition.version}`).json(result);
  });

  router.get('/definitions/events', async (req, res) => {
    const q = parseInput(z.object({ limit: z.coerce.number().int().min(1).max(1000).default(50) }), req.query, 'query');
    res.json(await registry.events(q.limit));
  });

  router.get('/definitions/diff', async (req, res) => {
    const [from, to] = await Promise.all([resolve(req.query.from, 'query from'), resolve(req.query.to, 'query to')]);
    const [a, b] = await Promise.all([registry.definition(from), registry.definition(to)]);
    const changes = diffDefinitions(a.source, b.source);
    if (wantsText(req)) return void res.type('text/plain').send(formatDiff(a.source, b.source, changes));
    res.json({ from, to, changes });
  });

  router.get('/definitions/:version', async (req, res) => {
    const version = await resolve(req.params.version, 'path version');
    const found = await registry.get(version);
    if (!found) throw new HttpError(404, `no definition version "${version}"`);
    const listing = (await registry.list()).find((d) => d.version === version);
    res.json({ ...found.definition, live: listing?.live ?? false, shadow: listing?.shadow ?? null, text: found.text });
  });

  router.put('/definitions/:version/shadow', async (req, res) => {
    const version = parseInput(versionLabel, req.params.version, 'path version');
    const body = parseInput(z.object({ by: z.string().optional(), from: isoInstant.optional(), until: isoInstant.nullable().optional() }), req.body ?? {}, 'body');
    const window = await registry.setShadow(version, actor(req), { ...(body.from ? { from: body.from } : {}), ...(body.until !== undefined ? { until: body.until } : {}) });
    res.json({ version, shadow: window });
  });

  router.delete('/definitions/:version/shadow', async (req, res) => {
    const version = parseInput(versionLabel, req.params.version, 'path version');
    if (!(await registry.clearShadow(version, actor(req)))) throw new HttpError(404, `"${version}" is not running in shadow`);
    res.json({ version, shadow: null });
  });

  router.post('/definitions/:version/go-live', async (req, res) => {
    const version = parseInput(versionLabel, req.params.version, 'path version');
    const body = parseInput(z.object({ by: z.string().optional(), force: z.boolean().optional() }), req.body ?? {}, 'body');
    res.json(await registry.goLive(version, actor(req), { force: body.force ?? false }));
  });

  router.get('/definitions/:version/shadow-report', async (req, res) => {
    const version = parseInput(versionLabel, req.params.version, 'path version');
    const q = parseInput(z.object({ since: z.string().optional(), until: z.string().optional() }), req.query, 'query');
    const [candidate, current] = await Promise.all([registry.definition(version), registry.live()]);
    // By default the report covers the shadow run: from when it last began.
    const since = q.since ?? (await registry.events(1000)).find((e) => e.action === 'shadow-on' && e.version === version)?.from;
    const report = await shadowHistory(rt.history, version, current.version, windowInput(since, q.until), { current, candidate });
    if (wantsText(req)) return void res.type('text/plain').send(comparisonText(`Shadow report (recorded at each sync)`, report));
    res.json(report);
  });
  return router;
}
