import { generateKeyPairSync } from 'node:crypto';
import * as jsforce from 'jsforce';
import jwt from 'jsonwebtoken';
import { DEFAULT_USERS } from '../../sandbox/salesforce';
import { rejection, startSalesforce, type Harness } from './salesforce-harness';

const INTEGRATION = DEFAULT_USERS[0]!;
const oauth2 = (h: Harness) => ({ loginUrl: h.url, clientId: 'lifecycle-sync', clientSecret: 'shh' });

describe('OAuth flows', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let h: Harness;
  beforeAll(async () => {
    h = await startSalesforce({
      credentials: { clientId: 'lifecycle-sync', clientSecret: 'shh', password: 'correct horse' },
      jwtPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
  });
  afterAll(() => h.close());

  it('logs in with the username-password flow and uses the returned instance URL', async () => {
    const conn = new jsforce.Connection({ oauth2: oauth2(h), version: '60.0' });
    const user = await conn.login(INTEGRATION.Username, 'correct horse');
    expect(user).toEqual({ id: INTEGRATION.Id, organizationId: expect.stringMatching(/^00D/), url: `${h.url}/id/${user.organizationId}/${INTEGRATION.Id}` });
    expect(conn.instanceUrl).toBe(h.url);
    expect(conn.accessToken).toMatch(/^00D[a-zA-Z0-9]{12}!AQ/);
    expect((await conn.query('SELECT Id, Username FROM User')).totalSize).toBe(DEFAULT_USERS.length);
    expect(await conn.identity()).toMatchObject({ user_id: INTEGRATION.Id, organization_id: user.organizationId, username: INTEGRATION.Username });
    const wrong = await rejection(new jsforce.Connection({ oauth2: oauth2(h), version: '60.0' }).login(INTEGRATION.Username, 'nope'));
    expect(wrong.name).toBe('invalid_grant');
    expect(wrong.message).toBe('authentication failure');
  });

  it('accepts a well-formed JWT bearer assertion signed with the configured key', async () => {
    const sign = (claims: object, key = privateKey) => jwt.sign(claims, key.export({ type: 'pkcs8', format: 'pem' }), { algorithm: 'RS256' });
    const claims = { iss: 'lifecycle-sync', sub: DEFAULT_USERS[1]!.Username, aud: h.url, exp: Math.floor(Date.now() / 1000) + 180 };
    const conn = new jsforce.Connection({ oauth2: { loginUrl: h.url, clientId: 'lifecycle-sync' }, version: '60.0' });
    const user = await conn.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: sign(claims) });
    expect(user.id).toBe(DEFAULT_USERS[1]!.Id);
    await conn.sobject('Lead').create({ LastName: 'ByJwt', Company: 'C' });
    const { records } = await conn.query("SELECT CreatedById FROM Lead WHERE LastName = 'ByJwt'");
    expect(records[0]?.CreatedById).toBe(DEFAULT_USERS[1]!.Id);

    const { privateKey: otherKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const bad = [
      sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }),
      sign({ ...claims, sub: undefined }),
      sign(claims, otherKey),
      'not.a.jwt',
    ];
    for (const assertion of bad) {
      const error = await rejection(conn.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }));
      expect(error.name).toBe('invalid_grant');
    }
  });
});

describe('sessions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSalesforce();
  });
  afterAll(() => h.close());

  it('answers INVALID_SESSION_ID after the sessions are expired', async () => {
    const conn = h.connect('static-token');
    await conn.query('SELECT Id FROM Lead');
    const response = await fetch(`${h.url}/__sandbox/salesforce/expire-sessions`, { method: 'POST' });
    expect(await response.json()).toEqual({ expired: 1 });
    const error = await rejection(conn.query('SELECT Id FROM Lead'));
    expect(error.errorCode).toBe('INVALID_SESSION_ID');
    expect(error.data).toEqual({ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' });
    expect((await h.connect('a-new-token').query('SELECT Id FROM Lead')).done).toBe(true);
  });

  it('lets jsforce log in again after expiry when it logged in with a password', async () => {
    const conn = new jsforce.Connection({ oauth2: oauth2(h), version: '60.0' });
    await conn.login(INTEGRATION.Username, 'any');
    const before = conn.accessToken;
    h.control.expireSessions();
    expect((await conn.query('SELECT Id FROM Lead')).done).toBe(true);
    expect(conn.accessToken).not.toBe(before);
  });

  it('refreshes with a refresh token and replays the request', async () => {
    const conn = new jsforce.Connection({ oauth2: oauth2(h), instanceUrl: h.url, accessToken: 'stale', refreshToken: 'refresh-me', version: '60.0' });
    const refreshed: string[] = [];
    conn.on('refresh', (token: string) => refreshed.push(token));
    await conn.query('SELECT Id FROM Lead');
    h.control.expireSessions();
    expect((await conn.query('SELECT Id FROM Lead')).done).toBe(true);
    expect(refreshed).toHaveLength(1);
    expect(conn.accessToken).toBe(refreshed[0]);
  });

  it('expires tokens after sessionTtlMs', async () => {
    let now = Date.UTC(2026, 10, 23, 9);
    const ttl = await startSalesforce({ sessionTtlMs: 60_000, clock: () => now });
    try {
      const conn = ttl.connect(ttl.control.issueToken());
      await conn.query('SELECT Id FROM Lead');
      now += 59_000;
      await conn.query('SELECT Id FROM Lead');
      now += 1_000;
      expect((await rejection(conn.query('SELECT Id FROM Lead'))).errorCode).toBe('INVALID_SESSION_ID');
    } finally {
      await ttl.close();
    }
  });
});

describe('API allocation', () => {
  it('reports usage in Sforce-Limit-Info and /limits, and refuses calls once spent', async () => {
    const h = await startSalesforce({ dailyLimit: 5 });
    try {
      const conn = h.connect();
      await conn.query('SELECT Id FROM Lead');
      expect(conn.limitInfo).toEqual({ apiUsage: { used: 1, limit: 5 } });
      const limits = await conn.limits();
      expect(limits.DailyApiRequests).toEqual({ Max: 5, Remaining: 3 });
      // Control endpoints and OAuth are not charged.
      await fetch(`${h.url}/__sandbox/stats`);
      await new jsforce.Connection({ oauth2: oauth2(h), version: '60.0' }).login('someone', 'pw');
      await conn.query('SELECT Id FROM Lead');
      expect(conn.limitInfo.apiUsage).toEqual({ used: 3, limit: 5 });
      await conn.query('SELECT Id FROM Lead');
      await conn.query('SELECT Id FROM Lead');
      const error = await rejection(conn.query('SELECT Id FROM Lead'));
      expect(error.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
      expect(error.data).toEqual({ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' });
      expect(h.control.usage.used()).toBe(5);
      const stats = h.control.stats();
      expect(stats.requests.byOutcome).toEqual({ '2xx': 6, REQUEST_LIMIT_EXCEEDED: 1 });
      expect(stats.requests.byEndpoint).toMatchObject({ 'GET /query': 5, 'GET /limits': 1, 'POST /services/oauth2/token': 1 });
    } finally {
      await h.close();
    }
  });
});
