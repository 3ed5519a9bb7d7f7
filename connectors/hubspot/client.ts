/**
 * The `@hubspot/api-client` instance the connector uses, and raw JSON requests for the
 * endpoints the generated client has no typed API for (form submissions, e-mail events).
 */
import { Client } from '@hubspot/api-client';
import { HubSpotHttpError, type HubSpotErrorBody } from './http-failure';

export interface ClientConfig {
  accessToken: string;
  /** e.g. the sandbox's URL; HubSpot's public API host by default. */
  basePath: string;
}

type Crm = Client['crm'];

/** The typed APIs the connector calls, created once (see {@link createApis}). */
export interface HubSpotApis {
  client: Client;
  contactsSearch: Crm['contacts']['searchApi'];
  contactsBasic: Crm['contacts']['basicApi'];
  contactsBatch: Crm['contacts']['batchApi'];
  associationsBatch: Crm['associations']['v4']['batchApi'];
  objectsBatch: Crm['objects']['batchApi'];
  properties: Crm['properties']['coreApi'];
  propertyGroups: Crm['properties']['groupsApi'];
}

/**
 * A client with its own retries and limiter off: the connector retries itself so that every
 * HTTP attempt is budgeted and counted.
 *
 * The library keeps decorators (retries, limiter) in a process-wide singleton that each new
 * Client overwrites, and applies them when an API object is first created. The typed APIs
 * are therefore created here, right after this client set "no decorators", so that another
 * Client built later in the process (with retries) cannot change them. Raw requests
 * (`apiRequest`) read the singleton at call time: no other code in the process should build
 * a Client with `numberOfApiCallRetries` or `limiterOptions`.
 */
export function createApis(config: ClientConfig): HubSpotApis {
  const client = new Client({ accessToken: config.accessToken, basePath: config.basePath.replace(/\/+$/, ''), numberOfApiCallRetries: 0 });
  const crm = client.crm;
  return {
    client,
    contactsSearch: crm.contacts.searchApi,
    contactsBasic: crm.contacts.basicApi,
    contactsBatch: crm.contacts.batchApi,
    associationsBatch: crm.associations.v4.batchApi,
    objectsBatch: crm.objects.batchApi,
    properties: crm.properties.coreApi,
    propertyGroups: crm.properties.groupsApi,
  };
}

export interface RawRequest {
  method: 'GET' | 'POST';
  path: string;
  qs?: Record<string, string>;
  body?: unknown;
}

/** Sends a request through the client and returns its JSON body; a non-2xx answer throws HubSpotHttpError. */
export async function rawJson<T>(client: Client, request: RawRequest): Promise<T> {
  const response = await client.apiRequest({ method: request.method, path: request.path, ...(request.qs ? { qs: request.qs } : {}), ...(request.body !== undefined ? { body: request.body } : {}) });
  const text = await response.text();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  let parsed: unknown;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) throw new HubSpotHttpError(response.status, parsed as HubSpotErrorBody | undefined, headers);
  if (parsed === undefined) throw new HubSpotHttpError(502, { message: 'the answer was not JSON', category: 'NON_JSON_RESPONSE' }, headers);
  return parsed as T;
}
