/**
 * Endpoint labels for call accounting, the same shape the simulator reports:
 * `GET /query`, `GET /query/{locator}`, `PATCH /composite/sobjects`,
 * `GET /sobjects/Lead/describe`, `POST /services/oauth2/token`, `GET /id/{id}/{id}`.
 */

const SALESFORCE_ID = /^[a-zA-Z0-9]{3}[0-9][a-zA-Z0-9]{11}([a-zA-Z0-9]{3})?$/;

export function endpointOf(method: string, url: string): string {
  let path: string;
  try {
    path = new URL(url, 'http://relative.invalid').pathname;
  } catch {
    path = url.split('?')[0] ?? url;
  }
  path = path.replace(/^\/services\/data\/v\d+\.\d+/, '') || '/';
  const parts = path.split('/');
  if ((parts[1] === 'query' || parts[1] === 'queryAll') && parts.length === 3) parts[2] = '{locator}';
  const normalised = parts.map((part) => (SALESFORCE_ID.test(part) ? '{id}' : part)).join('/');
  return `${method.toUpperCase()} ${normalised}`;
}
