/** The seeded life-sciences data set: generator, catalogs and fixture names. */
export * from './types';
export { generateContact, historyFreePropertiesOf, HISTORY_DERIVED_PROPERTIES, contactIdOf, indexOfContactId, personOf, salesforceSeedOf, salesforceSeedRecords, CONTACT_ID_BASE, type DatasetOptions } from './generate';
export { FIXTURES, FIXTURE_COUNT, type FixtureName } from './fixtures';
export {
  FORMS, PAGES, MARKETING_EVENTS, EMAIL_CAMPAIGNS, OWNERS, VENDOR_SITE, VENDOR_DOMAIN, EVENTS_ACCOUNT_ID,
  eventStartMs, campaignSentMs, formByGuid, eventByExternalId,
  type FormDefinition, type PageDefinition, type MarketingEventDefinition, type EmailCampaignDefinition, type OwnerDefinition,
} from './marketing-catalog';
export { COMPETITORS, FREE_MAIL_DOMAINS, EMPLOYEE_BANDS } from './people-catalog';
export { DIRT_RATES, type Person } from './person';
export { ENGAGEMENT_ID_BASE, ENGAGEMENT_SLOTS, MAX_ACTIVITIES, MIX, activityOfType, engagementId, type HistoryContext } from './activities';
export { SALESFORCE_RATES, SALESFORCE_USER_IDS, salesforceId } from './salesforce-records';
export { applyActivity, SUMMARY_DEFAULTS } from './summary-properties';
