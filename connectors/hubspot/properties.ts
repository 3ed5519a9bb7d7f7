/**
 * Property set-up for `lifecycle-sync doctor` and `setup --apply`: which properties the
 * mappings name are missing or of the wrong type, and creating the lifecycle group and
 * properties the service writes. The `ls_*` inputs belong to the admins: reported, never
 * created or changed.
 */
import type { PropertyCreateFieldTypeEnum, PropertyCreateTypeEnum } from '@hubspot/api-client/lib/codegen/crm/properties';
import { LIFECYCLE_STAGES, SALES_OUTCOMES } from '../../src/domain/types';
import type { LIFECYCLE_KEYS } from '../../src/mappings/schema';
import type { ConnectorContext } from './context';

type LifecycleKey = (typeof LIFECYCLE_KEYS)[number];
type Kind = 'enumeration' | 'number' | 'datetime' | 'string';

export interface ExpectedProperty {
  name: string;
  label: string;
  type: Kind;
  /** Also accepted when the portal has another type (e.g. an input kept as free text). */
  alsoAccepted?: Kind[];
  fieldType: 'select' | 'number' | 'date' | 'text' | 'textarea';
  options?: string[];
  role: 'lifecycle' | 'input';
}

export interface PropertyCheck {
  name: string;
  role: 'lifecycle' | 'input';
  status: 'ok' | 'missing' | 'wrong_type' | 'missing_options';
  expected: string;
  actual?: string;
  /** Options the service writes that the property does not offer. */
  missingOptions?: string[];
}

export interface PropertyReport {
  ok: boolean;
  group: { name: string; exists: boolean };
  properties: PropertyCheck[];
}

export interface SetupResult {
  groupCreated: boolean;
  created: string[];
  /** Properties that exist with another type or lack options: left for an admin to fix. */
  needsAttention: PropertyCheck[];
}

const LIFECYCLE: Record<LifecycleKey, Omit<ExpectedProperty, 'name' | 'role' | 'options'> & { options?: (ctx: ConnectorContext) => string[] }> = {
  stage: { label: 'Lifecycle stage (sync)', type: 'enumeration', fieldType: 'select', options: () => [...LIFECYCLE_STAGES] },
  stageDate: { label: 'Lifecycle stage date (sync)', type: 'datetime', fieldType: 'date' },
  score: { label: 'MQL score', type: 'number', fieldType: 'number' },
  fitScore: { label: 'MQL fit score', type: 'number', fieldType: 'number' },
  engagementScore: { label: 'MQL engagement score', type: 'number', fieldType: 'number' },
  tier: { label: 'MQL tier', type: 'enumeration', fieldType: 'select', options: (ctx) => ctx.mappings.definition.tiers.map((t) => t.name) },
  reasons: { label: 'MQL reasons', type: 'string', fieldType: 'textarea' },
  definitionVersion: { label: 'MQL definition version', type: 'string', fieldType: 'text' },
  serviceLine: { label: 'MQL service line', type: 'enumeration', fieldType: 'select', options: (ctx) => [...ctx.mappings.definition.lines.keys()] },
  mqlDate: { label: 'MQL date', type: 'datetime', fieldType: 'date' },
  salesOutcome: { label: 'Sales outcome', type: 'enumeration', fieldType: 'select', options: () => [...SALES_OUTCOMES, 'converted'] },
  salesOutcomeDate: { label: 'Sales outcome date', type: 'datetime', fieldType: 'date' },
  sqlDate: { label: 'SQL date', type: 'datetime', fieldType: 'date' },
  outcomeReason: { label: 'Disqualification / recycle reason', type: 'string', fieldType: 'text' },
  salesforceId: { label: 'Salesforce record id', type: 'string', fieldType: 'text' },
};

