/**
 * The seeded life-sciences data set, as the simulators consume it.
 *
 * The generator (sandbox/dataset/generate.ts) is deterministic in (seed, index) and lazy: a
 * contact is computed from its index on demand, so a million contacts cost no memory until
 * a simulator overlays a write on one of them.
 */
import type { ActivityType } from '../../src/domain/types';

/** Where an activity is exposed by the HubSpot simulator. */
export type SeedActivitySource =
  | { kind: 'engagement'; objectType: 'emails' | 'meetings' | 'calls' | 'notes'; id: string }
  | { kind: 'form'; formGuid: string; conversionId: string }
  | { kind: 'marketing_event'; externalAccountId: string; externalEventId: string; attendanceState: 'REGISTERED' | 'ATTENDED' | 'NO_SHOW' | 'CANCELLED' }
  | { kind: 'email_event'; eventId: string; eventType: 'OPEN' | 'CLICK'; emailCampaignId: string }
  | { kind: 'web_event'; eventId: string };

/** The truth of one activity in domain terms plus where HubSpot shows it. */
export interface SeedActivity {
  type: ActivityType;
  at: string;
  title?: string;
  url?: string;
  formId?: string;
  category?: string;
  source: SeedActivitySource;
}

/** A record that already exists in Salesforce before the service first runs. */
export interface SeedSalesforceRecord {
  sobject: 'Lead' | 'Contact';
  /** Deterministic 18-character Salesforce id. */
  id: string;
  fields: Record<string, string | number | boolean | null>;
  /** For a converted Lead: the Contact it became (also present as its own seed record). */
  convertedContactId?: string;
}

export interface SeedContact {
  index: number;
  /** HubSpot contact id (numeric string). */
  id: string;
  /** HubSpot contact properties exactly as the CRM API returns them (strings or null). */
  properties: Record<string, string | null>;
  activities: SeedActivity[];
  /** Zero or more pre-existing Salesforce records for this person (duplicates included). */
  salesforce: SeedSalesforceRecord[];
}
