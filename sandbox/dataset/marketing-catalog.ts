/**
 * The sandbox portal's marketing assets: forms (stable GUIDs), web pages, marketing events,
 * email campaigns and owners. Dates are relative to the data set's anchor so that any anchor
 * gives a history covering the year before it. `mappings/activities.yaml` refers to the
 * GUIDs, URL patterns and event types defined here.
 */
import type { ActivityType } from '../../src/domain/types';
import { DAY_MS } from './random';
import type { ServiceLine } from './people-catalog';

/** The (invented) vendor whose portal this is. */
export const VENDOR_SITE = 'https://www.northbridge-bio.example';
export const VENDOR_DOMAIN = 'northbridge-bio.example';

export interface FormDefinition {
  guid: string;
  name: string;
  /** What a submission means in domain terms (the default of mappings/activities.yaml). */
  meaning: ActivityType;
  /** Title of the asset for downloads; shown in the follow-up task. */
  title: string;
  category: string;
  pageUrl: string;
  serviceLine: ServiceLine | null;
}

const form = (guid: string, name: string, meaning: ActivityType, title: string, category: string, path: string, serviceLine: ServiceLine | null): FormDefinition =>
  ({ guid, name, meaning, title, category, pageUrl: `${VENDOR_SITE}${path}`, serviceLine });

export const FORMS: readonly FormDefinition[] = [
  form('3f6c2a1e-5b7d-4c8e-9a0f-1b2c3d4e5f01', 'Demo request', 'demo_request', 'Demo request', 'demo', '/demo', null),
  form('7a1d9e42-0c3b-4f5a-8e6d-2c4b6a8e0f02', 'Pricing request', 'pricing_request', 'Pricing request', 'pricing', '/pricing', null),
  form('b2e4f6a8-1c3e-4a5b-9d7f-3e5a7c9e1b03', 'Quality systems guide download', 'content_download', 'Quality Systems Guide for Biologics Manufacturing', 'quality_guide', '/resources/quality-systems-guide', 'cdmo_services'),
  form('c9d8e7f6-2b4a-4c6e-8f0a-4f6b8d0a2c04', 'Validation white paper download', 'content_download', 'Analytical Method Validation White Paper', 'validation_whitepaper', '/resources/method-validation-white-paper', 'cdmo_services'),
  form('d1e3f5a7-3c5e-4b7d-9f1b-5a7c9e1b3d05', 'Compliance pack download', 'content_download', 'GMP Compliance Pack', 'compliance_pack', '/resources/gmp-compliance-pack', 'cdmo_services'),
  form('e4f6a8b0-4d6f-4c8e-8a2c-6b8d0f2c4e06', 'Workflow overview download', 'content_download', 'Sample-to-Report Workflow Overview', 'workflow_overview', '/resources/workflow-overview', 'medical_devices'),
  form('f7a9b1c3-5e7a-4d9f-9b3d-7c9e1a3d5f07', 'Contact us', 'form_submission', 'Contact us', 'contact', '/contact', null),
  form('0a2c4e6a-6f8b-4e0a-8c4e-8d0f2b4e6a08', 'Tech transfer inquiry', 'form_submission', 'Tech transfer inquiry', 'tech_transfer_inquiry', '/cdmo/tech-transfer', 'cdmo_services'),
  form('1b3d5f7b-7a9c-4f1b-9d5f-9e1a3c5f7b09', 'Newsletter sign-up', 'form_submission', 'Newsletter sign-up', 'newsletter', '/blog', null),
];

export function formByGuid(guid: string): FormDefinition | undefined {
  return FORMS.find((f) => f.guid === guid);
}

/** A page of the vendor site; `category` is what mappings/activities.yaml derives from the URL. */
export interface PageDefinition {
  path: string;
  title: string;
  category: 'pricing' | 'gmp' | 'validation' | 'tech_transfer' | 'sample_handling' | 'assay_validation' | 'product' | 'blog' | 'general' | 'careers';
  serviceLine: ServiceLine | null;
}
const page = (path: string, title: string, category: PageDefinition['category'], serviceLine: ServiceLine | null): PageDefinition => ({ path, title, category, serviceLine });

