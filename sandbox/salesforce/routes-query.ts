/**
 * `GET /query?q=` and `/queryAll?q=` (deleted rows too), paged like Salesforce: at most
 * 2,000 rows per answer (fewer with `Sforce-Query-Options: batchSize=N`), the rest behind
 * `nextRecordsUrl` = `/services/data/vNN.N/query/{cursorId}-{offset}`.
 */
import express, { type Request, type Response, type Router } from 'express';
import { SalesforceApiError } from './errors';
import { runQuery } from './query-engine';
import type { FieldDef, ObjectDef, SfRecord } from './schema';
import { recordJson } from './serialize';
import { SoqlError } from './soql/errors';
import { restContext, type SimulatorDeps } from './context';

interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: unknown[];
}

export function queryRouter(deps: SimulatorDeps): Router {
  const router = express.Router();

  router.get(['/query', '/queryAll'], (req: Request, res: Response) => {
    const soql = typeof req.query.q === 'string' ? req.query.q : '';
    if (!soql.trim()) throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    let result;
    try {
      result = runQuery(deps.store, soql, req.path === '/queryAll');
    } catch (error) {
      if (error instanceof SoqlError) throw error.toApiError(soql);
      throw error;
    }
    const { query, records } = result;
    if (query.count) {
      if (!query.count.field) {
        res.json({ totalSize: records.length, done: true, records: [] });
        return;
      }
      const name = query.count.field.name;
      const expr0 = records.filter((r) => r[name] !== null && r[name] !== undefined).length;
      res.json({ totalSize: 1, done: true, records: [{ attributes: { type: 'AggregateResult' }, expr0 }] });
      return;
    }
    const fields = query.fields;
    res.json(page(deps, res, { object: query.object, fields, records }, 0, pageSize(deps, req), req.path));
  });

  router.get(['/query/:locator', '/queryAll/:locator'], (req: Request, res: Response) => {
    const m = /^(.+)-(\d+)$/.exec(String(req.params.locator));
    const cursor = m ? deps.cursors.take(m[1] as string) : undefined;
    if (!m || !cursor || Number(m[2]) > cursor.records.length) {
      throw new SalesforceApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    const result = page(deps, res, cursor, Number(m[2]), cursor.pageSize, req.path.startsWith('/queryAll') ? '/queryAll' : '/query', m[1]);
    res.json(result);
  });

  return router;
}

/** Rows per page: `Sforce-Query-Options: batchSize=N` (200..2000) or the simulator's default. */
function pageSize(deps: SimulatorDeps, req: Request): number {
  const m = /batchSize=(\d+)/i.exec(req.get('sforce-query-options') ?? '');
  if (!m) return deps.pageSize;
  return Math.min(deps.pageSize, Math.max(200, Number(m[1])));
}

function page(
  deps: SimulatorDeps,
  res: Response,
  result: { object: ObjectDef; fields: FieldDef[]; records: SfRecord[] },
  offset: number,
  size: number,
  resource: string,
  cursorId?: string,
): QueryPage {
  const { version, userId } = restContext(res);
  const rows = result.records.slice(offset, offset + size).map((r) => recordJson(result.object, r, result.fields, version));
  const end = offset + rows.length;
  const body: QueryPage = { totalSize: result.records.length, done: end >= result.records.length, records: rows };
  if (body.done) {
    if (cursorId) deps.cursors.close(cursorId);
    return body;
  }
  const id = cursorId ?? deps.cursors.create({ userId, object: result.object, fields: result.fields, records: result.records, pageSize: size });
  return { totalSize: body.totalSize, done: false, nextRecordsUrl: `/services/data/v${version}${resource}/${id}-${end}`, records: rows };
}
