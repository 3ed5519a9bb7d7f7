/**
 * Which way the connector logs in, decided once from the configuration, and the credentials
 * it needs. A configuration that cannot work fails here, naming the variables to set.
 */
import { readFileSync } from 'node:fs';
import { AuthConfigError } from '../errors';
import type { SalesforceConnectorConfig } from './config';

/** How a new session is obtained when the current one is missing or expired. */
export type LoginPlan =
  | { kind: 'jwt'; loginUrl: string; clientId: string; username: string; privateKey: string }
  | { kind: 'password'; loginUrl: string; clientId: string; clientSecret: string; username: string; password: string };

export interface AuthPlan {
  /** A session to start with (its instance URL and token), when one is configured. */
  initial?: { instanceUrl: string; accessToken: string };
  /** How to log in (again); undefined when only an access token is configured. */
  login?: LoginPlan;
  /** What to tell the admin when Salesforce refuses the session or the login. */
  fix: string;
}

const ALL_OPTIONS =
  'set SALESFORCE_USERNAME and SALESFORCE_CLIENT_ID with SALESFORCE_PRIVATE_KEY (JWT bearer flow) or with SALESFORCE_PASSWORD and SALESFORCE_CLIENT_SECRET (username-password flow), so the connector can log in and renew its session; or set a fresh SALESFORCE_ACCESS_TOKEN with SALESFORCE_INSTANCE_URL';

export function resolveAuth(config: SalesforceConnectorConfig): AuthPlan {
  const initial =
    config.SALESFORCE_ACCESS_TOKEN && config.SALESFORCE_INSTANCE_URL
      ? { instanceUrl: config.SALESFORCE_INSTANCE_URL, accessToken: config.SALESFORCE_ACCESS_TOKEN }
      : undefined;
  if (config.SALESFORCE_ACCESS_TOKEN && !config.SALESFORCE_INSTANCE_URL) {
    throw new AuthConfigError('SALESFORCE_ACCESS_TOKEN is set without the instance it belongs to', 'set SALESFORCE_INSTANCE_URL (e.g. the My Domain URL of the org)');
  }
  const login = loginPlan(config);
  if (!initial && !login) throw new AuthConfigError('No usable Salesforce credentials', ALL_OPTIONS);
  const fix = login
    ? login.kind === 'jwt'
      ? 'check SALESFORCE_USERNAME, SALESFORCE_CLIENT_ID and SALESFORCE_PRIVATE_KEY (the connected app must hold the matching certificate and the user must be pre-authorised), and SALESFORCE_LOGIN_URL'
      : 'check SALESFORCE_USERNAME, SALESFORCE_PASSWORD (with the security token appended when the org requires it), SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET and SALESFORCE_LOGIN_URL'
    : ALL_OPTIONS;
  return { initial, login, fix };
}

function loginPlan(config: SalesforceConnectorConfig): LoginPlan | undefined {
  const { SALESFORCE_USERNAME: username, SALESFORCE_CLIENT_ID: clientId, SALESFORCE_LOGIN_URL: loginUrl } = config;
  if (!username) return undefined;
  if (!clientId) throw new AuthConfigError('SALESFORCE_USERNAME is set without a connected app', 'set SALESFORCE_CLIENT_ID (the connected app consumer key)');
  if (config.SALESFORCE_PRIVATE_KEY) {
    return { kind: 'jwt', loginUrl, clientId, username, privateKey: readPrivateKey(config.SALESFORCE_PRIVATE_KEY) };
  }
  if (config.SALESFORCE_PASSWORD) {
    if (!config.SALESFORCE_CLIENT_SECRET) {
      throw new AuthConfigError('The username-password flow needs the connected app secret', 'set SALESFORCE_CLIENT_SECRET (or use the JWT bearer flow with SALESFORCE_PRIVATE_KEY)');
    }
    return { kind: 'password', loginUrl, clientId, clientSecret: config.SALESFORCE_CLIENT_SECRET, username, password: config.SALESFORCE_PASSWORD };
  }
  throw new AuthConfigError('SALESFORCE_USERNAME is set without a way to log in', 'set SALESFORCE_PRIVATE_KEY (JWT bearer flow) or SALESFORCE_PASSWORD and SALESFORCE_CLIENT_SECRET (username-password flow)');
}

/**
 * PEM text (newlines possibly written as `\n`, as environment files often do) or the path of
 * a PEM file. Never echoes the value: it may be the key itself.
 */
function readPrivateKey(value: string): string {
  const text = value.includes('-----BEGIN') ? value : readKeyFile(value);
  const pem = text.replace(/\\n/g, '\n').trim();
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+-----END [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    throw new AuthConfigError('SALESFORCE_PRIVATE_KEY is not a PEM private key', 'set it to the PEM text of the key (BEGIN ... PRIVATE KEY) or to the path of a PEM file');
  }
  return pem;
}

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new AuthConfigError('SALESFORCE_PRIVATE_KEY is neither PEM text nor a readable file', 'set it to the PEM text of the key or to the path of a readable PEM file');
  }
}