export const PAGES: readonly PageDefinition[] = [
  page('/', 'Northbridge Bioservices', 'general', null),
  page('/pricing', 'Pricing', 'pricing', null),
  page('/cdmo/pricing', 'CDMO service packages and pricing', 'pricing', 'cdmo_services'),
  page('/cdmo/gmp-manufacturing', 'GMP manufacturing for biologics', 'gmp', 'cdmo_services'),
  page('/quality/gmp-compliance', 'GMP compliance and audits', 'gmp', 'cdmo_services'),
  page('/services/analytical-method-validation', 'Analytical method validation', 'validation', 'cdmo_services'),
  page('/quality/computer-system-validation', 'Computer system validation', 'validation', null),
  page('/cdmo/tech-transfer', 'Technology transfer', 'tech_transfer', 'cdmo_services'),
  page('/genomics/sample-handling', 'Sample handling and shipping', 'sample_handling', 'genomics_platform'),
  page('/genomics/sample-prep-guide', 'Sample preparation guide', 'sample_handling', 'genomics_platform'),
  page('/genomics/assay-validation', 'Assay validation', 'assay_validation', 'genomics_platform'),
  page('/genomics/platform', 'Genomics platform', 'product', 'genomics_platform'),
  page('/devices/point-of-care-analyzer', 'Point-of-care analyzer', 'product', 'medical_devices'),
  page('/devices/validation-services', 'Device validation (IQ/OQ/PQ)', 'validation', 'medical_devices'),
  page('/blog/cell-therapy-scale-up', 'Blog: scaling up cell therapy', 'blog', 'cdmo_services'),
  page('/blog/ngs-library-qc', 'Blog: NGS library QC', 'blog', 'genomics_platform'),
  page('/blog/mdr-readiness', 'Blog: MDR readiness', 'blog', 'medical_devices'),
  page('/careers', 'Careers', 'careers', null),
];

export type MarketingEventType = 'WEBINAR' | 'TRADE_SHOW';
export interface MarketingEventDefinition {
  externalAccountId: string;
  externalEventId: string;
  /** HubSpot's marketing event object id. */
  objectId: string;
  name: string;
  type: MarketingEventType;
  /** Days before the anchor the event starts; negative: still to come. */
  daysBeforeAnchor: number;
  durationHours: number;
  serviceLine: ServiceLine | null;
}

/** The account id of the (simulated) webinar / event app that owns every event. */
export const EVENTS_ACCOUNT_ID = '4417730';
const event = (n: number, externalEventId: string, name: string, type: MarketingEventType, daysBeforeAnchor: number, durationHours: number, serviceLine: ServiceLine | null): MarketingEventDefinition =>
  ({ externalAccountId: EVENTS_ACCOUNT_ID, externalEventId, objectId: String(58_000_100 + n), name, type, daysBeforeAnchor, durationHours, serviceLine });

export const MARKETING_EVENTS: readonly MarketingEventDefinition[] = [
  event(1, 'wbn-validation-master-plans', 'Validation Master Plans for Cell and Gene Therapy', 'WEBINAR', 300, 1, 'cdmo_services'),
  event(2, 'tradeshow-isct', 'ISCT Annual Meeting', 'TRADE_SHOW', 260, 72, 'cdmo_services'),
  event(3, 'wbn-gmp-phase-1', 'GMP Readiness for Phase I Biologics', 'WEBINAR', 240, 1, 'cdmo_services'),
  event(4, 'tradeshow-bio-international', 'BIO International Convention', 'TRADE_SHOW', 200, 72, null),
  event(5, 'wbn-tech-transfer', 'Tech Transfer Without Surprises', 'WEBINAR', 180, 1, 'cdmo_services'),
  event(6, 'wbn-ngs-sample-qc', 'NGS Sample QC: From Tube to Data', 'WEBINAR', 150, 1, 'genomics_platform'),
  event(7, 'tradeshow-cphi', 'CPHI Worldwide', 'TRADE_SHOW', 120, 72, 'cdmo_services'),
  event(8, 'wbn-assay-validation', 'Assay Validation for Regulated Genomics', 'WEBINAR', 95, 1, 'genomics_platform'),
  event(9, 'tradeshow-medica', 'MEDICA', 'TRADE_SHOW', 60, 96, 'medical_devices'),
  event(10, 'wbn-device-setup', 'Setting Up Your Point-of-Care Workflow', 'WEBINAR', -7, 1, 'medical_devices'),
  event(11, 'tradeshow-ashg', 'ASHG Annual Meeting', 'TRADE_SHOW', 30, 72, 'genomics_platform'),
  event(12, 'wbn-csv-data-integrity', 'Computer System Validation and Data Integrity', 'WEBINAR', 20, 1, null),
  event(13, 'wbn-quality-by-design', 'Quality by Design in Process Development', 'WEBINAR', -12, 1, 'cdmo_services'),
];

