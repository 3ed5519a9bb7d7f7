/** Records as the REST API renders them: `attributes` first, dates in Salesforce's format. */
import { formatDateTime } from './datetime';
import type { FieldDef, FieldValue, ObjectDef, SfRecord } from './schema';

export interface RecordJson {
  attributes: { type: string; url: string };
  [field: string]: unknown;
}

export function fieldJson(field: FieldDef, value: FieldValue | undefined): FieldValue {
  if (value === undefined || value === null) return null;
  return field.type === 'datetime' && typeof value === 'number' ? formatDateTime(value) : value;
}

/** `/services/data/vNN.N/sobjects/{type}/{id}` */
export function recordUrl(version: string, type: string, id: string): string {
  return `/services/data/v${version}/sobjects/${type}/${id}`;
}

export function recordJson(object: ObjectDef, record: SfRecord, fields: readonly FieldDef[], version: string): RecordJson {
  const json: RecordJson = { attributes: { type: object.name, url: recordUrl(version, object.name, String(record.Id)) } };
  for (const f of fields) json[f.name] = fieldJson(f, record[f.name]);
  return json;
}
