/** Logging in and renewing sessions through jsforce against the simulator's OAuth endpoint. */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuthConfigError } from '../../../connectors/errors';
import type { SeedSalesforceRecord } from '../../../sandbox/dataset/types';
import { to18 } from '../../../sandbox/salesforce';
import { baseConfig, collect, connector, redisFixture, rejection, type RedisFixture } from './helpers';
import { simCalls, startSimulator, type RunningSimulator } from './sim';

const LEAD = to18('00Q7z0000000001');
const SEED: SeedSalesforceRecord[] = [{ sobject: 'Lead', id: LEAD, fields: { LastName: 'Quinn', Company: 'Helix Bio', Email: 'quinn@helix.example', HubSpot_Contact_Id__c: '5001' } }];
const CREDENTIALS = { clientId: 'lsync-app', clientSecret: 'app-secret', username: 'integration@lifecycle-sync.example', password: 'pw-and-token' };
const passwordConfig = (url: string, overrides = {}) =>
  baseConfig({
    SALESFORCE_LOGIN_URL: url,
    SALESFORCE_USERNAME: CREDENTIALS.username,
    SALESFORCE_PASSWORD: CREDENTIALS.password,
    SALESFORCE_CLIENT_ID: CREDENTIALS.clientId,
    SALESFORCE_CLIENT_SECRET: CREDENTIALS.clientSecret,
    ...overrides,
  });

let sim: RunningSimulator;
let redis: RedisFixture;
beforeEach(() => {
  redis = redisFixture();
});
afterEach(async () => {
  await sim.close();
  await redis.close();
});

describe('username-password flow', () => {
  it('logs in, and when the session expires logs in again and replays the refused request once', async () => {
    sim = await startSimulator({ seedRecords: SEED, credentials: CREDENTIALS });
    const sf = connector(redis, passwordConfig(sim.url));
    expect((await sf.match([{ hubspotId: '5001', email: null }])).get('5001')?.record?.id).toBe(LEAD);
    expect(sim.control.expireSessions()).toBe(1);
    sim.control.resetStats();
    const [result] = await sf.updateRecords([{ key: '5001', sobject: 'Lead', id: LEAD, fields: { MQL_Score__c: 61 } }]);
    expect(result).toEqual({ key: '5001', ok: true, id: LEAD });
    expect(sim.control.record(LEAD)?.MQL_Score__c).toBe(61);
    const rows = sim.control.stats().requests.rows.map((r) => [r.endpoint, r.outcome, r.count]);
    expect(rows).toEqual([
      ['PATCH /composite/sobjects', '2xx', 1],
      ['PATCH /composite/sobjects', 'INVALID_SESSION_ID', 1],
      ['POST /services/oauth2/token', '2xx', 1],
    ]);
    // The integration user comes from the login answer: no identity call.
    const pages = await collect(sf.outcomesSince('Lead', null));
    expect(pages[0]?.changes[0]).toMatchObject({ hubspotId: '5001', byIntegrationUser: true });
  });

  it('a wrong password is an AuthConfigError naming what to check, and never echoes the password', async () => {
    sim = await startSimulator({ seedRecords: SEED, credentials: CREDENTIALS });
    const sf = connector(redis, passwordConfig(sim.url, { SALESFORCE_PASSWORD: 'wrong-password' }));
    const error = await rejection(sf.match([{ hubspotId: '5001', email: null }]));
    expect(error).toBeInstanceOf(AuthConfigError);
    expect(error.message).toMatch(/invalid_grant.*SALESFORCE_PASSWORD/s);
    expect(error.message).not.toContain('wrong-password');
  });

  it('stops renewing when every new session is refused at once (no refresh loop)', async () => {
    sim = await startSimulator({ seedRecords: SEED, sessionTtlMs: 0 });
    const sf = connector(redis, passwordConfig(sim.url));
    const error = await rejection(sf.match([{ hubspotId: '5001', email: null }]));
    expect(error).toBeInstanceOf(AuthConfigError);
    expect(simCalls(sim)['POST /services/oauth2/token']).toBeLessThanOrEqual(3);
  });
});

describe('access token only', () => {
  it('works until the token expires, then says which variables would let it log in again', async () => {
    sim = await startSimulator({ seedRecords: SEED });
    const sf = connector(redis, baseConfig({ SALESFORCE_INSTANCE_URL: sim.url, SALESFORCE_ACCESS_TOKEN: sim.control.issueToken() }));
    expect((await sf.match([{ hubspotId: '5001', email: null }])).get('5001')?.via).toBe('external_id');
    sim.control.expireSessions();
    const error = await rejection(sf.match([{ hubspotId: '5001', email: null }]));
    expect(error).toBeInstanceOf(AuthConfigError);
    expect(error.message).toContain('SALESFORCE_USERNAME');
    expect(error.message).toContain('SALESFORCE_PRIVATE_KEY');
  });

  it('renews through a configured login when the starting token expires, even if the login fails later', async () => {
    sim = await startSimulator({ seedRecords: SEED, credentials: CREDENTIALS });
    const token = sim.control.issueToken();
    const sf = connector(redis, passwordConfig(sim.url, { SALESFORCE_INSTANCE_URL: sim.url, SALESFORCE_ACCESS_TOKEN: token, SALESFORCE_PASSWORD: 'rotated-away' }));
    expect((await sf.match([{ hubspotId: '5001', email: null }])).get('5001')?.record?.id).toBe(LEAD);
    sim.control.expireSessions();
    const error = await rejection(sf.match([{ hubspotId: '5001', email: null }]));
    expect(error).toBeInstanceOf(AuthConfigError);
    expect(error.message).toContain('logging in again failed');
  });
});

describe('JWT bearer flow', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const jwtConfig = (url: string, key: string) =>
    baseConfig({ SALESFORCE_LOGIN_URL: url, SALESFORCE_USERNAME: CREDENTIALS.username, SALESFORCE_CLIENT_ID: CREDENTIALS.clientId, SALESFORCE_PRIVATE_KEY: key });

  it('logs in with an assertion the org verifies with the public key (key given as PEM text), and renews the same way', async () => {
    sim = await startSimulator({ seedRecords: SEED, credentials: { clientId: CREDENTIALS.clientId }, jwtPublicKey: publicKey });
    const sf = connector(redis, jwtConfig(sim.url, privateKey.replace(/\n/g, '\\n')));
    expect((await sf.match([{ hubspotId: '5001', email: null }])).get('5001')?.record?.id).toBe(LEAD);
    sim.control.expireSessions();
    expect((await sf.match([{ hubspotId: '5001', email: null }])).get('5001')?.record?.id).toBe(LEAD);
    expect(simCalls(sim)['POST /services/oauth2/token']).toBe(2);
  });

  it('reads the key from a file path; a key the org does not trust is an AuthConfigError', async () => {
    sim = await startSimulator({ seedRecords: SEED, jwtPublicKey: publicKey });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lsync-jwt-'));
    try {
      const file = path.join(dir, 'key.pem');
      writeFileSync(file, privateKey);
      const sf = connector(redis, jwtConfig(sim.url, file));
      expect((await sf.match([{ hubspotId: '5001', email: null }])).get('5001')?.via).toBe('external_id');
      const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
      const untrusted = connector(redis, jwtConfig(sim.url, other.privateKey));
      const error = await rejection(untrusted.match([{ hubspotId: '5001', email: null }]));
      expect(error).toBeInstanceOf(AuthConfigError);
      expect(error.message).toContain('SALESFORCE_PRIVATE_KEY');
      expect(error.message).not.toContain('PRIVATE KEY-----');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
