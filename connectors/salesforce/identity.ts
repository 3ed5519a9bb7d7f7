/**
 * The connector's own Salesforce user, for recognising its own changes when they come back
 * (`LastModifiedById`). Learned once: from the login answer's identity URL, else the
 * configured id, else the identity URL the REST root names (two calls), else by username.
 */
import { AuthConfigError } from '../errors';
import type { SalesforceApi, SfRow } from './api';
import type { SalesforceSession } from './session';
import { quote } from './soql';

export interface IdentitySources {
  api: SalesforceApi;
  session: SalesforceSession;
  configuredUserId?: string;
  username?: string;
}

export async function learnIntegrationUser(sources: IdentitySources): Promise<string> {
  const { api, session } = sources;
  await session.connection();
  if (session.userId) return session.userId;
  if (sources.configuredUserId) return sources.configuredUserId;
  const root = await api.request<{ identity?: unknown }>('/');
  if (typeof root.identity === 'string') {
    const identity = await api.request<{ user_id?: unknown }>(root.identity);
    if (typeof identity.user_id === 'string') return identity.user_id;
  }
  if (sources.username) {
    const [user] = await api.queryAllRows<SfRow>(`SELECT Id FROM User WHERE Username = ${quote(sources.username)}`);
    if (user) return user.Id;
  }
  throw new AuthConfigError(
    'Cannot tell which Salesforce user the connector is, so its own changes would come back as sales decisions',
    'set SALESFORCE_INTEGRATION_USER_ID to the integration user id, or log in with SALESFORCE_USERNAME',
  );
}
