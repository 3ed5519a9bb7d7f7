/** The admin API (bearer token): backfills, runs, failures and re-drives, contact explanations, status. */
import { Router } from 'express';
import { z } from 'zod';
import type { Backfills } from '../../jobs/backfill';
import { explainContact } from '../../jobs/explain';
import { PRIORITY, type Queues } from '../../jobs/queues';
import type { Runtime } from '../../jobs/runtime';
import { HttpError } from './errors';

const hubspotId = z.string().regex(/^\d{1,20}$/, 'a HubSpot contact id (digits)');
const isoDate = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'an ISO-8601 date or date-time');

const backfillBody = z
  .strictObject({
    since: isoDate.optional(),
    until: isoDate.optional(),
    ids: z.array(hubspotId).min(1).max(100_000).optional(),
    serviceLine: z.string().min(1).optional(),
    dryRun: z.boolean().optional(),
  })
  .refine((b) => !(b.ids && (b.since || b.until)), 'give either ids or a date range, not both')
  .refine((b) => !(b.since && b.until) || Date.parse(b.since) < Date.parse(b.until), 'since must be before until');

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new HttpError(400, `${what}${issue.path.length ? ` ${issue.path.join('.')}` : ''}: ${issue.message.replace(/^Invalid input: /, '')}`);
}

export interface AdminDeps {
  runtime: Runtime;
  queues: Queues;
  backfills: Backfills;
}

export function adminRouter({ runtime: rt, queues, backfills }: AdminDeps): Router {
  const router = Router();
  const lines = new Set(rt.mappings.definition.lines.keys());

  router.post('/backfills', async (req, res) => {
    const body = parse(backfillBody, req.body ?? {}, 'body');
    if (body.serviceLine && !lines.has(body.serviceLine)) throw new HttpError(400, `body serviceLine: unknown service line "${body.serviceLine}"; expected one of ${[...lines].join(', ')}`);
    const id = await backfills.start(body);
    res.status(202).location(`/admin/backfills/${id}`).json({ id });
  });
  router.get('/backfills', async (_req, res) => void res.json(await backfills.list()));
  router.get('/backfills/:id', async (req, res) => {
    const id = parse(z.string().uuid('a backfill id (uuid)'), req.params.id, 'path id');
    const backfill = await backfills.get(id);
    if (!backfill) throw new HttpError(404, `no backfill ${id}`);
    res.json(backfill);
  });
  router.get('/backfills/:id/planned', async (req, res) => {
    const id = parse(z.string().uuid('a backfill id (uuid)'), req.params.id, 'path id');
    const q = parse(z.object({ offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(1000).default(100) }), req.query, 'query');
    if (!(await backfills.get(id))) throw new HttpError(404, `no backfill ${id}`);
    res.json(await backfills.planned(id, q.offset, q.limit));
  });
  router.delete('/backfills/:id', async (req, res) => {
    const id = parse(z.string().uuid('a backfill id (uuid)'), req.params.id, 'path id');
    if (!(await backfills.get(id))) throw new HttpError(404, `no backfill ${id}`);
    const cancelled = await backfills.cancel(id);
    res.status(cancelled ? 200 : 409).json(cancelled ? await backfills.get(id) : { error: 'the backfill has already ended' });
  });

  router.get('/contacts/:hubspotId/explain', async (req, res) => {
    const id = parse(hubspotId, req.params.hubspotId, 'path hubspotId');
    const explanation = await explainContact(rt, id);
    if (!explanation) throw new HttpError(404, `HubSpot has no contact ${id}`);
    res.json(explanation);
  });

  router.get('/runs', async (req, res) => {
    const q = parse(z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }), req.query, 'query');
    res.json(await rt.store.runs(q.limit));
  });

  router.get('/failures', async (_req, res) => {
    const records = await rt.store.failures();
    const jobs = [];
    for (const queue of [queues.sync, queues.outcomes, queues.control]) {
      for (const job of await queue.getFailed(0, 99)) {
        jobs.push({ id: `job:${queue.name}:${job.id}`, queue: queue.name, name: job.name, reason: job.failedReason, attempts: job.attemptsMade, failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null, contacts: Array.isArray(job.data?.ids) ? job.data.ids.length : undefined });
      }
    }
    res.json({ records, jobs });
  });

  router.post('/failures/:id/retry', async (req, res) => {
    const id = parse(z.string().regex(/^((hubspot|salesforce):\d{1,20}|job:(sync|outcomes|control):[\w:-]+)$/, 'hubspot:<id>, salesforce:<id> or job:<queue>:<job id>'), req.params.id, 'path id');
    if (id.startsWith('job:')) {
      const [, queueName, ...jobId] = id.split(':');
      const queue = queueName === 'sync' ? queues.sync : queueName === 'outcomes' ? queues.outcomes : queues.control;
      const job = await queue.getJob(jobId.join(':'));
      if (!job || !(await job.isFailed())) throw new HttpError(404, `no failed job ${id}`);
      await job.retry();
      return void res.status(202).json({ retried: id });
    }
    const failure = await rt.store.failure(id);
    if (!failure) throw new HttpError(404, `no failure ${id}`);
    await queues.sync.add('retry', { ids: [failure.hubspotId], trigger: 'retry' }, { priority: PRIORITY.retry });
    res.status(202).json({ retried: id });
  });

  router.post('/failures/retry', async (req, res) => {
    const body = parse(z.strictObject({ code: z.string().min(1).optional() }), req.body ?? {}, 'body');
    const ids = (await rt.store.failures()).filter((f) => !body.code || f.code === body.code).map((f) => f.hubspotId);
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 100) await queues.sync.add('retry', { ids: unique.slice(i, i + 100), trigger: 'retry' }, { priority: PRIORITY.retry });
    res.status(202).json({ contacts: unique.length });
  });

  router.get('/status', async (_req, res) => {
    const depth = async (q: Queues['sync'] | Queues['outcomes'] | Queues['control']) => q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
    const [sync, outcomes, control, hubspotCursor, leadCursor, contactCursor, runs, failures] = await Promise.all([
      depth(queues.sync), depth(queues.outcomes), depth(queues.control),
      rt.store.getCursor<{ modifiedAt: number }>('hubspot-contacts'),
      rt.store.getCursor<{ modstamp: number }>('salesforce-Lead'),
      rt.store.getCursor<{ modstamp: number }>('salesforce-Contact'),
      rt.store.runs(200),
      rt.store.failures(),
    ]);
    const now = Date.now();
    const lastByTrigger: Record<string, unknown> = {};
    for (const run of runs) lastByTrigger[`${run.trigger}/${run.kind}`] ??= run;
    res.json({
      definitionVersion: (await rt.definitions.live()).version,
      queues: { sync, outcomes, control },
      lagSeconds: {
        hubspot: hubspotCursor ? Math.round((now - hubspotCursor.modifiedAt) / 1000) : null,
        salesforce: leadCursor || contactCursor ? Math.round((now - Math.min(leadCursor?.modstamp ?? now, contactCursor?.modstamp ?? now)) / 1000) : null,
      },
      lastRuns: lastByTrigger,
      failures: failures.length,
    });
  });
  return router;
}
