/**
 * Lead conversion as a sales user would do it in the UI: an Account and a Contact are
 * created (the Contact inherits the MQL fields and the HubSpot id), the Lead becomes
 * read-only with IsConverted, Converted*Id, ConvertedDate and Status `Closed - Converted`.
 */
import { dateOf } from './datetime';
import { SalesforceApiError } from './errors';
import { normaliseId } from './ids';
import { ACCOUNT, CONTACT, LEAD } from './objects';
import type { FieldValue } from './schema';
import type { SalesforceStore } from './store';
import { uniqueViolation } from './validate';

/** Fields copied from the Lead to the new Contact (same API names on both). */
const CARRIED_OVER = [
  'FirstName',
  'LastName',
  'Email',
  'Phone',
  'Title',
  'HubSpot_Contact_Id__c',
  'MQL__c',
  'MQL_Score__c',
  'MQL_Fit_Score__c',
  'MQL_Engagement_Score__c',
  'MQL_Tier__c',
  'MQL_Reasons__c',
  'MQL_Definition_Version__c',
  'MQL_Date__c',
  'MQL_Service_Line__c',
  'SQL_Date__c',
];

export interface ConvertOptions {
  /** The converting user. */
  userId: string;
  /** Instant of the conversion. @defaultValue the store clock */
  now?: number;
  /** Merge into this existing Contact instead of creating one. */
  contactId?: string;
}

export interface ConvertResult {
  leadId: string;
  contactId: string;
  accountId: string;
}

export function convertLead(store: SalesforceStore, rawLeadId: string, options: ConvertOptions): ConvertResult {
  const leadId = normaliseId(rawLeadId);
  const lead = leadId ? store.table('Lead').get(leadId) : undefined;
  if (!lead || lead.IsDeleted === true) throw new SalesforceApiError(404, 'NOT_FOUND', `Lead not found: ${rawLeadId}`);
  if (lead.IsConverted === true) throw new SalesforceApiError(400, 'CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead');
  const now = options.now ?? store.clock();
  const owner = typeof lead.OwnerId === 'string' && lead.OwnerId.startsWith('005') ? lead.OwnerId : options.userId;

  let contactId: string;
  let accountId: string;
  const existing = options.contactId ? store.get(options.contactId) : undefined;
  if (options.contactId && (!existing || existing.IsDeleted === true || !String(existing.Id).startsWith('003'))) {
    throw new SalesforceApiError(404, 'NOT_FOUND', `Contact not found: ${options.contactId}`);
  }
  if (existing) {
    contactId = String(existing.Id);
    accountId = typeof existing.AccountId === 'string' ? existing.AccountId : newAccount();
    store.update(CONTACT, existing, { AccountId: accountId, Lifecycle_Status__c: 'Sales Qualified' }, options.userId);
  } else {
    const values: Record<string, FieldValue> = {};
    for (const name of CARRIED_OVER) values[name] = lead[name] ?? null;
    const duplicate = uniqueViolation(CONTACT, values, store);
    if (duplicate) throw new SalesforceApiError(400, duplicate.statusCode, duplicate.message);
    accountId = newAccount();
    const contact = store.insert(
      CONTACT,
      { ...values, AccountId: accountId, MailingCountry: lead.Country ?? null, OwnerId: owner, Lifecycle_Status__c: 'Sales Qualified' },
      options.userId,
    );
    contactId = String(contact.Id);
  }
  store.update(
    LEAD,
    lead,
    {
      IsConverted: true,
      ConvertedContactId: contactId,
      ConvertedAccountId: accountId,
      ConvertedDate: dateOf(now),
      Status: 'Closed - Converted',
    },
    options.userId,
  );
  return { leadId: String(lead.Id), contactId, accountId };

  function newAccount(): string {
    const account = store.insert(
      ACCOUNT,
      { Name: lead?.Company ?? 'Unknown', BillingCountry: lead?.Country ?? null, OwnerId: owner },
      options.userId,
    );
    return String(account.Id);
  }
}
