/**
 * Salesforce REST bodies exactly as the API shapes them, for nock: query pages, save results
 * of sObject Collections (`statusCode` per record), request-level error arrays (`errorCode`),
 * `/limits`, OAuth token answers, describe fields.
 */
import nock from 'nock';

export const INSTANCE = 'https://lsync-test.my.salesforce.com';
export const LOGIN = 'https://login.salesforce.com';
export const V = '/services/data/v60.0';
export const ORG_ID = '00D5g000004ABCDEAY';
export const USER_ID = '0055g00000AbCdEAAV';

export const JSON_HEADERS = { 'content-type': 'application/json;charset=UTF-8', 'sforce-limit-info': 'api-usage=1200/100000' };

export function queryPage(type: string, records: Array<Record<string, unknown>>, next?: { locator: string; totalSize: number }) {
  return {
    totalSize: next?.totalSize ?? records.length,
    done: next === undefined,
    ...(next ? { nextRecordsUrl: `${V}/query/${next.locator}` } : {}),
    records: records.map((r) => ({ attributes: { type, url: `${V}/sobjects/${type}/${String(r.Id)}` }, ...r })),
  };
}

export const saved = (id: string, created?: boolean) => ({ id, success: true, errors: [], ...(created === undefined ? {} : { created }) });
export const refused = (statusCode: string, message: string, fields: string[] = [], id?: string) => ({
  ...(id ? { id } : {}),
  success: false,
  errors: [{ statusCode, message, fields }],
});
export const apiError = (errorCode: string, message: string) => [{ message, errorCode }];

export function limitsBody(max: number, remaining: number) {
  return {
    ConcurrentAsyncGetReportInstances: { Max: 200, Remaining: 200 },
    DailyApiRequests: { Max: max, Remaining: remaining },
    DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
    DataStorageMB: { Max: 1024, Remaining: 1000 },
  };
}

export function tokenBody(accessToken: string, instanceUrl = INSTANCE) {
  return {
    access_token: accessToken,
    instance_url: instanceUrl,
    id: `${LOGIN}/id/${ORG_ID}/${USER_ID}`,
    token_type: 'Bearer',
    issued_at: '1763900000000',
    signature: 'c2lnbmF0dXJl',
    scope: 'api',
  };
}

/** The `/limits` call every connector makes before its first budgeted call. */
export function expectLimits(scope: nock.Scope, max = 100_000, remaining = max - 1200): nock.Scope {
  return scope.get(`${V}/limits`).reply(200, limitsBody(max, remaining), JSON_HEADERS);
}

/** The SOQL text of a nock-intercepted `/query?q=` request. */
export function soqlOf(uri: string): string {
  return new URL(uri, INSTANCE).searchParams.get('q') ?? '';
}

export function describeField(name: string, type: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    label: name,
    type,
    length: type === 'string' || type === 'textarea' || type === 'picklist' ? 255 : 0,
    createable: true,
    updateable: true,
    nillable: true,
    externalId: false,
    unique: false,
    custom: name.endsWith('__c'),
    restrictedPicklist: false,
    picklistValues: [] as Array<{ active: boolean; defaultValue: boolean; label: string; validFor: null; value: string }>,
    referenceTo: [],
    ...extra,
  };
}

export const picklistValues = (...values: string[]) => values.map((value) => ({ active: true, defaultValue: false, label: value, validFor: null, value }));

export { useNock } from '../../support/nock';
