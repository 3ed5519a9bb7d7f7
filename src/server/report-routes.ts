/**
 * Admin API for reports (bearer token, under /admin): backtests of a candidate definition
 * against stored history, the funnel and the handoff SLA. All read Redis only, never the
 * HubSpot or Salesforce APIs. `?format=text` answers with the tables the CLI prints.
 */
import { Router } from 'express';
import { z } from 'zod';
import { BacktestRuns } from '../../jobs/backtest-runs';
import { DefinitionRegistry } from '../../jobs/definition-registry';
import { funnelHistory, handoffHistory } from '../../jobs/reports';
import type { Runtime } from '../../jobs/runtime';
import { parseDefinition } from '../domain/definition/parse';
import { DefinitionError } from '../domain/errors';
import { FUNNEL_DIMENSIONS } from '../domain/reports/funnel';
import { comparisonText, funnelText, handoffText } from '../domain/reports/text';
import { HttpError } from './errors';
import { parseInput, versionLabel, wantsText, windowInput } from './input';

const backtestBody = z
  .strictObject({
    /** The candidate's YAML, or the version of an uploaded one. */
    candidate: z.string().min(1).max(1_000_000).optional(),
    candidateVersion: versionLabel.optional(),
    /** Compare against this version instead of the live one. */
    current: versionLabel.optional(),
    since: z.string().optional(),
    until: z.string().optional(),
    maxFlips: z.number().int().min(0).max(10_000).optional(),
  })
  .refine((b) => (b.candidate === undefined) !== (b.candidateVersion === undefined), 'give the candidate as YAML (candidate) or as an uploaded version (candidateVersion)');

const windowQuery = z.object({ since: z.string().optional(), until: z.string().optional() });

export function reportRouter(rt: Runtime): Router {
  const router = Router();
  const registry = new DefinitionRegistry(rt.store, rt.mappings.definition, () => rt.now());
  const runs = new BacktestRuns(rt.store, rt.history, (error, id) => rt.logger.error({ err: error, backtest: id }, 'backtest failed'));

  router.post('/backtests', async (req, res) => {
    const body = parseInput(backtestBody, req.body ?? {}, 'body');
    const window = windowInput(body.since, body.until);
    let candidate;
    try {
      candidate = body.candidate !== undefined ? parseDefinition(body.candidate, 'candidate') : await registry.definition(body.candidateVersion!);
    } catch (error) {
      if (error instanceof DefinitionError) throw new HttpError(400, error.message);
      throw error;
    }
    const current = body.current ? await registry.definition(body.current === 'live' ? await registry.liveVersion() : body.current) : await registry.live();
    const { id } = await runs.start(current, candidate, window, body.maxFlips === undefined ? {} : { maxFlips: body.maxFlips });
    res.status(202).location(`/admin/backtests/${id}`).json({ id, current: current.version, candidate: candidate.version });
  });

  router.get('/backtests/:id', async (req, res) => {
    const id = parseInput(z.string().uuid('a backtest id (uuid)'), req.params.id, 'path id');
    const run = await runs.get(id);
    if (!run) throw new HttpError(404, `no backtest ${id} (results are kept for 7 days)`);
    if (wantsText(req) && run.result) return void res.type('text/plain').send(comparisonText('Backtest', run.result));
    res.json(run);
  });

  router.get('/reports/funnel', async (req, res) => {
    const q = parseInput(windowQuery.extend({ by: z.enum(FUNNEL_DIMENSIONS).default('version') }), req.query, 'query');
    const report = await funnelHistory(rt.history, { by: q.by, window: windowInput(q.since, q.until) });
    if (wantsText(req)) return void res.type('text/plain').send(funnelText(report));
    res.json(report);
  });

  router.get('/reports/handoff', async (req, res) => {
    const q = parseInput(windowQuery, req.query, 'query');
    const report = await handoffHistory(rt.history, windowInput(q.since, q.until), rt.now().toISOString());
    if (wantsText(req)) return void res.type('text/plain').send(handoffText(report));
    res.json(report);
  });
  return router;
}
