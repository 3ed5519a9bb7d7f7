/**
 * Field and object metadata of the simulated org: what validation, SOQL binding, describe
 * and serialisation all read.
 */

/** A stored field value. dateTime fields hold epoch ms; date fields hold `YYYY-MM-DD`. */
export type FieldValue = string | number | boolean | null;
/** One stored record, keyed by canonical field names; every schema field is present. */
export type SfRecord = Record<string, FieldValue>;

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'picklist'
  | 'combobox'
  | 'boolean'
  | 'double'
  | 'date'
  | 'datetime'
  | 'reference';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  /** Maximum characters for text types, 0 otherwise. */
  length: number;
  /** Digits in total and after the point, for double. */
  precision: number;
  scale: number;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  /** Applied on create when the field is not given. */
  defaultValue?: FieldValue;
  /** Filled by the org on create when not given (OwnerId = running user). */
  defaultedOnCreate: boolean;
  externalId: boolean;
  unique: boolean;
  picklistValues?: readonly string[];
  restrictedPicklist: boolean;
  referenceTo: string[];
  custom: boolean;
  /** The simulator keeps a value -> ids index (equality and IN lookups, uniqueness). */
  indexed: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  keyPrefix: string;
  createable: boolean;
  fields: FieldDef[];
  /** Lower-case field name -> definition (Salesforce names are case-insensitive). */
  byLower: Map<string, FieldDef>;
  /** Recomputes read-only fields derived from others (Name, IsClosed...). */
  derive?(record: SfRecord): void;
}

/** True when a create must supply the field (no default, not nillable, createable). */
export function isRequired(field: FieldDef): boolean {
  return field.createable && !field.nillable && field.defaultValue === undefined && !field.defaultedOnCreate && field.type !== 'boolean';
}

export function isText(field: FieldDef): boolean {
  return ['id', 'string', 'textarea', 'email', 'phone', 'picklist', 'combobox', 'reference'].includes(field.type);
}

type FieldOptions = Partial<Omit<FieldDef, 'name' | 'label' | 'type'>>;

/** A field with Salesforce's defaults for a writable, nillable, non-unique standard field. */
export function field(name: string, label: string, type: FieldType, options: FieldOptions = {}): FieldDef {
  return {
    name,
    label,
    type,
    length: 0,
    precision: 0,
    scale: 0,
    createable: true,
    updateable: true,
    nillable: true,
    defaultedOnCreate: false,
    externalId: false,
    unique: false,
    restrictedPicklist: false,
    referenceTo: [],
    custom: name.endsWith('__c'),
    indexed: false,
    ...options,
  };
}

export const text = (name: string, label: string, length: number, options: FieldOptions = {}): FieldDef =>
  field(name, label, 'string', { length, ...options });

export const picklist = (
  name: string,
  label: string,
  values: readonly string[],
  options: FieldOptions = {},
): FieldDef => field(name, label, 'picklist', { length: 255, picklistValues: values, ...options });

export const readOnly = (def: FieldDef): FieldDef => ({ ...def, createable: false, updateable: false });

/** Id, IsDeleted and the audit fields every object has. */
export function systemFields(): FieldDef[] {
  const audit = (name: string, label: string, type: FieldType, referenceTo: string[] = []): FieldDef =>
    readOnly(field(name, label, type, { nillable: false, referenceTo, length: type === 'reference' ? 18 : 0 }));
  return [
    audit('Id', 'Record ID', 'id'),
    audit('IsDeleted', 'Deleted', 'boolean'),
    audit('CreatedDate', 'Created Date', 'datetime'),
    audit('CreatedById', 'Created By ID', 'reference', ['User']),
    audit('LastModifiedDate', 'Last Modified Date', 'datetime'),
    audit('LastModifiedById', 'Last Modified By ID', 'reference', ['User']),
    audit('SystemModstamp', 'System Modstamp', 'datetime'),
  ];
}

export function defineObject(
  name: string,
  label: string,
  keyPrefix: string,
  fields: FieldDef[],
  extra: { createable?: boolean; derive?(record: SfRecord): void } = {},
): ObjectDef {
  const all = [...systemFields(), ...fields];
  return {
    name,
    label,
    keyPrefix,
    createable: extra.createable ?? true,
    fields: all,
    byLower: new Map(all.map((f) => [f.name.toLowerCase(), f])),
    derive: extra.derive,
  };
}
