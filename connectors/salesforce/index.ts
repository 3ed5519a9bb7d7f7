/** The Salesforce connector: the SalesforcePort over jsforce, with field checks and limits. */
export { createSalesforceConnector, type SalesforceConnector, type SalesforceConnectorOptions, type SalesforceLimits } from './connector';
export { DEFAULT_TUNING, type ConnectorLogger, type SalesforceConnectorConfig, type SalesforceTuning } from './config';
export type { FieldCheckReport, FieldProblem, FieldProblemKind } from './describe';
