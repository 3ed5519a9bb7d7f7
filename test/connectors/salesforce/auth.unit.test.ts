/** Auth with nock: configuration checks, session renewal with replay, the JWT assertion. */
import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import nock from 'nock';
import { AuthConfigError } from '../../../connectors/errors';
import { resolveAuth } from '../../../connectors/salesforce/auth';
import { baseConfig, connector, redisFixture, rejection, type RedisFixture } from './helpers';
import { apiError, expectLimits, INSTANCE, JSON_HEADERS, LOGIN, queryPage, saved, tokenBody, V, useNock } from './fixtures';

const EXPIRED = apiError('INVALID_SESSION_ID', 'Session expired or invalid');
const PASSWORD = {
  SALESFORCE_USERNAME: 'integration@helix.example',
  SALESFORCE_PASSWORD: 'hunter2SECURITYTOKEN',
  SALESFORCE_CLIENT_ID: '3MVG9-consumer-key',
  SALESFORCE_CLIENT_SECRET: 'consumer-secret',
};

describe('resolveAuth', () => {
  it('names the variables to set when nothing usable is configured', () => {
    const error = rejectionSync(() => resolveAuth(baseConfig()));
    expect(error).toBeInstanceOf(AuthConfigError);
    expect(error.message).toMatch(/SALESFORCE_USERNAME.*SALESFORCE_CLIENT_ID.*SALESFORCE_PRIVATE_KEY.*SALESFORCE_PASSWORD.*SALESFORCE_CLIENT_SECRET.*SALESFORCE_ACCESS_TOKEN.*SALESFORCE_INSTANCE_URL/s);
  });

  it.each([
    [{ SALESFORCE_ACCESS_TOKEN: 't' }, 'SALESFORCE_INSTANCE_URL'],
    [{ SALESFORCE_USERNAME: 'u', SALESFORCE_PASSWORD: 'p' }, 'SALESFORCE_CLIENT_ID'],
    [{ SALESFORCE_USERNAME: 'u', SALESFORCE_PASSWORD: 'p', SALESFORCE_CLIENT_ID: 'c' }, 'SALESFORCE_CLIENT_SECRET'],
    [{ SALESFORCE_USERNAME: 'u', SALESFORCE_CLIENT_ID: 'c' }, 'SALESFORCE_PRIVATE_KEY'],
  ])('%j -> asks for %s', (config, variable) => {
    expect(rejectionSync(() => resolveAuth(baseConfig(config))).message).toContain(variable);
  });

  it('never echoes a private key that is not one', () => {
    const secret = 'not-a-key-but-secret-material-0123456789';
    const error = rejectionSync(() => resolveAuth(baseConfig({ SALESFORCE_USERNAME: 'u', SALESFORCE_CLIENT_ID: 'c', SALESFORCE_PRIVATE_KEY: secret })));
    expect(error).toBeInstanceOf(AuthConfigError);
    expect(error.message).not.toContain(secret);
  });

  it('prefers the JWT bearer flow when a key is given, and starts from a configured token', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const plan = resolveAuth(baseConfig({ ...PASSWORD, SALESFORCE_PRIVATE_KEY: privateKey, SALESFORCE_ACCESS_TOKEN: 't', SALESFORCE_INSTANCE_URL: INSTANCE }));
    expect(plan.login?.kind).toBe('jwt');
    expect(plan.initial).toEqual({ instanceUrl: INSTANCE, accessToken: 't' });
  });
});

