/** Response shapes shared by the CRM routes: records, batch envelopes, property selection. */
import type { Request } from 'express';
import type { ContactRecord } from './contact-store';

/** What the CRM API returns when no `properties` are asked for. */
export const DEFAULT_CONTACT_PROPERTIES = ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'];
/** Always returned alongside the asked-for properties. */
const ALWAYS = ['hs_object_id', 'createdate', 'lastmodifieddate'];

/** `properties` from repeated query keys or a comma-separated value, as the API accepts both. */
export function queryList(req: Request, name: string): string[] | undefined {
  const raw = (req.query as Record<string, unknown>)[name];
  if (raw === undefined) return undefined;
  const values = Array.isArray(raw) ? raw : [raw];
  return values.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
}

export function queryString(req: Request, name: string): string | undefined {
  const raw = (req.query as Record<string, unknown>)[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value === undefined ? undefined : String(value);
}

/** `limit` clamped to [1, max], `fallback` when absent or not a number. */
export function queryLimit(req: Request, fallback: number, max: number): number {
  const value = Number(queryString(req, 'limit'));
  return Number.isFinite(value) && value >= 1 ? Math.min(Math.floor(value), max) : fallback;
}

export function renderContact(record: ContactRecord, asked: string[] | undefined, known: (name: string) => boolean): Record<string, unknown> {
  const names = asked && asked.length > 0 ? [...new Set([...asked.filter(known), ...ALWAYS])] : DEFAULT_CONTACT_PROPERTIES;
  const properties: Record<string, string | null> = {};
  for (const name of names) properties[name] = record.properties[name] ?? null;
  return {
    id: record.id, properties, createdAt: record.createdAt, updatedAt: record.updatedAt, archived: record.archived,
    ...(record.archived ? { archivedAt: record.updatedAt } : {}),
  };
}

export interface BatchError {
  status: 'error';
  category: string;
  message: string;
  context?: Record<string, string[]>;
  errors?: unknown[];
  subCategory?: string;
}

/** `{status, results, startedAt, completedAt, errors?, numErrors?}` and its HTTP status. */
export function batchEnvelope(results: unknown[], errors: BatchError[], startedAt: string, okStatus = 200): { status: number; body: Record<string, unknown> } {
  const body: Record<string, unknown> = { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() };
  if (errors.length > 0) Object.assign(body, { numErrors: errors.length, errors });
  return { status: errors.length > 0 ? 207 : okStatus, body };
}

export function notFoundError(objectType: string, ids: string[]): BatchError {
  return {
    status: 'error', category: 'OBJECT_NOT_FOUND',
    message: `Could not get some ${objectType} objects, they may be deleted or not exist. Check that ids are valid.`, context: { ids },
  };
}
