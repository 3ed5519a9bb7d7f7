/** `/crm/v3/objects/contacts`: list, read, update, create, batch read/update/create, search. */
import express, { type Request, type Response } from 'express';
import { contactIdOf, indexOfContactId } from '../dataset';
import type { ContactRecord } from './contact-store';
import { batchTooLarge, errorBody, notFound, sendError, validationError } from './errors';
import type { Portal } from './portal';
import type { PropertyValueError } from './property-registry';
import { batchEnvelope, notFoundError, queryLimit, queryList, queryString, renderContact, type BatchError } from './render';
import { SearchError, validateSearch, type SearchRequest } from './search';

const BATCH_MAX = 100;
const SEARCH_PAGE_MAX = 200;

/** HubSpot's VALIDATION_ERROR for invalid property values: the details are JSON in the message. */
function propertyErrorBody(errors: PropertyValueError[]): { message: string; errors: Array<{ message: string; code: string; context: Record<string, string[]> }> } {
  return {
    message: `Property values were not valid: ${JSON.stringify(errors)}`,
    errors: errors.map((e) => ({ message: e.message, code: e.error, context: { propertyName: [e.name] } })),
  };
}

function inputsOf(req: Request): Array<Record<string, unknown>> {
  const inputs = (req.body as { inputs?: unknown })?.inputs;
  return Array.isArray(inputs) ? (inputs as Array<Record<string, unknown>>) : [];
}