describe('sessions over HTTP', () => {
  let redis: RedisFixture;
  useNock();
  beforeEach(() => {
    redis = redisFixture();
  });
  afterEach(async () => {
    await redis.close();
  });

  it('username-password: logs in, renews on INVALID_SESSION_ID and replays the same request once with the new token', async () => {
    const tokenBodies: string[] = [];
    const login = nock(LOGIN)
      .post('/services/oauth2/token', (body: Record<string, string>) => tokenBodies.push(new URLSearchParams(body).toString()) > 0)
      .reply(200, tokenBody('00Dxx!first'), JSON_HEADERS)
      .post('/services/oauth2/token')
      .reply(200, tokenBody('00Dxx!second'), JSON_HEADERS);
    const bodies: unknown[] = [];
    const api = nock(INSTANCE)
      .get(`${V}/limits`)
      .matchHeader('authorization', 'Bearer 00Dxx!first')
      .reply(200, { DailyApiRequests: { Max: 100000, Remaining: 99000 } }, JSON_HEADERS)
      .patch(`${V}/composite/sobjects`, (b: unknown) => bodies.push(b) > 0)
      .matchHeader('authorization', 'Bearer 00Dxx!first')
      .reply(401, EXPIRED, JSON_HEADERS)
      .patch(`${V}/composite/sobjects`, (b: unknown) => bodies.push(b) > 0)
      .matchHeader('authorization', 'Bearer 00Dxx!second')
      .reply(200, [saved('00Q5g00000Aa001AAA')], JSON_HEADERS);
    const sf = connector(redis, baseConfig({ SALESFORCE_LOGIN_URL: LOGIN, ...PASSWORD }));
    const results = await sf.updateRecords([{ key: 'h1', sobject: 'Lead', id: '00Q5g00000Aa001AAA', fields: { MQL__c: true } }]);
    expect(results).toEqual([{ key: 'h1', ok: true, id: '00Q5g00000Aa001AAA' }]);
    expect(login.isDone() && api.isDone()).toBe(true);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toEqual(bodies[0]);
    expect(tokenBodies[0]).toContain('grant_type=password');
  });

  it('a renewal the org refuses is an AuthConfigError that says what to check', async () => {
    nock(LOGIN)
      .post('/services/oauth2/token')
      .reply(400, { error: 'invalid_grant', error_description: 'authentication failure' }, JSON_HEADERS);
    nock(INSTANCE).get(`${V}/limits`).reply(401, EXPIRED, JSON_HEADERS);
    const sf = connector(redis, baseConfig({ SALESFORCE_LOGIN_URL: LOGIN, SALESFORCE_INSTANCE_URL: INSTANCE, SALESFORCE_ACCESS_TOKEN: '00Dxx!old', ...PASSWORD }));
    const error = await rejection(sf.match([{ hubspotId: '1', email: null }]));
    expect(error).toBeInstanceOf(AuthConfigError);
    expect(error.message).toContain('logging in again failed (authentication failure)');
    expect(error.message).toContain('SALESFORCE_PASSWORD');
    expect(error.message).not.toContain(PASSWORD.SALESFORCE_PASSWORD);
  });

  it('access token only: a 401 is an AuthConfigError naming the variables that would allow a new login', async () => {
    const scope = expectLimits(nock(INSTANCE)).get(`${V}/query`).query(true).reply(401, EXPIRED, JSON_HEADERS);
    const sf = connector(redis, baseConfig({ SALESFORCE_INSTANCE_URL: INSTANCE, SALESFORCE_ACCESS_TOKEN: '00Dxx!token' }));
    const error = await rejection(sf.match([{ hubspotId: '1', email: null }]));
    expect(scope.isDone()).toBe(true);
    expect(error).toBeInstanceOf(AuthConfigError);
    expect(error.message).toMatch(/no way to log in again.*SALESFORCE_USERNAME.*SALESFORCE_PRIVATE_KEY/s);
  });

  it('JWT bearer: posts an RS256 assertion for the user, issued by the connected app, for the login host, short-lived', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    let params = new URLSearchParams();
    nock(LOGIN)
      .post('/services/oauth2/token', (body: Record<string, string>) => {
        params = new URLSearchParams(body);
        return true;
      })
      .reply(200, tokenBody('00Dxx!jwt'), JSON_HEADERS);
    expectLimits(nock(INSTANCE).matchHeader('authorization', 'Bearer 00Dxx!jwt'))
      .get(`${V}/query`)
      .query(true)
      .twice()
      .reply(200, queryPage('Lead', []), JSON_HEADERS);
    const sf = connector(redis, baseConfig({ SALESFORCE_LOGIN_URL: LOGIN, SALESFORCE_USERNAME: 'integration@helix.example', SALESFORCE_CLIENT_ID: '3MVG9-consumer-key', SALESFORCE_PRIVATE_KEY: privateKey }));
    await sf.match([{ hubspotId: '1', email: null }]);
    expect(params.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const claims = jwt.verify(params.get('assertion') ?? '', publicKey, { algorithms: ['RS256'] }) as jwt.JwtPayload;
    expect(claims).toMatchObject({ iss: '3MVG9-consumer-key', sub: 'integration@helix.example', aud: LOGIN });
    expect((claims.exp ?? 0) - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(180);
  });
});

function rejectionSync(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}
