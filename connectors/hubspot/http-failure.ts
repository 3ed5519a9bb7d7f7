/**
 * A non-2xx HubSpot answer, whichever way it reached us: the generated client throws an
 * `ApiException` (one class per API module, so it is recognised by shape), raw requests
 * throw {@link HubSpotHttpError}.
 */

/** HubSpot's error body: `{status:"error", message, correlationId, category, ...}`; 429s add `policyName`. */
export interface HubSpotErrorBody {
  status?: string;
  message?: string;
  correlationId?: string;
  category?: string;
  subCategory?: string;
  policyName?: string;
  errorType?: string;
  errors?: Array<{ message?: string; code?: string; in?: string; context?: Record<string, string[]> }>;
  context?: Record<string, string[]>;
}

export interface HttpFailure {
  status: number;
  body: HubSpotErrorBody | undefined;
  /** Header names in lower case. */
  headers: Record<string, string>;
}

export class HubSpotHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: HubSpotErrorBody | undefined,
    readonly headers: Record<string, string>,
  ) {
    super(`HubSpot answered ${status}${body?.category ? ` ${body.category}` : ''}`);
    this.name = 'HubSpotHttpError';
  }
}

function lowerCaseKeys(headers: unknown): Record<string, string> {
  if (!headers || typeof headers !== 'object') return {};
  return Object.fromEntries(Object.entries(headers as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

function bodyOf(body: unknown): HubSpotErrorBody | undefined {
  if (typeof body === 'string') {
    try {
      return bodyOf(JSON.parse(body));
    } catch {
      return undefined;
    }
  }
  return body && typeof body === 'object' ? (body as HubSpotErrorBody) : undefined;
}

/** The HTTP failure behind `error`, or undefined when it is not one (network error, bug). */
export function failureOf(error: unknown): HttpFailure | undefined {
  if (error instanceof HubSpotHttpError) return { status: error.status, body: error.body, headers: error.headers };
  const e = error as { code?: unknown; body?: unknown; headers?: unknown } | null;
  if (e && typeof e === 'object' && typeof e.code === 'number' && e.code >= 100 && e.code < 600 && 'body' in e) {
    return { status: e.code, body: bodyOf(e.body), headers: lowerCaseKeys(e.headers) };
  }
  return undefined;
}
