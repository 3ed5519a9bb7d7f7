/** `GET /sobjects/{T}/describe` and `GET /sobjects` bodies built from the schema. */
import { OBJECTS } from './objects';
import type { FieldDef, FieldType, ObjectDef } from './schema';

const SOAP_TYPES: Record<FieldType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  picklist: 'xsd:string',
  combobox: 'xsd:string',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

const RELATIONSHIPS: Record<string, string> = {
  OwnerId: 'Owner',
  CreatedById: 'CreatedBy',
  LastModifiedById: 'LastModifiedBy',
  WhoId: 'Who',
  WhatId: 'What',
  AccountId: 'Account',
  ConvertedContactId: 'ConvertedContact',
  ConvertedAccountId: 'ConvertedAccount',
};

function describeField(f: FieldDef): Record<string, unknown> {
  const longText = f.type === 'textarea' && f.length > 255;
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    length: f.length,
    byteLength: f.length * 3,
    precision: f.precision,
    scale: f.scale,
    digits: 0,
    soapType: SOAP_TYPES[f.type],
    custom: f.custom,
    calculated: f.name === 'Name' && !f.createable,
    autoNumber: false,
    createable: f.createable,
    updateable: f.updateable,
    nillable: f.nillable,
    defaultedOnCreate: f.defaultedOnCreate || f.defaultValue !== undefined || !f.createable,
    defaultValue: f.type === 'boolean' ? (f.defaultValue ?? false) : null,
    externalId: f.externalId,
    unique: f.unique,
    caseSensitive: false,
    idLookup: f.name === 'Id' || f.externalId || f.type === 'email',
    nameField: f.name === 'Name',
    filterable: !longText,
    sortable: !longText,
    groupable: !longText && f.type !== 'double',
    picklistValues: (f.picklistValues ?? []).map((value) => ({
      active: true,
      defaultValue: f.defaultValue === value,
      label: value,
      validFor: null,
      value,
    })),
    restrictedPicklist: f.restrictedPicklist,
    referenceTo: f.referenceTo,
    relationshipName: RELATIONSHIPS[f.name] ?? null,
  };
}

function urls(o: ObjectDef, version: string): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${o.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

function summary(o: ObjectDef, version: string): Record<string, unknown> {
  return {
    name: o.name,
    label: o.label,
    labelPlural: `${o.label}s`,
    keyPrefix: o.keyPrefix,
    custom: false,
    createable: o.createable,
    updateable: o.createable,
    deletable: o.createable,
    queryable: true,
    retrieveable: true,
    searchable: true,
    urls: urls(o, version),
  };
}

export function describeObject(o: ObjectDef, version: string): Record<string, unknown> {
  return { ...summary(o, version), fields: o.fields.map(describeField), childRelationships: [], recordTypeInfos: [] };
}

export function describeGlobal(version: string): Record<string, unknown> {
  return { encoding: 'UTF-8', maxBatchSize: 200, sobjects: OBJECTS.map((o) => summary(o, version)) };
}
