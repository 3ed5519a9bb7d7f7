/**
 * `checkFields()`: describes Lead, Contact and Task and reports every way the org's fields
 * fall short of what the mappings need, naming object, field and problem.
 */
import type { Mappings } from '../../src/mappings/load';
import { PermanentError } from '../errors';
import type { SalesforceApi } from './api';
import { fieldRequirements, type CheckedObject, type FieldRequirement } from './field-requirements';

export type FieldProblemKind =
  | 'object_missing'
  | 'missing'
  | 'not_updateable'
  | 'not_createable'
  | 'wrong_type'
  | 'too_short'
  | 'picklist_values_missing'
  | 'not_external_id'
  | 'not_unique'
  | 'unmapped_picklist_values';

export interface FieldProblem {
  object: CheckedObject;
  /** `*` when the whole object is missing. */
  field: string;
  problem: FieldProblemKind;
  severity: 'error' | 'warning';
  message: string;
}

export interface FieldCheckReport {
  /** True when no problem is an error (warnings allowed). */
  ok: boolean;
  problems: FieldProblem[];
  /** Field requirements checked per object. */
  checked: Record<CheckedObject, number>;
}

/** The parts of a describe answer the check reads. */
export interface DescribeField {
  name: string;
  type: string;
  length: number;
  updateable: boolean;
  createable: boolean;
  externalId: boolean;
  unique: boolean;
  restrictedPicklist?: boolean;
  picklistValues?: Array<{ value: string; active: boolean }>;
}

export interface DescribeBody {
  name: string;
  fields: DescribeField[];
}

const OBJECTS: CheckedObject[] = ['Lead', 'Contact', 'Task'];

export async function checkFields(api: SalesforceApi, mappings: Pick<Mappings, 'fields' | 'reasons' | 'definition'>): Promise<FieldCheckReport> {
  const described = new Map<CheckedObject, DescribeBody | undefined>();
  for (const object of OBJECTS) {
    try {
      described.set(object, await api.request<DescribeBody>(`/sobjects/${object}/describe`));
    } catch (error) {
      if (!(error instanceof PermanentError && error.code === 'NOT_FOUND')) throw error;
      described.set(object, undefined);
    }
  }
  return checkDescribed(fieldRequirements(mappings), described);
}

function checkDescribed(requirements: readonly FieldRequirement[], described: ReadonlyMap<CheckedObject, DescribeBody | undefined>): FieldCheckReport {
  const problems: FieldProblem[] = [];
  const checked: Record<CheckedObject, number> = { Lead: 0, Contact: 0, Task: 0 };
  for (const object of OBJECTS) {
    if (described.has(object) && !described.get(object)) {
      problems.push({ object, field: '*', problem: 'object_missing', severity: 'error', message: `${object} is not accessible to the integration user` });
    }
  }
  for (const requirement of requirements) {
    const body = described.get(requirement.object);
    if (!body) continue;
    checked[requirement.object]++;
    const field = body.fields.find((f) => f.name.toLowerCase() === requirement.field.toLowerCase());
    problems.push(...checkField(requirement, field));
  }
  return { ok: !problems.some((p) => p.severity === 'error'), problems, checked };
}

function checkField(r: FieldRequirement, field: DescribeField | undefined): FieldProblem[] {
  const name = `${r.object}.${r.field}`;
  const problem = (kind: FieldProblemKind, message: string, severity: 'error' | 'warning' = 'error'): FieldProblem => ({
    object: r.object,
    field: r.field,
    problem: kind,
    severity,
    message: `${name} (${r.role}): ${message}`,
  });
  if (!field) return [problem('missing', 'the field does not exist or the integration user cannot read it')];
  const out: FieldProblem[] = [];
  if (r.access.includes('update') && !field.updateable) out.push(problem('not_updateable', 'the integration user cannot update it'));
  if (r.access.includes('create') && !field.createable) out.push(problem('not_createable', 'the integration user cannot set it on new records'));
  if (r.types && !r.types.includes(field.type)) out.push(problem('wrong_type', `type is ${field.type}, expected ${r.types.join(' or ')}`));
  if (r.minLength && field.length > 0 && field.length < r.minLength && ['string', 'textarea'].includes(field.type)) {
    out.push(problem('too_short', `holds ${field.length} characters, the service writes up to ${r.minLength}`));
  }
  const values = (field.picklistValues ?? []).filter((v) => v.active).map((v) => v.value);
  if (r.writesValues && field.type === 'picklist' && field.restrictedPicklist) {
    const lacking = r.writesValues.filter((v) => !values.includes(v));
    if (lacking.length > 0) out.push(problem('picklist_values_missing', `restricted picklist lacks ${lacking.map((v) => `"${v}"`).join(', ')}`));
  }
  if (r.mappedValues && field.type === 'picklist') {
    const unmapped = values.filter((v) => !r.mappedValues?.includes(v));
    if (unmapped.length > 0) {
      out.push(problem('unmapped_picklist_values', `values not in mappings/reasons.yaml reach HubSpot with the unmapped prefix: ${unmapped.map((v) => `"${v}"`).join(', ')}`, 'warning'));
    }
  }
  if (r.externalId && !field.externalId) out.push(problem('not_external_id', 'must be marked External ID'));
  if (r.unique && !field.unique) {
    out.push(problem('not_unique', r.unique === 'error' ? 'must be marked Unique (it is what keeps one task per key)' : 'should be marked Unique', r.unique));
  }
  return out;
}