/** Start of the UTC day of `anchorMs`: event and campaign dates hang off it. */
export function anchorDay(anchorMs: number): number {
  return Math.floor(anchorMs / DAY_MS) * DAY_MS;
}

/** Start of an event in epoch ms for a given anchor (webinars at 16:00 UTC, shows at 08:00). */
export function eventStartMs(def: MarketingEventDefinition, anchorMs: number): number {
  const hour = def.type === 'WEBINAR' ? 16 : 8;
  return anchorDay(anchorMs) - def.daysBeforeAnchor * DAY_MS + hour * 3_600_000;
}

export function eventByExternalId(externalAccountId: string, externalEventId: string): MarketingEventDefinition | undefined {
  return MARKETING_EVENTS.find((e) => e.externalAccountId === externalAccountId && e.externalEventId === externalEventId);
}

export interface EmailCampaignDefinition {
  id: number;
  name: string;
  subject: string;
  /** Days before the anchor it was sent (14:00 UTC). */
  daysBeforeAnchor: number;
  serviceLine: ServiceLine | null;
}
const CAMPAIGN_THEMES: readonly [string, string, ServiceLine | null][] = [
  ['Monthly newsletter', 'What is new at Northbridge this month', null],
  ['CDMO insights', 'Three ways to de-risk your tech transfer', 'cdmo_services'],
  ['Genomics digest', 'Better sample QC, fewer re-runs', 'genomics_platform'],
  ['Device workflow tips', 'Validating your point-of-care workflow', 'medical_devices'],
];
/** Two campaigns a month for the year before the anchor. */
export const EMAIL_CAMPAIGNS: readonly EmailCampaignDefinition[] = Array.from({ length: 26 }, (_, k) => {
  const [name, subject, serviceLine] = CAMPAIGN_THEMES[k % CAMPAIGN_THEMES.length] ?? CAMPAIGN_THEMES[0]!;
  return { id: 910_001 + k, name: `${name} #${26 - k}`, subject, daysBeforeAnchor: 4 + 14 * k, serviceLine };
});

export function campaignSentMs(def: EmailCampaignDefinition, anchorMs: number): number {
  return anchorDay(anchorMs) - def.daysBeforeAnchor * DAY_MS + 14 * 3_600_000;
}

export interface OwnerDefinition {
  id: string;
  userId: number;
  email: string;
  firstName: string;
  lastName: string;
}
export const OWNERS: readonly OwnerDefinition[] = [
  ['Hannah', 'Keller'], ['Marcus', 'Reid'], ['Aiko', 'Mori'], ['Luis', 'Ortega'],
  ['Grace', 'Whitfield'], ['Tomasz', 'Zieliński'], ['Nadia', 'Benali'], ['Owen', 'Price'],
].map(([firstName, lastName], i) => ({
  id: String(71_234_501 + i),
  userId: 9_120_001 + i,
  email: `${(firstName ?? '').toLowerCase()}.${(lastName ?? '').toLowerCase().replace('ń', 'n')}@${VENDOR_DOMAIN}`,
  firstName: firstName ?? '',
  lastName: lastName ?? '',
}));