export function contactRoutes(portal: Portal): express.Router {
  const router = express.Router();
  const { store, registry } = portal;
  const known = (name: string): boolean => registry.has(name);
  const find = (key: string, idProperty: string | undefined): ContactRecord | undefined =>
    idProperty === 'email' ? store.byEmail(key) : store.byId(key);

  router.get('/crm/v3/objects/contacts', (req: Request, res: Response) => {
    const limit = queryLimit(req, 10, 100);
    const archived = queryString(req, 'archived') === 'true';
    const after = queryString(req, 'after');
    const asked = queryList(req, 'properties');
    let index = after ? Math.max(0, indexOfContactId(after)) : 0;
    const results: unknown[] = [];
    let next: number | undefined;
    for (; index < store.size; index++) {
      const record = store.record(index);
      if (!record || record.archived !== archived) continue;
      if (results.length === limit) {
        next = index;
        break;
      }
      results.push(renderContact(record, asked, known));
    }
    const base = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.path}`;
    res.json({ results, ...(next !== undefined ? { paging: { next: { after: contactIdOf(next), link: `${base}?after=${contactIdOf(next)}` } } } : {}) });
  });

  router.post('/crm/v3/objects/contacts/search', (req: Request, res: Response) => {
    const body = (req.body ?? {}) as SearchRequest;
    const limit = Math.min(Number(body.limit ?? 10) || 10, SEARCH_PAGE_MAX);
    const after = Number(body.after ?? 0) || 0;
    const { maxResults } = portal.search.limits;
    if (Number(body.limit) > SEARCH_PAGE_MAX) return validationError(res, `limit must be at most ${SEARCH_PAGE_MAX}`);
    if (after >= maxResults) {
      return validationError(res, `Search results are limited to ${maxResults.toLocaleString('en-US')} per query; after=${after} is beyond that. Narrow the filters to page further.`, { subCategory: 'crm.search.PAGE_LIMIT_EXCEEDED' });
    }
    try {
      validateSearch(body, registry, portal.search.limits);
    } catch (error) {
      if (error instanceof SearchError) return validationError(res, error.message, error.subCategory ? { subCategory: error.subCategory } : {});
      throw error;
    }
    const now = Date.now();
    const matching = portal.search.matchingIndexes(body, now);
    const end = Math.min(after + limit, matching.length, maxResults);
    const results: unknown[] = [];
    for (let i = after; i < end; i++) {
      const index = matching[i]!;
      const view = store.searchView(index, now);
      const record = store.record(index);
      if (view && record) results.push(renderContact({ ...record, properties: view, updatedAt: view.lastmodifieddate ?? record.updatedAt }, body.properties, known));
    }
    res.json({ total: matching.length, results, ...(end < matching.length ? { paging: { next: { after: String(end), link: '' } } } : {}) });
  });

  router.get('/crm/v3/objects/contacts/:contactId', (req: Request, res: Response) => {
    const record = find(String(req.params.contactId), queryString(req, 'idProperty'));
    if (!record) return notFound(res);
    res.json(renderContact(record, queryList(req, 'properties'), known));
  });

  router.patch('/crm/v3/objects/contacts/:contactId', (req: Request, res: Response) => {
    const record = find(String(req.params.contactId), queryString(req, 'idProperty'));
    if (!record) return notFound(res);
    const values = ((req.body ?? {}) as { properties?: Record<string, unknown> }).properties ?? {};
    const invalid = registry.validate(values);
    if (invalid.length > 0) return validationError(res, propertyErrorBody(invalid).message, { errors: propertyErrorBody(invalid).errors });
    portal.writeContact(record.index, values, 'API');
    res.json(renderContact(store.record(record.index)!, Object.keys(values), known));
  });

  router.post('/crm/v3/objects/contacts', (req: Request, res: Response) => {
    const values = ((req.body ?? {}) as { properties?: Record<string, unknown> }).properties ?? {};
    const invalid = registry.validate(values);
    if (invalid.length > 0) return validationError(res, propertyErrorBody(invalid).message, { errors: propertyErrorBody(invalid).errors });
    const existing = typeof values.email === 'string' ? store.byEmail(values.email) : undefined;
    if (existing) return sendError(res, 409, errorBody(`Contact already exists. Existing ID: ${existing.id}`, 'CONFLICT', { subCategory: 'OBJECT_ALREADY_EXISTS' }));
    const index = portal.createContact(values, 'API');
    res.status(201).json(renderContact(store.record(index)!, Object.keys(values), known));
  });

  router.post('/crm/v3/objects/contacts/batch/read', (req: Request, res: Response) => {
    const startedAt = new Date().toISOString();
    const inputs = inputsOf(req);
    const body = (req.body ?? {}) as { properties?: string[]; idProperty?: string };
    if (inputs.length > BATCH_MAX) return batchTooLarge(res, BATCH_MAX, inputs.length);
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const record = find(String(input.id ?? ''), body.idProperty);
      if (record) results.push(renderContact(record, body.properties, known));
      else missing.push(String(input.id ?? ''));
    }
    const { status, body: out } = batchEnvelope(results, missing.length > 0 ? [notFoundError('CONTACT', missing)] : [], startedAt);
    res.status(status).json(out);
  });

  router.post('/crm/v3/objects/contacts/batch/update', (req: Request, res: Response) => {
    const startedAt = new Date().toISOString();
    const inputs = inputsOf(req);
    if (inputs.length > BATCH_MAX) return batchTooLarge(res, BATCH_MAX, inputs.length);
    const results: unknown[] = [];
    const errors: BatchError[] = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const id = String(input.id ?? '');
      const record = find(id, typeof input.idProperty === 'string' ? input.idProperty : undefined);
      if (!record) {
        missing.push(id);
        continue;
      }
      const values = (input.properties ?? {}) as Record<string, unknown>;
      const invalid = registry.validate(values);
      if (invalid.length > 0) {
        const detail = propertyErrorBody(invalid);
        errors.push({ status: 'error', category: 'VALIDATION_ERROR', message: detail.message, context: { ids: [id] }, errors: detail.errors });
        continue;
      }
      portal.writeContact(record.index, values, 'API');
      results.push(renderContact(store.record(record.index)!, Object.keys(values), known));
    }
    if (missing.length > 0) errors.push(notFoundError('CONTACT', missing));
    const { status, body } = batchEnvelope(results, errors, startedAt);
    res.status(status).json(body);
  });

  router.post('/crm/v3/objects/contacts/batch/create', (req: Request, res: Response) => {
    const startedAt = new Date().toISOString();
    const inputs = inputsOf(req);
    if (inputs.length > BATCH_MAX) return batchTooLarge(res, BATCH_MAX, inputs.length);
    const results: unknown[] = [];
    const errors: BatchError[] = [];
    for (const input of inputs) {
      const values = (input.properties ?? {}) as Record<string, unknown>;
      const invalid = registry.validate(values);
      const existing = typeof values.email === 'string' ? store.byEmail(values.email) : undefined;
      if (invalid.length > 0) errors.push({ status: 'error', category: 'VALIDATION_ERROR', ...propertyErrorBody(invalid) });
      else if (existing) errors.push({ status: 'error', category: 'CONFLICT', subCategory: 'OBJECT_ALREADY_EXISTS', message: `Contact already exists. Existing ID: ${existing.id}` });
      else results.push(renderContact(store.record(portal.createContact(values, 'API'))!, Object.keys(values), known));
    }
    const { status, body } = batchEnvelope(results, errors, startedAt, 201);
    res.status(status).json(body);
  });

  return router;
}
