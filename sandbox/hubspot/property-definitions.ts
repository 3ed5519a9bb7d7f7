/**
 * Contact property definitions of the sandbox portal, in the shape of
 * `GET /crm/v3/properties/contacts`: HubSpot's standard properties the data set fills, the
 * `ls_*` input properties, and the `lsync_*` lifecycle properties that
 * `lifecycle-sync setup --apply` creates (present at start only with
 * `withLifecycleProperties`). Writes are validated against them as HubSpot does.
 */
import { EMPLOYEE_BANDS } from '../dataset';

export type PropertyType = 'string' | 'number' | 'datetime' | 'date' | 'enumeration' | 'bool';

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  description: string;
  groupName: string;
  options: PropertyOption[];
  displayOrder: number;
  calculated: boolean;
  externalOptions: boolean;
  hasUniqueValue: boolean;
  hidden: boolean;
  hubspotDefined?: boolean;
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
  formField: boolean;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface PropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

const CREATED = '2019-08-06T14:08:31.447Z';
const options = (values: readonly string[]): PropertyOption[] =>
  values.map((value, i) => ({ label: value, value, displayOrder: i, hidden: false }));

type Spec = [name: string, type: PropertyType, group: string, extra?: { options?: readonly string[]; readOnly?: boolean; label?: string; fieldType?: string }];

/** Builds a definition the way HubSpot reports one; `readOnly` marks calculated values. */
export function definition([name, type, groupName, extra = {}]: Spec, hubspotDefined: boolean, createdAt = CREATED): PropertyDefinition {
  const fieldType = extra.fieldType ?? (type === 'enumeration' ? 'select' : type === 'number' ? 'number' : type === 'datetime' || type === 'date' ? 'date' : type === 'bool' ? 'booleancheckbox' : 'text');
  return {
    name, label: extra.label ?? name.replace(/^(ls|lsync|hs)_/, '').replace(/_/g, ' '), type, fieldType, description: '', groupName,
    options: options(extra.options ?? []), displayOrder: -1, calculated: extra.readOnly ?? false, externalOptions: false,
    hasUniqueValue: false, hidden: false, ...(hubspotDefined ? { hubspotDefined: true } : {}),
    modificationMetadata: { archivable: !hubspotDefined, readOnlyDefinition: hubspotDefined, readOnlyValue: extra.readOnly ?? false },
    formField: !extra.readOnly, createdAt, updatedAt: createdAt, archived: false,
  };
}