/** Every property the mappings name that the service writes or reads as an `ls_*` input. */
export function expectedProperties(ctx: ConnectorContext): ExpectedProperty[] {
  const fields = ctx.mappings.fields.hubspot;
  const lifecycle = (Object.entries(fields.lifecycle.properties) as Array<[LifecycleKey, string]>).map(([key, name]) => {
    const spec = LIFECYCLE[key];
    return { name, label: spec.label, type: spec.type, fieldType: spec.fieldType, role: 'lifecycle' as const, ...(spec.options ? { options: spec.options(ctx) } : {}) };
  });
  const inputs = [...new Set([...Object.values(fields.contact), ...fields.extraProperties].filter((n): n is string => typeof n === 'string' && n.startsWith('ls_')))];
  return [
    ...lifecycle,
    ...inputs.map((name) => ({ name, label: name, type: 'enumeration' as const, alsoAccepted: ['string' as const], fieldType: 'select' as const, role: 'input' as const })),
  ];
}

export async function checkProperties(ctx: ConnectorContext): Promise<PropertyReport> {
  const [properties, groups] = await Promise.all([
    ctx.requester.call('GET /crm/v3/properties/contacts', () => ctx.apis.properties.getAll('contacts', false)),
    ctx.requester.call('GET /crm/v3/properties/contacts/groups', () => ctx.apis.propertyGroups.getAll('contacts')),
  ]);
  const byName = new Map(properties.results.map((p) => [p.name, p]));
  const checks = expectedProperties(ctx).map((expected): PropertyCheck => {
    const base = { name: expected.name, role: expected.role, expected: expected.type };
    const actual = byName.get(expected.name);
    if (!actual) return { ...base, status: 'missing' };
    if (actual.type !== expected.type && !expected.alsoAccepted?.includes(actual.type as Kind)) return { ...base, status: 'wrong_type', actual: actual.type };
    const offered = new Set((actual.options ?? []).map((o) => o.value));
    const missingOptions = actual.type === 'enumeration' ? (expected.options ?? []).filter((o) => !offered.has(o)) : [];
    if (missingOptions.length > 0) return { ...base, status: 'missing_options', actual: actual.type, missingOptions };
    return { ...base, status: 'ok', actual: actual.type };
  });
  const groupName = ctx.mappings.fields.hubspot.lifecycle.group;
  return {
    ok: checks.every((c) => c.status === 'ok'),
    group: { name: groupName, exists: groups.results.some((g) => g.name === groupName) },
    properties: checks,
  };
}

/** Creates the lifecycle group and the missing lifecycle properties (never changes existing ones). */
export async function createMissingProperties(ctx: ConnectorContext): Promise<SetupResult> {
  const report = await checkProperties(ctx);
  const { group: groupName, groupLabel } = ctx.mappings.fields.hubspot.lifecycle;
  let groupCreated = false;
  if (!report.group.exists) {
    await ctx.requester.call('POST /crm/v3/properties/contacts/groups', () => ctx.apis.propertyGroups.create('contacts', { name: groupName, label: groupLabel, displayOrder: -1 }));
    groupCreated = true;
  }
  const expected = new Map(expectedProperties(ctx).map((p) => [p.name, p]));
  const created: string[] = [];
  for (const check of report.properties) {
    const spec = expected.get(check.name);
    if (check.status !== 'missing' || check.role !== 'lifecycle' || !spec) continue;
    await ctx.requester.call('POST /crm/v3/properties/contacts', () =>
      ctx.apis.properties.create('contacts', {
        name: spec.name,
        label: spec.label,
        groupName,
        type: spec.type as PropertyCreateTypeEnum,
        fieldType: spec.fieldType as PropertyCreateFieldTypeEnum,
        description: 'Written by lifecycle-sync',
        ...(spec.options ? { options: spec.options.map((value, i) => ({ label: value, value, displayOrder: i, hidden: false })) } : {}),
      }),
    );
    created.push(spec.name);
  }
  return { groupCreated, created, needsAttention: report.properties.filter((c) => c.status !== 'ok' && !(c.status === 'missing' && c.role === 'lifecycle')) };
}
