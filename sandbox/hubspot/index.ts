/** The HubSpot simulator: factory, control, webhooks and the pieces tests may want to inspect. */
export { createHubSpotSimulator, defaultAnchor, MAX_CONTACTS, type HubSpotSimulator, type HubSpotSimulatorOptions, type HubSpotStats } from './simulator';
export { HubSpotControl, type ActivityInput, type ActivityStreamOptions } from './control';
export { WebhookDispatcher, signatureV3, DEFAULT_RETRY_DELAYS_MS, type WebhookEvent, type WebhookOptions, type WebhookStats, type SubscriptionType } from './webhooks';
export { DEFAULT_RATE_LIMITS, type RateLimitConfig } from './rate-limits';
export { DEFAULT_SEARCH_LIMITS, type SearchLimits } from './search';
export type { ContactStore, ContactRecord } from './contact-store';
export type { Portal } from './portal';
