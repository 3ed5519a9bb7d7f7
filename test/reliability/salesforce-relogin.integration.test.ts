/**
 * An expired Salesforce session meets a login endpoint that does not answer properly for a
 * moment (5xx, no answer): that is a transient failure, retried like any other, not a
 * credentials problem that stops the jobs for good. Found by the chaos run, where a backfill
 * chunk failed permanently after the session expiry.
 */
import express from 'express';
import { AuthConfigError, RetryableError } from '../../connectors/errors';
import { to18 } from '../../sandbox/salesforce';
import type { SeedSalesforceRecord } from '../../sandbox/dataset/types';
import { baseConfig, connector, redisFixture, rejection, type RedisFixture } from '../connectors/salesforce/helpers';
import { startSimulator, type RunningSimulator } from '../connectors/salesforce/sim';

const LEAD = to18('00Q7z0000000001');
const SEED: SeedSalesforceRecord[] = [{ sobject: 'Lead', id: LEAD, fields: { LastName: 'Quinn', Company: 'Helix Bio', Email: 'quinn@helix.example', HubSpot_Contact_Id__c: '5001' } }];
const CREDENTIALS = { clientId: 'lsync-app', clientSecret: 'app-secret', username: 'integration@lifecycle-sync.example', password: 'pw-and-token' };

let sim: RunningSimulator;
let redis: RedisFixture;
/** Logins to refuse next, and how. */
let broken: Array<'503' | 'drop'> = [];

beforeEach(async () => {
  broken = [];
  redis = redisFixture();
  sim = await startSimulator({ seedRecords: SEED, credentials: CREDENTIALS }, (app) =>
    express()
      .post('/services/oauth2/token', (req, res, next) => {
        const how = broken.shift();
        if (how === '503') return void res.status(503).json([{ errorCode: 'SERVER_UNAVAILABLE', message: 'Service Unavailable' }]);
        if (how === 'drop') return void req.socket.destroy();
        next();
      })
      .use(app),
  );
});
afterEach(async () => {
  await sim.close();
  await redis.close();
});

const sf = () =>
  connector(redis, baseConfig({
    SALESFORCE_LOGIN_URL: sim.url, SALESFORCE_USERNAME: CREDENTIALS.username, SALESFORCE_PASSWORD: CREDENTIALS.password,
    SALESFORCE_CLIENT_ID: CREDENTIALS.clientId, SALESFORCE_CLIENT_SECRET: CREDENTIALS.clientSecret,
  }));
const update = (c: ReturnType<typeof sf>, score: number) => c.updateRecords([{ key: '5001', sobject: 'Lead', id: LEAD, fields: { MQL_Score__c: score } }]);

test.each(['503', 'drop'] as const)('a session renewal that gets %s is retried like any transient failure: the same call logs in and writes', async (how) => {
  const c = sf();
  expect(await update(c, 10)).toEqual([{ key: '5001', ok: true, id: LEAD }]);
  sim.control.expireSessions();
  broken = [how];
  expect(await update(c, 20)).toEqual([{ key: '5001', ok: true, id: LEAD }]);
  expect(sim.control.record(LEAD)?.MQL_Score__c).toBe(20);
  expect(broken).toEqual([]);
});

test('when the login keeps failing for longer than a call retries, the call fails as retryable (the job retries later), not as a credentials problem', async () => {
  const c = sf();
  await update(c, 10);
  sim.control.expireSessions();
  // More failed logins than one call's attempts (4): several failures in a row never count as "Salesforce rejects every session".
  broken = ['503', 'drop', '503', '503', 'drop', '503'];
  const error = await rejection(update(c, 20));
  expect(error).toBeInstanceOf(RetryableError);
  expect(error.message).toMatch(/logging in again failed for now/);
  expect(await update(c, 40)).toEqual([{ key: '5001', ok: true, id: LEAD }]);
  expect(sim.control.record(LEAD)?.MQL_Score__c).toBe(40);
});

test('a renewal Salesforce refuses (wrong password now) is still an AuthConfigError that says what to fix', async () => {
  const c = sf();
  await update(c, 10);
  sim.control.expireSessions();
  CREDENTIALS.password = 'changed-by-an-admin';
  try {
    const error = await rejection(update(c, 20));
    expect(error).toBeInstanceOf(AuthConfigError);
    expect(error.message).toMatch(/SALESFORCE_PASSWORD/);
  } finally {
    CREDENTIALS.password = 'pw-and-token';
  }
});
