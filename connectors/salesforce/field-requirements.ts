/**
 * What the service needs of each Salesforce field it touches, derived from the mappings
 * and the definition: existence, access, type, length, picklist values, external id.
 */
import type { Mappings } from '../../src/mappings/load';

export type CheckedObject = 'Lead' | 'Contact' | 'Task';

export interface FieldRequirement {
  object: CheckedObject;
  field: string;
  /** Why the service touches it, for messages ("push: tier"). */
  role: string;
  access: Array<'read' | 'update' | 'create'>;
  /** Acceptable describe `type`s; any when absent. */
  types?: string[];
  minLength?: number;
  /** Values a restricted picklist must allow (the service writes them). */
  writesValues?: string[];
  /** Values the mappings know; Salesforce values outside them are reported as a warning. */
  mappedValues?: string[];
  externalId?: boolean;
  unique?: 'error' | 'warning';
}

const TEXT = ['string', 'textarea'];
const NUMBER = ['double', 'int', 'percent', 'currency'];
const PICKLIST = ['picklist'];
/** HubSpot ids are at most 20 digits. */
const HUBSPOT_ID_LENGTH = 20;
/** `lsync:<hubspot id>:<epoch ms>`. */
const TASK_KEY_LENGTH = 40;
/** `lsync_reasons`: one reason per line, up to 4,000 characters. */
const REASONS_LENGTH = 4000;
/** Definition versions are at most 40 characters (definition schema). */
const VERSION_LENGTH = 40;
/** Standard Task fields a follow-up task is made of. */
const TASK_FIELDS = ['WhoId', 'Subject', 'Description', 'ActivityDate', 'OwnerId', 'Status', 'Priority'];

export function fieldRequirements(mappings: Pick<Mappings, 'fields' | 'reasons' | 'definition'>): FieldRequirement[] {
  const sf = mappings.fields.salesforce;
  const { definition, reasons } = mappings;
  const tiers = definition.tiers.map((t) => t.name);
  const serviceLines = [...new Set([definition.defaultLine, ...definition.lines.keys()])];
  const out: FieldRequirement[] = [];
  for (const object of ['Lead', 'Contact'] as const) {
    out.push({ object, field: sf.externalIdField, role: 'HubSpot contact id (external id)', access: ['read', 'update', 'create'], types: ['string'], minLength: HUBSPOT_ID_LENGTH, externalId: true, unique: 'warning' });
    const push = sf.push;
    out.push(
      { object, field: push.mql, role: 'push: mql', access: ['read', 'update'], types: ['boolean'] },
      { object, field: push.score, role: 'push: score', access: ['read', 'update'], types: NUMBER },
      { object, field: push.fitScore, role: 'push: fitScore', access: ['read', 'update'], types: NUMBER },
      { object, field: push.engagementScore, role: 'push: engagementScore', access: ['read', 'update'], types: NUMBER },
      { object, field: push.tier, role: 'push: tier', access: ['read', 'update'], types: [...PICKLIST, 'string'], writesValues: tiers },
      { object, field: push.reasons, role: 'push: reasons', access: ['read', 'update'], types: TEXT, minLength: REASONS_LENGTH },
      { object, field: push.definitionVersion, role: 'push: definitionVersion', access: ['read', 'update'], types: TEXT, minLength: VERSION_LENGTH },
      { object, field: push.mqlDate, role: 'push: mqlDate', access: ['read', 'update'], types: ['datetime'] },
      { object, field: push.serviceLine, role: 'push: serviceLine', access: ['read', 'update'], types: [...PICKLIST, 'string'], writesValues: serviceLines },
    );
    const pull = sf.pull[object];
    out.push(
      { object, field: pull.status, role: 'pull: status', access: ['read'], types: PICKLIST },
      { object, field: pull.disqualificationReason, role: 'pull: disqualificationReason', access: ['read'], types: [...PICKLIST, ...TEXT], mappedValues: Object.keys(reasons.disqualificationReasons) },
      { object, field: pull.recycleReason, role: 'pull: recycleReason', access: ['read'], types: [...PICKLIST, ...TEXT], mappedValues: Object.keys(reasons.recycleReasons) },
      { object, field: pull.sqlDate, role: 'pull: sqlDate', access: ['read'], types: ['date', 'datetime'] },
    );
  }
  if (sf.createLeads.when !== 'never') {
    for (const [field, source] of Object.entries(sf.createLeads.fields)) {
      const constant = 'value' in source && typeof source.value === 'string' ? [source.value] : undefined;
      out.push({ object: 'Lead', field, role: 'createLeads', access: ['create'], ...(constant ? { writesValues: constant } : {}) });
    }
  }
  out.push({ object: 'Task', field: sf.taskKeyField, role: 'follow-up task key', access: ['read', 'create'], types: ['string'], minLength: TASK_KEY_LENGTH, externalId: true, unique: 'error' });
  const priorities = [...new Set(definition.tiers.map((t) => t.priority))];
  for (const field of TASK_FIELDS) {
    out.push({ object: 'Task', field, role: 'follow-up task', access: ['create'], ...(field === 'Priority' ? { writesValues: priorities } : {}) });
  }
  return mergeDuplicates(out);
}

/** A field named twice (e.g. a createLeads field also pushed) is checked once with both needs. */
function mergeDuplicates(requirements: FieldRequirement[]): FieldRequirement[] {
  const byKey = new Map<string, FieldRequirement>();
  for (const r of requirements) {
    const key = `${r.object}.${r.field.toLowerCase()}`;
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, { ...r });
      continue;
    }
    seen.role = `${seen.role}; ${r.role}`;
    seen.access = [...new Set([...seen.access, ...r.access])];
    seen.types = seen.types && r.types ? seen.types.filter((t) => r.types?.includes(t)) : (seen.types ?? r.types);
    seen.minLength = Math.max(seen.minLength ?? 0, r.minLength ?? 0) || undefined;
    if (r.writesValues) seen.writesValues = [...new Set([...(seen.writesValues ?? []), ...r.writesValues])];
    seen.externalId ||= r.externalId;
    seen.unique ??= r.unique;
  }
  return [...byKey.values()];
}
