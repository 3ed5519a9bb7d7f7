/**
 * The small interfaces ("ports") that jobs depend on. The HubSpot and Salesforce connectors
 * implement them over HTTP; tests can implement them in memory. Everything here speaks
 * domain terms or plain records, never client-library types.
 */
import type { Activity, Contact, SalesOutcome } from '../src/domain/types';
import type { RecordResult } from './errors';

// ----------------------------------------------------------------------------- HubSpot

/** A HubSpot contact as the CRM API returns it: string-or-null properties. */
export interface HubSpotContactRecord {
  id: string;
  properties: Record<string, string | null>;
  updatedAt: string;
}

/** Resume point of an incremental pull: last `lastmodifieddate` seen and, on ties, the last id. */
export interface ContactCursor {
  /** Epoch ms. */
  modifiedAt: number;
  id: string;
}

export interface ContactPage {
  records: HubSpotContactRecord[];
  /** Where to resume after this page has been durably processed. */
  cursor: ContactCursor;
}

export interface HubSpotPort {
  /**
   * Contacts modified after `since` (and at or before `until`), oldest first, in pages.
   * Never loses a record to the search API's 10,000-result cap and never loops on equal
   * timestamps.
   */
  changedContacts(since: ContactCursor, until?: number): AsyncIterable<ContactPage>;
  /** Every contact, in pages of up to 100 (backfills); streamed, never all in memory. */
  listContacts(after?: string): AsyncIterable<{ records: HubSpotContactRecord[]; after: string | undefined }>;
  /** Batch read by id (100 per call); ids that do not exist are absent from the result. */
  readContacts(ids: string[]): Promise<HubSpotContactRecord[]>;
  /** The domain view of a record, through mappings/fields.yaml. */
  toContact(record: HubSpotContactRecord): Contact;
  /**
   * Activities of these contacts: CRM engagements through associations (batched), plus what
   * the feeds (forms, marketing events, e-mail events, web events) put in the activity cache.
   * Refreshes a feed first when a record says the cache is behind for it.
   */
  activitiesFor(records: HubSpotContactRecord[]): Promise<Map<string, Activity[]>>;
  /**
   * After `activitiesFor`: the contacts whose summary properties still say a feed has news
   * the activity cache lacks (its refresh was throttled), and when it may be refreshed again.
   */
  feedsBehind?(records: HubSpotContactRecord[]): Promise<{ ids: string[]; retryInMs: number }>;
  /**
   * Pulls new feed items into the activity cache; returns the contacts that got new ones.
   * `unlessFresherThanMs`: skips the feeds refreshed that recently (by any worker).
   */
  refreshFeeds(options?: { full?: boolean; unlessFresherThanMs?: number }): Promise<{ contactIds: string[]; items: number }>;
  /** Writes lifecycle properties (only those given), 100 per call, one result per record. */
  updateContacts(updates: Array<{ id: string; properties: Record<string, string> }>): Promise<RecordResult[]>;
  /** Drops what the connector keeps about these contacts (cached activity, by id and by address): HubSpot deleted them. */
  forget?(contacts: Array<{ id: string; email: string | null }>): Promise<void>;
}

// -------------------------------------------------------------------------- Salesforce

export type SalesforceObject = 'Lead' | 'Contact';

export interface SalesforceRecord {
  sobject: SalesforceObject;
  id: string;
  /** Field values as Salesforce returns them (API names). */
  fields: Record<string, unknown>;
}

export interface MatchResult {
  hubspotId: string;
  /** The record to write to (a converted Lead already followed to its Contact), or null. */
  record: SalesforceRecord | null;
  via: 'external_id' | 'email' | 'converted' | 'none';
  /** Other candidates that matched at the same step, recorded as an ambiguity. */
  ambiguous: string[];
}

export interface OutcomeChange {
  hubspotId: string;
  record: SalesforceRecord;
  /** Null when the record carries no sales decision the mappings know. */
  outcome: SalesOutcome | null;
  modifiedAt: string;
  /** True when the last change was made by this service's own user (echo). */
  byIntegrationUser: boolean;
}

export interface OutcomeCursor {
  /** SystemModstamp as epoch ms, and the last Id at that instant. */
  modstamp: number;
  id: string;
}

export interface TaskRequest {
  /** Idempotency key, stored in the Task's external-id field. */
  key: string;
  fields: Record<string, unknown>;
}

/** A first sales touch of an MQL follow-up, read from Salesforce Tasks. */
export interface TaskTouch {
  hubspotId: string;
  /** The follow-up task's key when sales completed it; null for an activity sales logged on the record. */
  key: string | null;
  taskId: string;
  kind: 'task' | 'call' | 'email' | 'meeting';
  /** When it was done (completion time, else when it was logged). */
  at: string;
}

export interface SalesforcePort {
  /** Matches contacts to records with batched SOQL (never one query per contact). */
  match(contacts: Array<{ hubspotId: string; email: string | null }>): Promise<Map<string, MatchResult>>;
  /** Writes the given fields only, 200 per sObject Collections call, one result per record. */
  updateRecords(updates: Array<{ key: string; sobject: SalesforceObject; id: string; fields: Record<string, unknown> }>): Promise<RecordResult[]>;
  /** Creates Leads (collections of 200); `key` is the HubSpot id. */
  createLeads(leads: Array<{ key: string; fields: Record<string, unknown> }>): Promise<RecordResult[]>;
  /** Creates each task whose key does not exist yet; an existing key is success with created=false. */
  ensureTasks(tasks: TaskRequest[]): Promise<RecordResult[]>;
  /** Changes of one object after the cursor, oldest first, stable on equal timestamps. */
  outcomesSince(sobject: SalesforceObject, cursor: OutcomeCursor | null): AsyncIterable<{ changes: OutcomeChange[]; cursor: OutcomeCursor }>;
  /** Follow-up tasks completed, and calls, e-mails and meetings logged on linked records, after the cursor. */
  tasksSince(cursor: OutcomeCursor | null): AsyncIterable<{ touches: TaskTouch[]; cursor: OutcomeCursor }>;
  /** Changes fields (priority, owner) of follow-up tasks still open, by key; one result per key. */
  updateOpenTasks(updates: Array<{ key: string; fields: Record<string, unknown> }>): Promise<RecordResult[]>;
}
