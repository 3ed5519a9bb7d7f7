/**
 * Salesforce's two error shapes. Request-level errors are a JSON array of
 * `{message, errorCode, fields?}` with a 4xx/5xx status; record-level errors inside save
 * results use `{statusCode, message, fields}` (note: `statusCode`, not `errorCode`).
 */

/** One record's failure inside a save result. */
export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** One element of a request-level error body. */
export interface ApiErrorBody {
  message: string;
  errorCode: string;
  fields?: string[];
}

/** A request-level failure; route handlers throw it and the error handler renders it. */
export class SalesforceApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
    this.name = 'SalesforceApiError';
  }

  body(): ApiErrorBody[] {
    const item: ApiErrorBody = { message: this.message, errorCode: this.errorCode };
    if (this.fields) item.fields = this.fields;
    return [item];
  }

  /** A single-record operation failing with a record-level error answers 400 with it. */
  static fromRecordError(error: RecordError): SalesforceApiError {
    return new SalesforceApiError(400, error.statusCode, error.message, error.fields);
  }
}

export function recordError(statusCode: string, message: string, fields: string[] = []): RecordError {
  return { statusCode, message, fields };
}

export const ROLLED_BACK: RecordError = recordError(
  'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  'Record rolled back because not all records were valid and the request was using AllOrNone header',
);

export const notFound = (): SalesforceApiError =>
  new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');

export const invalidSession = (): SalesforceApiError =>
  new SalesforceApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

export const requestLimitExceeded = (): SalesforceApiError =>
  new SalesforceApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');

export const jsonParserError = (detail: string): SalesforceApiError =>
  new SalesforceApiError(400, 'JSON_PARSER_ERROR', detail);

export const invalidFieldOnWrite = (field: string, type: string): SalesforceApiError =>
  new SalesforceApiError(400, 'INVALID_FIELD', `No such column '${field}' on sobject of type ${type}`);

export const exceededIdLimit = (max: number): SalesforceApiError =>
  new SalesforceApiError(
    400,
    'EXCEEDED_ID_LIMIT',
    `record limit reached. cannot submit more than ${max} records into this call`,
  );
