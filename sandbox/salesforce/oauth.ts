/**
 * `POST /services/oauth2/token` for the username-password, JWT bearer and refresh-token
 * grants, and `POST /services/oauth2/revoke`. Answers and errors use Salesforce's shapes
 * (`{access_token, instance_url, id, token_type, issued_at, signature}`;
 * 400 `{error, error_description}`).
 */
import { createHmac } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import jwt from 'jsonwebtoken';
import type { Sessions } from './sessions';

export interface OAuthOptions {
  sessions: Sessions;
  /** 18-character org id, part of the identity URL. */
  orgId: string;
  /** Base URL clients call; undefined = derived from each request's Host. */
  instanceUrl?: string;
  /** User id for a username; unknown usernames act as `defaultUserId`. */
  userIdFor(username: string | undefined): string;
  /** When set, these are checked; otherwise any non-empty values are accepted. */
  credentials?: { clientId?: string; clientSecret?: string; username?: string; password?: string };
  /** PEM public key verifying JWT assertions (RS256); without it any signature passes. */
  jwtPublicKey?: string;
  clock: () => number;
}

class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

export function oauthRouter(options: OAuthOptions): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '64kb' }));

  router.post('/token', (req: Request, res: Response) => {
    const params = (req.body ?? {}) as Record<string, string | undefined>;
    try {
      const userId = authenticate(options, params);
      const { token, issuedAt } = options.sessions.issue(userId);
      const instanceUrl = options.instanceUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
      const id = `${instanceUrl}/id/${options.orgId}/${userId}`;
      const signature = createHmac('sha256', options.credentials?.clientSecret ?? 'sandbox')
        .update(id + String(issuedAt))
        .digest('base64');
      res.json({
        access_token: token,
        instance_url: instanceUrl,
        id,
        token_type: 'Bearer',
        issued_at: String(issuedAt),
        signature,
        scope: 'api',
      });
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      res.status(error.status).json({ error: error.error, error_description: error.description });
    }
  });

  router.post('/revoke', (req: Request, res: Response) => {
    const token = (req.body as Record<string, string | undefined> | undefined)?.token;
    if (!token) {
      res.status(400).json({ error: 'unsupported_token_type', error_description: 'this token type is not supported' });
      return;
    }
    options.sessions.revoke(token);
    res.status(200).end();
  });

  return router;
}

function authenticate(options: OAuthOptions, params: Record<string, string | undefined>): string {
  const expected = options.credentials ?? {};
  const client = (): void => {
    if (!params.client_id || (expected.clientId && params.client_id !== expected.clientId)) {
      throw new OAuthError('invalid_client_id', 'client identifier invalid');
    }
  };
  switch (params.grant_type) {
    case 'password': {
      client();
      if (!params.client_secret || (expected.clientSecret && params.client_secret !== expected.clientSecret)) {
        throw new OAuthError('invalid_client', 'invalid client credentials');
      }
      const badUser = !params.username || (expected.username && params.username !== expected.username);
      const badPassword = !params.password || (expected.password && params.password !== expected.password);
      if (badUser || badPassword) throw new OAuthError('invalid_grant', 'authentication failure');
      return options.userIdFor(params.username);
    }
    case 'urn:ietf:params:oauth:grant-type:jwt-bearer':
      return options.userIdFor(verifyAssertion(options, params.assertion));
    case 'refresh_token':
      client();
      if (!params.refresh_token) throw new OAuthError('invalid_grant', 'expired access/refresh token');
      return options.userIdFor(undefined);
    default:
      throw new OAuthError('unsupported_grant_type', 'grant type not supported');
  }
}

/** Checks a JWT bearer assertion and returns its subject (the username). */
function verifyAssertion(options: OAuthOptions, assertion: string | undefined): string {
  if (!assertion) throw new OAuthError('invalid_grant', 'invalid assertion');
  let payload: jwt.JwtPayload | string | null;
  try {
    payload = options.jwtPublicKey
      ? jwt.verify(assertion, options.jwtPublicKey, { algorithms: ['RS256'], ignoreExpiration: true })
      : jwt.decode(assertion);
  } catch {
    throw new OAuthError('invalid_grant', 'invalid assertion');
  }
  if (!payload || typeof payload === 'string') throw new OAuthError('invalid_grant', 'invalid assertion');
  const { iss, sub, aud, exp } = payload;
  if (!iss || !sub || !aud || typeof exp !== 'number') throw new OAuthError('invalid_grant', 'invalid assertion');
  if (exp * 1000 <= options.clock()) throw new OAuthError('invalid_grant', 'expired authorization code');
  if (options.credentials?.clientId && iss !== options.credentials.clientId) {
    throw new OAuthError('invalid_client_id', 'client identifier invalid');
  }
  return sub;
}
