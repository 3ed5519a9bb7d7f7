/**
 * The one HTTP path of the connector. jsforce's own transport retries some statuses and
 * network errors silently and follows redirects, which would hide calls from the accounting
 * and from the budget; this one makes exactly one HTTP call per request, counts it, bounds
 * it with a timeout, and turns 5xx answers and network failures into errors the connector
 * retries itself.
 */
import type { HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce';
// The package root exports only the default object at run time: deep imports reach the classes.
import { StreamPromise } from 'jsforce/lib/util/promise';
import { Transport } from 'jsforce/lib/transport';
import { countCall } from '../accounting';
import { endpointOf } from './endpoints';

/** Salesforce answered 5xx: worth another try. */
export class ServerError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
  ) {
    super(`Salesforce answered ${status} ${errorCode}`);
    this.name = 'ServerError';
  }
}

/** No answer: connection refused or dropped, or the timeout passed. */
export class TransportError extends Error {
  constructor(message: string, options: { cause: Error }) {
    super(message, options);
    this.name = 'TransportError';
  }
}

export interface CountingTransportOptions {
  timeoutMs: number;
  /** Sees every answer (status and endpoint), e.g. to end a run of session refreshes. */
  onResponse?(status: number, endpoint: string): void;
}

export class CountingTransport extends Transport {
  constructor(private readonly options: CountingTransportOptions) {
    super();
  }

  override httpRequest(req: HttpRequest, options: HttpRequestOptions = {}): StreamPromise<HttpResponse> {
    const endpoint = endpointOf(req.method, req.url);
    const inner = super.httpRequest(req, {
      ...options,
      timeout: this.options.timeoutMs,
      followRedirect: false,
      retry: { ...options.retry, methods: [] },
    });
    const counted = inner.then(
      (response) => {
        countCall('salesforce', endpoint, outcomeOf(response));
        this.options.onResponse?.(response.statusCode, endpoint);
        if (response.statusCode >= 500) throw new ServerError(response.statusCode, errorCodeOf(response) ?? `HTTP_${response.statusCode}`);
        return response;
      },
      (error: unknown) => {
        const timedOut = error instanceof Error && /abort|timeout/i.test(`${error.name} ${error.message}`);
        countCall('salesforce', endpoint, timedOut ? 'timeout' : 'no_response');
        // The cause keeps the failure's kind only: fetch's message holds the URL, and a query URL holds e-mails.
        const code = (error as { code?: unknown } | null)?.code;
        const cause = new Error(`${error instanceof Error ? error.name : 'Error'}${typeof code === 'string' ? ` ${code}` : ''}`);
        throw new TransportError(`${endpoint}: ${timedOut ? 'no answer within the timeout' : 'connection failed'}`, { cause });
      },
    );
    // HttpApi reads the response through this promise and pipes from its stream.
    return StreamPromise.create(() => ({ stream: inner.stream(), promise: counted }));
  }
}

function outcomeOf(response: HttpResponse): string {
  if (response.statusCode < 400) return 'ok';
  return errorCodeOf(response) ?? `${Math.floor(response.statusCode / 100)}xx`;
}

/** `errorCode` of a REST error array, or `error` of an OAuth error body. */
function errorCodeOf(response: HttpResponse): string | undefined {
  try {
    const body: unknown = JSON.parse(response.body);
    const first: unknown = Array.isArray(body) ? body[0] : body;
    if (first && typeof first === 'object') {
      const { errorCode, error } = first as { errorCode?: unknown; error?: unknown };
      if (typeof errorCode === 'string') return errorCode;
      if (typeof error === 'string') return error;
    }
  } catch {
    // not JSON (an HTML error page from a proxy): the status class says enough
  }
  return undefined;
}
