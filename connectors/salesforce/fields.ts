/** Which Salesforce fields the connector reads, from mappings/fields.yaml. */
import type { FieldsMapping } from '../../src/mappings/schema';
import type { SalesforceObject } from '../ports';

/** System fields the planner and the echo check need on every matched record. */
const AUDIT_FIELDS = ['OwnerId', 'CreatedDate', 'LastModifiedById', 'SystemModstamp'];
const LEAD_CONVERSION_FIELDS = ['IsConverted', 'ConvertedContactId'];

export type SalesforceMapping = FieldsMapping['salesforce'];

/** Id, Email, the external id, the push and pull fields, conversion and audit fields. */
export function recordFields(mapping: SalesforceMapping, sobject: SalesforceObject): string[] {
  return unique([
    'Id',
    'Email',
    mapping.externalIdField,
    ...(sobject === 'Lead' ? LEAD_CONVERSION_FIELDS : []),
    ...AUDIT_FIELDS,
    ...Object.values(mapping.push),
    ...Object.values(mapping.pull[sobject]),
  ]);
}

/** Fields an outcome read needs: the external id, the pull fields, conversion and audit fields. */
export function outcomeFields(mapping: SalesforceMapping, sobject: SalesforceObject): string[] {
  return unique([
    'Id',
    mapping.externalIdField,
    ...Object.values(mapping.pull[sobject]),
    ...(sobject === 'Lead' ? LEAD_CONVERSION_FIELDS : []),
    ...AUDIT_FIELDS,
  ]);
}

function unique(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => {
    const lower = name.toLowerCase();
    if (seen.has(lower)) return false;
    seen.add(lower);
    return true;
  });
}
