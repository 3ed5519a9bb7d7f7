/**
 * Properties and groups (`/crm/v3/properties/contacts`), engagement objects
 * (`/crm/v3/objects/{emails|meetings|calls|notes}`), associations v4 batch read and owners.
 */
import express, { type Request, type Response } from 'express';
import { contactIdOf, OWNERS } from '../dataset';
import { ASSOCIATION_TYPE_IDS, ENGAGEMENT_TYPES, type EngagementRef, type EngagementType } from './engagements';
import { batchTooLarge, errorBody, notFound, sendError, validationError } from './errors';
import type { Portal } from './portal';
import type { PropertyType } from './property-definitions';
import { batchEnvelope, notFoundError, queryList, type BatchError } from './render';

const PROPERTY_TYPES: PropertyType[] = ['string', 'number', 'datetime', 'date', 'enumeration', 'bool'];
const isEngagement = (type: string): type is EngagementType => (ENGAGEMENT_TYPES as readonly string[]).includes(type);

export function propertyRoutes(portal: Portal): express.Router {
  const router = express.Router();
  const { registry } = portal;
  router.get('/crm/v3/properties/contacts', (_req: Request, res: Response) => {
    res.json({ results: registry.list() });
  });
  router.get('/crm/v3/properties/contacts/groups', (_req: Request, res: Response) => {
    res.json({ results: registry.listGroups() });
  });
  router.post('/crm/v3/properties/contacts/groups', (req: Request, res: Response) => {
    const { name, label, displayOrder } = (req.body ?? {}) as { name?: string; label?: string; displayOrder?: number };
    if (!name || !label) return validationError(res, 'name and label are required');
    if (registry.hasGroup(name)) return sendError(res, 409, errorBody(`A property group named '${name}' already exists.`, 'CONFLICT', { subCategory: 'OBJECT_ALREADY_EXISTS' }));
    const group = { name, label, displayOrder: displayOrder ?? -1, archived: false };
    registry.addGroup(group);
    res.status(201).json(group);
  });
  router.get('/crm/v3/properties/contacts/:name', (req: Request, res: Response) => {
    const def = registry.get(String(req.params.name));
    if (!def) return notFound(res);
    res.json(def);
  });
  router.post('/crm/v3/properties/contacts', (req: Request, res: Response) => {
    const input = (req.body ?? {}) as { name?: string; label?: string; type?: PropertyType; fieldType?: string; groupName?: string; description?: string; options?: Array<{ label?: string; value: string }> };
    if (!input.name || !input.type || !input.groupName || !input.label || !input.fieldType) return validationError(res, 'name, label, type, fieldType and groupName are required');
    if (!PROPERTY_TYPES.includes(input.type)) return validationError(res, `Invalid property type ${input.type}`);
    if (!registry.hasGroup(input.groupName)) return validationError(res, `Property group ${input.groupName} does not exist`);
    if (registry.has(input.name)) return sendError(res, 409, errorBody(`Property named '${input.name}' already exists.`, 'CONFLICT', { subCategory: 'OBJECT_ALREADY_EXISTS' }));
    res.status(201).json(registry.create({ ...input, name: input.name, type: input.type, groupName: input.groupName }));
  });
  return router;
}

export function engagementRoutes(portal: Portal): express.Router {
  const router = express.Router();
  const render = (ref: EngagementRef, asked: string[] | undefined): Record<string, unknown> => {
    const all = portal.engagements.properties(ref);
    const names = asked && asked.length > 0 ? [...new Set([...asked, 'hs_object_id', 'hs_createdate', 'hs_lastmodifieddate'])] : ['hs_object_id', 'hs_createdate', 'hs_lastmodifieddate'];
    return {
      id: ref.id, properties: Object.fromEntries(names.filter((n) => n in all).map((n) => [n, all[n] ?? null])),
      createdAt: all.hs_createdate, updatedAt: all.hs_lastmodifieddate, archived: false,
    };
  };
  router.get('/crm/v3/objects/:type/:id', (req: Request, res: Response, next) => {
    const type = String(req.params.type);
    if (!isEngagement(type)) return next();
    const ref = portal.engagements.resolve(type, String(req.params.id));
    if (!ref) return notFound(res);
    res.json(render(ref, queryList(req, 'properties')));
  });
  router.post('/crm/v3/objects/:type/batch/read', (req: Request, res: Response, next) => {
    const type = String(req.params.type);
    if (!isEngagement(type)) return next();
    const startedAt = new Date().toISOString();
    const body = (req.body ?? {}) as { inputs?: Array<{ id?: unknown }>; properties?: string[] };
    const inputs = Array.isArray(body.inputs) ? body.inputs : [];
    if (inputs.length > 100) return batchTooLarge(res, 100, inputs.length);
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const ref = portal.engagements.resolve(type, String(input.id ?? ''));
      if (ref) results.push(render(ref, body.properties));
      else missing.push(String(input.id ?? ''));
    }
    const { status, body: out } = batchEnvelope(results, missing.length > 0 ? [notFoundError(type.slice(0, -1).toUpperCase(), missing)] : [], startedAt);
    res.status(status).json(out);
  });
  router.post('/crm/v4/associations/:from/:to/batch/read', (req: Request, res: Response) => {
    const from = String(req.params.from);
    const to = String(req.params.to);
    const startedAt = new Date().toISOString();
    const inputs = Array.isArray((req.body as { inputs?: unknown })?.inputs) ? ((req.body as { inputs: Array<{ id?: unknown }> }).inputs) : [];
    if (inputs.length > 1000) return batchTooLarge(res, 1000, inputs.length);
    const contactSide = from === 'contacts' || from === 'contact';
    const other = contactSide ? to : from;
    if (!isEngagement(other) || (!contactSide && to !== 'contacts' && to !== 'contact')) {
      return validationError(res, `Unsupported association ${from} -> ${to} in the sandbox`);
    }
    const results: unknown[] = [];
    const errors: BatchError[] = [];
    for (const input of inputs) {
      const id = String(input.id ?? '');
      let targets: string[];
      if (contactSide) {
        const record = portal.store.byId(id);
        targets = record ? portal.engagements.idsFor(record.index, other) : [];
      } else {
        const ref = portal.engagements.resolve(other, id);
        targets = ref ? [contactIdOf(ref.contact)] : [];
      }
      const typeId = contactSide ? ASSOCIATION_TYPE_IDS[other].fromContact : ASSOCIATION_TYPE_IDS[other].toContact;
      if (targets.length === 0) {
        errors.push({ status: 'error', category: 'OBJECT_NOT_FOUND', subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND', message: `No ${to} is associated with ${from} ${id}.`, context: { fromObjectId: [id] } });
        continue;
      }
      // The real API sends toObjectId as a number.
      results.push({ from: { id }, to: targets.map((t) => ({ toObjectId: Number(t), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId, label: null }] })) });
    }
    const { status, body } = batchEnvelope(results, errors, startedAt);
    res.status(status).json(body);
  });
  router.get('/crm/v3/owners', (_req: Request, res: Response) => {
    const stamp = '2024-03-04T10:00:00.000Z';
    res.json({ results: OWNERS.map((o) => ({ id: o.id, email: o.email, type: 'PERSON', firstName: o.firstName, lastName: o.lastName, userId: o.userId, userIdIncludingInactive: o.userId, createdAt: stamp, updatedAt: stamp, archived: false })) });
  });
  return router;
}
