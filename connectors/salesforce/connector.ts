/**
 * `createSalesforceConnector`: the SalesforcePort over jsforce, plus `checkFields()` for
 * `lifecycle-sync doctor` and `limits()`. Nothing is called until the first method runs.
 */
import type Redis from 'ioredis';
import type { Mappings } from '../../src/mappings/load';
import type { RecordResult } from '../errors';
import type { MatchResult, OutcomeChange, OutcomeCursor, SalesforceObject, SalesforcePort, TaskRequest, TaskTouch } from '../ports';
import { SalesforceApi } from './api';
import { resolveAuth } from './auth';
import { SalesforceBudget } from './budget';
import { DEFAULT_TUNING, silentLogger, type ConnectorLogger, type SalesforceConnectorConfig, type SalesforceTuning } from './config';
import { checkFields, type FieldCheckReport } from './describe';
import { learnIntegrationUser } from './identity';
import { matchContacts } from './match';
import { outcomesSince } from './outcomes';
import { SalesforceSession } from './session';
import { tasksSince, updateOpenTasks } from './task-activity';
import { ensureTasks } from './tasks';
import { createLeads, updateRecords, type RecordUpdate } from './writes';

export interface SalesforceConnectorOptions {
  config: SalesforceConnectorConfig;
  mappings: Pick<Mappings, 'fields' | 'reasons' | 'definition'>;
  /** Shared by every worker: holds the daily budget. */
  redis: Redis;
  /** Prefix of the connector's Redis keys (`<prefix>:budget:salesforce:daily:*`), e.g. REDIS_PREFIX. */
  keyPrefix: string;
  logger?: ConnectorLogger;
  tuning?: Partial<SalesforceTuning>;
}

export interface SalesforceLimits {
  /** The org's rolling 24 h allocation and what is left of it. */
  dailyApiRequests: { max: number; remaining: number };
  /** SALESFORCE_DAILY_SHARE. */
  share: number;
  /** Calls per 24 h this service allows itself. */
  serviceDailyLimit: number;
}

export interface SalesforceConnector extends SalesforcePort {
  checkFields(): Promise<FieldCheckReport>;
  limits(): Promise<SalesforceLimits>;
}

export function createSalesforceConnector(options: SalesforceConnectorOptions): SalesforceConnector {
  const { config, mappings } = options;
  const tuning: SalesforceTuning = { ...DEFAULT_TUNING, ...options.tuning };
  const logger = options.logger ?? silentLogger;
  const plan = resolveAuth(config);
  const classifyContext = { authFix: plan.fix, orgLimitPauseMs: tuning.orgLimitPauseMs, concurrencyPauseMs: tuning.concurrencyPauseMs };
  const session = new SalesforceSession({ plan, apiVersion: config.SALESFORCE_API_VERSION, requestTimeoutMs: tuning.requestTimeoutMs, classifyContext, logger });
  const budget = new SalesforceBudget({ redis: options.redis, keyPrefix: options.keyPrefix, share: config.SALESFORCE_DAILY_SHARE, maxWaitMs: tuning.budgetMaxWaitMs });
  const api = new SalesforceApi({ session, budget, tuning, classifyContext, logger });
  const sf = mappings.fields.salesforce;

  let integrationUser: Promise<string> | undefined;
  const integrationUserId = (): Promise<string> => {
    integrationUser ??= learnIntegrationUser({ api, session, configuredUserId: config.SALESFORCE_INTEGRATION_USER_ID, username: config.SALESFORCE_USERNAME }).catch(
      (error: unknown) => {
        integrationUser = undefined;
        throw error;
      },
    );
    return integrationUser;
  };

  return {
    match: (contacts): Promise<Map<string, MatchResult>> => matchContacts(api, sf, tuning, contacts),
    updateRecords: (updates: RecordUpdate[]): Promise<RecordResult[]> => updateRecords(api, tuning, updates),
    createLeads: (leads): Promise<RecordResult[]> => createLeads(api, tuning, sf.externalIdField, leads),
    ensureTasks: (tasks: TaskRequest[]): Promise<RecordResult[]> => ensureTasks(api, tuning, sf.taskKeyField, tasks),
    outcomesSince: (sobject: SalesforceObject, cursor: OutcomeCursor | null): AsyncIterable<{ changes: OutcomeChange[]; cursor: OutcomeCursor }> =>
      outcomesSince({ api, mapping: sf, reasons: mappings.reasons, integrationUserId }, sobject, cursor),
    tasksSince: (cursor: OutcomeCursor | null): AsyncIterable<{ touches: TaskTouch[]; cursor: OutcomeCursor }> => tasksSince({ api, mapping: sf, tuning }, cursor),
    updateOpenTasks: (updates): Promise<RecordResult[]> => updateOpenTasks({ api, mapping: sf, tuning }, updates),
    checkFields: () => checkFields(api, mappings),
    async limits(): Promise<SalesforceLimits> {
      const body = await api.limits();
      const daily = body.DailyApiRequests ?? { Max: budget.orgAllocation ?? 0, Remaining: 0 };
      return {
        dailyApiRequests: { max: daily.Max, remaining: daily.Remaining },
        share: config.SALESFORCE_DAILY_SHARE,
        serviceDailyLimit: budget.dailyLimit ?? 0,
      };
    },
  };
}
