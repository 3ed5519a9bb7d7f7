/** The Salesforce REST simulator: factory, store, control surface and the types they use. */
export { createSalesforceSimulator, MAX_URI_LENGTH, type SalesforceSimulator, type SalesforceSimulatorOptions } from './simulator';
export type { SalesforceControl } from './control';
export { SalesforceStore } from './store';
export type { FieldValue, SfRecord } from './schema';
export type { SalesScriptOptions, WorkLeadsResult } from './sales-script';
export type { SeedQueue, SeedUser } from './seed';
export { DEFAULT_QUEUES, DEFAULT_USERS } from './seed';
export * as picklists from './picklists';
export { formatDateTime } from './datetime';
export { to18 } from './ids';
