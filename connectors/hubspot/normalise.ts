/**
 * HubSpot contact records -> domain `Contact`, through mappings/fields.yaml. Tolerant: a
 * property that is missing, null or empty is unknown (null), never an error.
 */
import type { Contact } from '../../src/domain/types';
import type { ActivitiesMapping } from '../../src/mappings/activities';
import type { FieldsMapping } from '../../src/mappings/schema';
import type { HubSpotContactRecord } from '../ports';
import { FEED_HINTS } from './feed-state';

/** Properties the connector itself needs besides what the mappings name. */
const CURSOR_PROPERTIES = ['hs_object_id', 'createdate', 'lastmodifieddate'];

/** Every contact property to read: the domain fields, extras, lifecycle values (to diff), cursors, feed hints, page-view fallback. */
export function contactProperties(fields: FieldsMapping, activities: ActivitiesMapping): string[] {
  const fallback = activities.pages.fallback;
  const names = [
    ...Object.values(fields.hubspot.contact),
    ...fields.hubspot.extraProperties,
    ...Object.values(fields.hubspot.lifecycle.properties),
    ...CURSOR_PROPERTIES,
    ...FEED_HINTS.map(([, property]) => property),
    fallback.lastUrlProperty,
    fallback.lastTimestampProperty,
    fallback.countProperty,
    ...(fallback.firstTimestampProperty ? [fallback.firstTimestampProperty] : []),
  ];
  return [...new Set(names.filter((n): n is string => typeof n === 'string'))];
}

/** `"25-50"` -> 25, `"1000+"` -> 1000, `"1,200"` -> 1200, `"75"` -> 75; anything else -> null. */
export function employeesLowerBound(value: string | null | undefined): number | null {
  if (!value) return null;
  // A band starts with its lower bound; a plain number is its own.
  const match = /^\s*(\d[\d,]*)/.exec(value);
  if (!match) return null;
  const n = Number(match[1]!.replace(/,/g, ''));
  return Number.isFinite(n) ? n : null;
}

export function toContact(record: HubSpotContactRecord, fields: FieldsMapping): Contact {
  const props = record.properties ?? {};
  const map = fields.hubspot.contact;
  const text = (name: string | undefined): string | null => {
    if (!name) return null;
    const value = props[name];
    if (value === null || value === undefined) return null;
    const trimmed = String(value).trim();
    return trimmed.length > 0 ? trimmed : null;
  };
  return {
    id: record.id,
    email: text(map.email),
    firstName: text(map.firstName),
    lastName: text(map.lastName),
    jobTitle: text(map.jobTitle),
    jobFunction: text(map.jobFunction),
    company: text(map.company),
    organizationType: text(map.organizationType),
    employees: employeesLowerBound(text(map.employees)),
    country: text(map.country),
    serviceLine: text(map.serviceLine),
    properties: { ...props },
  };
}

/** The record shape of the port from whatever the client returned (Dates become ISO strings). */
export function toRecord(object: { id: string; properties?: Record<string, string | null>; updatedAt?: Date | string }): HubSpotContactRecord {
  const properties = object.properties ?? {};
  const updated = object.updatedAt instanceof Date ? object.updatedAt.toISOString() : (object.updatedAt ?? properties.lastmodifieddate ?? '');
  return { id: String(object.id), properties, updatedAt: updated };
}
