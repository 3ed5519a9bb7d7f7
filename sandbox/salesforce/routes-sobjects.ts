/**
 * Single-record sObject REST: create, read, update, delete, upsert and read by external id,
 * describe, plus `/limits` and the version's resource list.
 */
import express, { type Request, type Response, type Router } from 'express';
import { limitsBody, type ApiUsage } from './api-usage';
import { objectFromPath, restContext, writeContext, type SimulatorDeps } from './context';
import { describeGlobal, describeObject } from './describe';
import { notFound, SalesforceApiError } from './errors';
import { normaliseId } from './ids';
import { executeWrites, type SaveResult, type WriteRequest } from './operations';
import type { FieldDef, ObjectDef, SfRecord } from './schema';
import { recordJson, recordUrl } from './serialize';
import { parseBody } from './validate';

export function sobjectRouter(deps: SimulatorDeps, usage: ApiUsage): Router {
  const router = express.Router();

  router.get('/', (_req: Request, res: Response) => {
    const base = `/services/data/v${restContext(res).version}`;
    res.json({ sobjects: `${base}/sobjects`, query: `${base}/query`, queryAll: `${base}/queryAll`, limits: `${base}/limits`, composite: `${base}/composite` });
  });

  router.get('/limits', (_req: Request, res: Response) => {
    res.json(limitsBody(usage));
  });

  router.get('/sobjects', (_req: Request, res: Response) => {
    res.json(describeGlobal(restContext(res).version));
  });

  router.get('/sobjects/:type/describe', (req: Request, res: Response) => {
    res.json(describeObject(objectFromPath(req.params.type as string), restContext(res).version));
  });

  router.post('/sobjects/:type', (req: Request, res: Response) => {
    const def = writable(req.params.type as string, 'inserted');
    const result = single(deps, res, { op: 'create', def, values: parseBody(def, req.body) });
    res.status(201).json({ id: result.id, success: true, errors: [] });
  });

  router.get('/sobjects/:type/:id', (req: Request, res: Response) => {
    const def = objectFromPath(req.params.type as string);
    const record = live(deps, def, req.params.id as string);
    res.json(recordJson(def, record, selectedFields(def, req.query.fields), restContext(res).version));
  });

  router.patch('/sobjects/:type/:id', (req: Request, res: Response) => {
    const def = writable(req.params.type as string, 'updated');
    const record = live(deps, def, req.params.id as string);
    single(deps, res, { op: 'update', def, id: String(record.Id), values: parseBody(def, req.body, ['id']) });
    res.status(204).end();
  });

  router.delete('/sobjects/:type/:id', (req: Request, res: Response) => {
    const def = writable(req.params.type as string, 'deleted');
    const record = live(deps, def, req.params.id as string);
    single(deps, res, { op: 'delete', id: String(record.Id) });
    res.status(204).end();
  });

  router.get('/sobjects/:type/:field/:value', (req: Request, res: Response) => {
    const def = objectFromPath(req.params.type as string);
    const field = externalIdField(def, req.params.field as string);
    const matches = byExternalId(deps, def, field, req.params.value as string);
    const version = restContext(res).version;
    if (matches.length > 1) {
      res.status(300).json(matches.map((r) => recordUrl(version, def.name, String(r.Id))));
      return;
    }
    if (!matches[0]) throw notFound();
    res.json(recordJson(def, matches[0], selectedFields(def, req.query.fields), version));
  });

  router.patch('/sobjects/:type/:field/:value', (req: Request, res: Response) => {
    const def = writable(req.params.type as string, 'upserted');
    const field = externalIdField(def, req.params.field as string);
    const value = req.params.value as string;
    const { version, major } = restContext(res);
    const matches = byExternalId(deps, def, field, value);
    if (matches.length > 1) {
      res.status(300).json(matches.map((r) => recordUrl(version, def.name, String(r.Id))));
      return;
    }
    const values = parseBody(def, req.body, [field.name.toLowerCase()]);
    const request: WriteRequest =
      field.name === 'Id'
        ? { op: 'update', def, id: String(live(deps, def, value).Id), values }
        : { op: 'upsert', def, field, values: { ...values, [field.name]: value } };
    const result = single(deps, res, request);
    const created = result.created === true;
    if (created) res.status(201).json({ id: result.id, success: true, errors: [], created: true });
    else if (major >= 46) res.status(200).json({ id: result.id, success: true, errors: [], created: false });
    else res.status(204).end();
  });

  return router;
}

/** Runs one write; a record-level failure becomes the 400 answer of a single-record call. */
function single(deps: SimulatorDeps, res: Response, request: WriteRequest): SaveResult {
  const [result] = executeWrites(writeContext(deps, res), [request], false);
  if (!result) throw new Error('executeWrites returned no result');
  const [error] = result.errors;
  if (!result.success && error) throw SalesforceApiError.fromRecordError(error);
  return result;
}

function writable(type: string, verb: string): ObjectDef {
  const def = objectFromPath(type);
  if (!def.createable) throw new SalesforceApiError(400, 'INVALID_TYPE_FOR_OPERATION', `entity type cannot be ${verb}: ${def.name}`);
  return def;
}

/** The live record of type `def` with this id, or Salesforce's 404 answers. */
function live(deps: SimulatorDeps, def: ObjectDef, rawId: string): SfRecord {
  const id = normaliseId(rawId);
  const record = id && id.startsWith(def.keyPrefix) ? deps.store.get(id) : undefined;
  if (!record) throw notFound();
  if (record.IsDeleted === true) throw new SalesforceApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
  return record;
}

function externalIdField(def: ObjectDef, name: string): FieldDef {
  const field = def.byLower.get(name.toLowerCase());
  if (!field || (!field.externalId && field.name !== 'Id')) {
    throw new SalesforceApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${name}`);
  }
  return field;
}

function byExternalId(deps: SimulatorDeps, def: ObjectDef, field: FieldDef, value: string): SfRecord[] {
  if (field.name === 'Id') {
    const record = deps.store.get(value);
    return record && record.IsDeleted !== true && String(record.Id).startsWith(def.keyPrefix) ? [record] : [];
  }
  return deps.store.lookup(def.name, field.name, value).filter((r) => r.IsDeleted !== true);
}

/** `?fields=a,b` resolved to definitions (400 INVALID_FIELD for unknown), else every field. */
export function selectedFields(def: ObjectDef, param: unknown): FieldDef[] {
  if (typeof param !== 'string' || param === '') return def.fields;
  return param.split(',').map((name) => {
    const field = def.byLower.get(name.trim().toLowerCase());
    if (!field) throw new SalesforceApiError(400, 'INVALID_FIELD', `No such column '${name.trim()}' on entity '${def.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
    return field;
  });
}