const ro = { readOnly: true } as const;
const STANDARD: Spec[] = [
  ['email', 'string', 'contactinformation'], ['firstname', 'string', 'contactinformation'], ['lastname', 'string', 'contactinformation'],
  ['jobtitle', 'string', 'contactinformation'], ['company', 'string', 'contactinformation'], ['website', 'string', 'contactinformation'],
  ['country', 'string', 'contactinformation'], ['phone', 'string', 'contactinformation'],
  ['numemployees', 'enumeration', 'contactinformation', { options: EMPLOYEE_BANDS }],
  ['hubspot_owner_id', 'enumeration', 'sales_properties', { options: [] }],
  ['lifecyclestage', 'enumeration', 'contactinformation', { options: ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'] }],
  ['hs_lead_status', 'enumeration', 'sales_properties', { options: ['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING'] }],
  ['hs_analytics_source', 'enumeration', 'analyticsinformation', { ...ro, options: ['ORGANIC_SEARCH', 'PAID_SEARCH', 'EMAIL_MARKETING', 'SOCIAL_MEDIA', 'REFERRALS', 'OTHER_CAMPAIGNS', 'DIRECT_TRAFFIC', 'OFFLINE', 'PAID_SOCIAL'] }],
  ['hs_object_id', 'number', 'contactinformation', ro], ['createdate', 'datetime', 'contactinformation', ro],
  ['lastmodifieddate', 'datetime', 'contactinformation', ro], ['hs_lastmodifieddate', 'datetime', 'contactinformation', ro],
  ['hs_analytics_num_page_views', 'number', 'analyticsinformation', ro], ['hs_analytics_num_visits', 'number', 'analyticsinformation', ro],
  ['hs_analytics_last_url', 'string', 'analyticsinformation', ro], ['hs_analytics_last_timestamp', 'datetime', 'analyticsinformation', ro],
  ['hs_analytics_first_timestamp', 'datetime', 'analyticsinformation', ro],
  ['hs_email_open', 'number', 'emailinformation', ro], ['hs_email_click', 'number', 'emailinformation', ro],
  ['hs_email_last_open_date', 'datetime', 'emailinformation', ro], ['hs_email_first_open_date', 'datetime', 'emailinformation', ro],
  ['hs_email_last_click_date', 'datetime', 'emailinformation', ro], ['hs_email_last_email_name', 'string', 'emailinformation', ro],
  ['num_conversion_events', 'number', 'conversioninformation', ro], ['recent_conversion_date', 'datetime', 'conversioninformation', ro],
  ['recent_conversion_event_name', 'string', 'conversioninformation', ro], ['first_conversion_date', 'datetime', 'conversioninformation', ro],
  ['first_conversion_event_name', 'string', 'conversioninformation', ro],
  ['notes_last_updated', 'datetime', 'sales_properties', ro], ['notes_last_contacted', 'datetime', 'sales_properties', ro],
  ['num_contacted_notes', 'number', 'sales_properties', ro], ['hs_last_sales_activity_timestamp', 'datetime', 'sales_properties', ro],
  ['hs_sales_email_last_replied', 'datetime', 'sales_properties', ro], ['hs_latest_meeting_activity', 'datetime', 'sales_properties', ro],
];

const LS_INPUTS: Spec[] = [
  ['ls_organization_type', 'enumeration', 'contactinformation', { label: 'Organization type', options: ['biotech', 'pharma', 'cro', 'cdmo', 'academic', 'hospital', 'diagnostics', 'distributor', 'medtech', 'other'] }],
  ['ls_job_function', 'enumeration', 'contactinformation', { label: 'Job function', options: ['rnd', 'qa_qc', 'regulatory', 'manufacturing', 'process_development', 'procurement', 'lab_operations', 'bioinformatics', 'clinical_operations', 'other'] }],
  ['ls_service_interest', 'enumeration', 'contactinformation', { label: 'Service interest', options: ['cdmo_services', 'genomics_platform', 'medical_devices'] }],
  ['ls_customer_status', 'enumeration', 'contactinformation', { label: 'Customer status', options: ['prospect', 'customer', 'former_customer'] }],
];

/** The lifecycle properties of docs/DATA-MODEL.md, group `lifecycle_sync`. */
export const LIFECYCLE_GROUP: PropertyGroup = { name: 'lifecycle_sync', label: 'Lifecycle sync', displayOrder: -1, archived: false };
export const LIFECYCLE_PROPERTY_SPECS: Spec[] = [
  ['lsync_stage', 'enumeration', 'lifecycle_sync', { options: ['lead', 'mql', 'sales_accepted', 'sql', 'opportunity', 'disqualified', 'recycled'] }],
  // Named in mappings/fields.yaml (stageDate) although docs/DATA-MODEL.md does not list it.
  ['lsync_stage_date', 'datetime', 'lifecycle_sync'],
  ['lsync_score', 'number', 'lifecycle_sync'], ['lsync_fit_score', 'number', 'lifecycle_sync'], ['lsync_engagement_score', 'number', 'lifecycle_sync'],
  ['lsync_tier', 'enumeration', 'lifecycle_sync', { options: ['A', 'B', 'C'] }],
  ['lsync_reasons', 'string', 'lifecycle_sync', { fieldType: 'textarea' }], ['lsync_definition_version', 'string', 'lifecycle_sync'],
  ['lsync_service_line', 'enumeration', 'lifecycle_sync', { options: ['cdmo_services', 'genomics_platform', 'medical_devices', 'general'] }],
  ['lsync_mql_date', 'datetime', 'lifecycle_sync'],
  ['lsync_sales_outcome', 'enumeration', 'lifecycle_sync', { options: ['accepted', 'sql', 'opportunity', 'disqualified', 'recycled', 'converted'] }],
  ['lsync_sales_outcome_date', 'datetime', 'lifecycle_sync'], ['lsync_sql_date', 'datetime', 'lifecycle_sync'],
  ['lsync_outcome_reason', 'string', 'lifecycle_sync'], ['lsync_salesforce_id', 'string', 'lifecycle_sync'],
];

export const STANDARD_GROUPS: PropertyGroup[] = [
  ['contactinformation', 'Contact information'], ['sales_properties', 'Sales properties'], ['analyticsinformation', 'Web analytics history'],
  ['emailinformation', 'Email information'], ['conversioninformation', 'Conversion information'],
].map(([name, label], i) => ({ name: name ?? '', label: label ?? '', displayOrder: i, archived: false }));

/** Definitions a fresh sandbox portal has: HubSpot's own plus the `ls_*` inputs. */
export function portalDefinitions(ownerIds: readonly string[]): PropertyDefinition[] {
  const standard = STANDARD.map((spec) => definition(spec, true));
  const owner = standard.find((d) => d.name === 'hubspot_owner_id');
  if (owner) owner.options = options(ownerIds);
  return [...standard, ...LS_INPUTS.map((spec) => definition(spec, false, '2025-01-14T09:30:00.000Z'))];
}

export function lifecycleDefinitions(): PropertyDefinition[] {
  return LIFECYCLE_PROPERTY_SPECS.map((spec) => definition(spec, false, '2026-01-01T00:00:00.000Z'));
}
