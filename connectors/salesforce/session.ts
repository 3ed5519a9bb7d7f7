/**
 * The jsforce Connection and its session: first login (or the configured token), renewal on
 * INVALID_SESSION_ID through jsforce's refresh delegate (which replays the request that hit
 * the expired session), and the user the session belongs to.
 */
import { Connection } from 'jsforce';
import jwt from 'jsonwebtoken';
import type { AuthPlan, LoginPlan } from './auth';
import { classify, type ClassifyContext } from './classify';
import type { ConnectorLogger } from './config';
import { CountingTransport, ServerError, TransportError } from './transport';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Consecutive renewals without one accepted call before the login counts as broken. */
const MAX_REFRESH_STREAK = 2;

export interface SessionOptions {
  plan: AuthPlan;
  apiVersion: string;
  requestTimeoutMs: number;
  classifyContext: ClassifyContext;
  logger: ConnectorLogger;
}

export class SalesforceSession {
  private ready: Promise<Connection> | undefined;
  private loggedInUserId: string | undefined;
  private refreshStreak = 0;
  private readonly transport: CountingTransport;

  constructor(private readonly options: SessionOptions) {
    this.transport = new CountingTransport({
      timeoutMs: options.requestTimeoutMs,
      onResponse: (status, endpoint) => {
        if (status !== 401 && !endpoint.includes('/oauth2/')) this.refreshStreak = 0;
      },
    });
  }

  /** The connection, logged in on first use; a failed login is retried on the next call. */
  connection(): Promise<Connection> {
    this.ready ??= this.open().catch((error: unknown) => {
      this.ready = undefined;
      throw classify(error, this.options.classifyContext);
    });
    return this.ready;
  }

  /** The user id the login answered with, when the session came from a login. */
  get userId(): string | undefined {
    return this.loggedInUserId;
  }

  private async open(): Promise<Connection> {
    const { plan, apiVersion } = this.options;
    const login = plan.login;
    const conn = new Connection({
      version: apiVersion,
      loginUrl: login?.loginUrl,
      instanceUrl: plan.initial?.instanceUrl,
      accessToken: plan.initial?.accessToken,
      oauth2: login?.kind === 'password' ? { loginUrl: login.loginUrl, clientId: login.clientId, clientSecret: login.clientSecret } : undefined,
      refreshFn: login
        ? (c, callback) => {
            this.renew(c, login).then(
              (token) => callback(null, token),
              (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
            );
          }
        : undefined,
    });
    conn._transport = this.transport;
    conn.oauth2._transport = this.transport;
    if (!plan.initial && login) await this.logIn(conn, login);
    return conn;
  }

  private async renew(conn: Connection, login: LoginPlan): Promise<string> {
    this.refreshStreak++;
    if (this.refreshStreak > MAX_REFRESH_STREAK) {
      throw new Error('Salesforce rejected every new session (check the user and connected app permissions)');
    }
    this.options.logger.info({ flow: login.kind }, 'Salesforce session expired; logging in again');
    try {
      await this.logIn(conn, login);
    } catch (error) {
      // A login that got no answer says nothing about the session: it does not count toward giving up.
      if (error instanceof ServerError || error instanceof TransportError) this.refreshStreak--;
      throw error;
    }
    return conn.accessToken as string;
  }

  private async logIn(conn: Connection, login: LoginPlan): Promise<void> {
    const info =
      login.kind === 'password'
        ? await conn.loginByOAuth2(login.username, login.password)
        : await conn.authorize({ grant_type: JWT_GRANT, assertion: jwtAssertion(login) });
    this.loggedInUserId = info.id;
  }
}

/** The JWT bearer assertion: issued by the connected app for the user, for the login host, valid 3 minutes. */
function jwtAssertion(login: Extract<LoginPlan, { kind: 'jwt' }>): string {
  return jwt.sign({ iss: login.clientId, sub: login.username, aud: login.loginUrl.replace(/\/+$/, '') }, login.privateKey, {
    algorithm: 'RS256',
    expiresIn: 180,
  });
}
