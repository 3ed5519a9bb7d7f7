/** Normalised domain types shared by every layer. Pure data: no I/O lives here. */

export const ACTIVITY_TYPES = [
  'page_view',
  'email_open',
  'email_click',
  'email_reply',
  'form_submission',
  'content_download',
  'webinar_registration',
  'webinar_attendance',
  'event_attendance',
  'demo_request',
  'pricing_request',
  'meeting_booked',
  'call',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** A HubSpot contact in the terms the definition speaks; every field may be unknown. */
export interface Contact {
  /** HubSpot contact id. */
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  jobTitle: string | null;
  jobFunction: string | null;
  company: string | null;
  organizationType: string | null;
  employees: number | null;
  country: string | null;
  /** The offer the contact declared interest in, when HubSpot knows it. */
  serviceLine: string | null;
  /** Raw HubSpot properties, for rules on fields the normalisation does not name. */
  properties: Record<string, string | null>;
}

export interface Activity {
  type: ActivityType;
  /** ISO-8601 instant. */
  at: string;
  /** Source-unique id (e.g. `form:<conversionId>`), used to de-duplicate. */
  id?: string;
  title?: string;
  url?: string;
  formId?: string;
  category?: string;
}

export const LIFECYCLE_STAGES = [
  'lead',
  'mql',
  'sales_accepted',
  'sql',
  'opportunity',
  'disqualified',
  'recycled',
] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** What sales decided in Salesforce, as read back by the service. */
export const SALES_OUTCOMES = ['accepted', 'sql', 'opportunity', 'disqualified', 'recycled'] as const;
export type SalesOutcomeKind = (typeof SALES_OUTCOMES)[number];

export interface SalesOutcome {
  kind: SalesOutcomeKind;
  /** ISO-8601 instant of the decision. */
  at: string;
  /** Disqualification or recycle reason, in the HubSpot vocabulary. */
  reason?: string;
}
