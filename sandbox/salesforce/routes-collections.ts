/**
 * sObject Collections (`/composite/sobjects`): create, update, upsert by external id,
 * retrieve and delete up to 200 records per call (2,000 ids for retrieve), answering 200 with
 * one save result per record and `allOrNone` rolling back every record when one fails.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { objectFromPath, restContext, writeContext, type SimulatorDeps } from './context';
import { exceededIdLimit, jsonParserError, notFound, recordError, ROLLED_BACK, SalesforceApiError } from './errors';
import { normaliseId } from './ids';
import { objectNamed } from './objects';
import { executeWrites, type SaveResult, type WriteRequest } from './operations';
import type { ObjectDef } from './schema';
import { recordJson } from './serialize';
import { selectedFields } from './routes-sobjects';
import { parseBody } from './validate';

const MAX_RECORDS = 200;
const MAX_RETRIEVE_IDS = 2000;

interface CollectionBody {
  allOrNone: boolean;
  records: Record<string, unknown>[];
}

export function collectionsRouter(deps: SimulatorDeps): Router {
  const router = express.Router();
  // Collections arrived in API 42.0 and upsert through them in 46.0.
  router.use((req: Request, res: Response, next: NextFunction) => {
    const { major } = restContext(res);
    const upsert = req.method === 'PATCH' && /^\/[^/]+\/[^/]+$/.test(req.path);
    if (major < 42 || (upsert && major < 46)) throw notFound();
    next();
  });

  router.post('/', (req: Request, res: Response) => {
    const { allOrNone, records } = collectionBody(req.body);
    const requests = records.map((r): WriteRequest | SaveResult => {
      const def = typed(r);
      if (!def) return missingType();
      if ('id' in lowerKeys(r)) return fail(recordError('INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']));
      return { op: 'create', def, values: parseBody(def, r) };
    });
    res.json(run(deps, res, requests, allOrNone));
  });

  router.patch('/', (req: Request, res: Response) => {
    const { allOrNone, records } = collectionBody(req.body);
    const requests = records.map((r): WriteRequest | SaveResult => {
      const def = typed(r);
      if (!def) return missingType();
      const id = lowerKeys(r).id;
      if (typeof id !== 'string' || id === '') return fail(recordError('MISSING_ARGUMENT', 'Id not specified in an update call'));
      return { op: 'update', def, id, values: parseBody(def, r, ['id']) };
    });
    res.json(run(deps, res, requests, allOrNone));
  });

  router.patch('/:type/:field', (req: Request, res: Response) => {
    const def = objectFromPath(req.params.type as string);
    const field = def.byLower.get(String(req.params.field).toLowerCase());
    if (!field?.externalId) {
      throw new SalesforceApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${String(req.params.field)}`);
    }
    const { allOrNone, records } = collectionBody(req.body);
    const requests = records.map((r): WriteRequest => ({ op: 'upsert', def, field, values: parseBody(def, r) }));
    res.json(run(deps, res, requests, allOrNone));
  });

  router.delete('/', (req: Request, res: Response) => {
    const ids = String(req.query.ids ?? '').split(',').filter(Boolean);
    if (ids.length > MAX_RECORDS) throw exceededIdLimit(MAX_RECORDS);
    const requests = ids.map((id): WriteRequest => ({ op: 'delete', id }));
    res.json(run(deps, res, requests, String(req.query.allOrNone) === 'true'));
  });

  const retrieve = (res: Response, type: string, ids: string[], fields: unknown): void => {
    const def = objectFromPath(type);
    if (ids.length > MAX_RETRIEVE_IDS) throw exceededIdLimit(MAX_RETRIEVE_IDS);
    if (typeof fields !== 'string' || fields === '') {
      throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'fields parameter is required');
    }
    const selected = selectedFields(def, fields);
    const { version } = restContext(res);
    res.json(
      ids.map((raw) => {
        const id = normaliseId(raw);
        const record = id?.startsWith(def.keyPrefix) ? deps.store.get(id) : undefined;
        return record && record.IsDeleted !== true ? recordJson(def, record, selected, version) : null;
      }),
    );
  };
  router.get('/:type', (req: Request, res: Response) => {
    retrieve(res, req.params.type as string, String(req.query.ids ?? '').split(',').filter(Boolean), req.query.fields);
  });
  router.post('/:type', (req: Request, res: Response) => {
    const body = (req.body ?? {}) as { ids?: unknown; fields?: unknown };
    const ids = Array.isArray(body.ids) ? body.ids.map(String) : [];
    const fields = Array.isArray(body.fields) ? body.fields.map(String).join(',') : undefined;
    retrieve(res, req.params.type as string, ids, fields);
  });

  return router;
}

function collectionBody(body: unknown): CollectionBody {
  const b = (body ?? {}) as { allOrNone?: unknown; records?: unknown };
  if (!Array.isArray(b.records)) throw jsonParserError('records must be an array of sObjects');
  if (b.records.length > MAX_RECORDS) throw exceededIdLimit(MAX_RECORDS);
  if (b.records.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) {
    throw jsonParserError('Cannot deserialize instance of SObject from a non-object value');
  }
  return { allOrNone: b.allOrNone === true, records: b.records as Record<string, unknown>[] };
}

/** The record's `attributes.type`; an unknown type name fails the whole request. */
function typed(record: Record<string, unknown>): ObjectDef | undefined {
  const attributes = record.attributes as { type?: unknown } | undefined;
  if (typeof attributes?.type !== 'string') return undefined;
  const def = objectNamed(attributes.type);
  if (!def) throw new SalesforceApiError(400, 'INVALID_TYPE', `sObject type '${attributes.type}' is not supported.`);
  return def;
}

function lowerKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}

const fail = (error: ReturnType<typeof recordError>): SaveResult => ({ success: false, errors: [error] });
const missingType = (): SaveResult => fail(recordError('INVALID_TYPE', 'Must send a concrete entity type.'));

/** Runs the valid requests and slots the pre-failed ones in at their positions. */
function run(deps: SimulatorDeps, res: Response, items: Array<WriteRequest | SaveResult>, allOrNone: boolean): SaveResult[] {
  const requests = items.filter((i): i is WriteRequest => 'op' in i);
  const prefailed = requests.length < items.length;
  const results = executeWrites(writeContext(deps, res), prefailed && allOrNone ? [] : requests, allOrNone);
  if (prefailed && allOrNone) {
    return items.map((i) => ('op' in i ? { success: false, errors: [ROLLED_BACK] } : i));
  }
  let next = 0;
  return items.map((i) => ('op' in i ? (results[next++] as SaveResult) : i));
}
