/** SOQL errors carrying where they happened, rendered the way Salesforce shows them. */
import { SalesforceApiError } from '../errors';

export type SoqlErrorCode = 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE' | 'INVALID_QUERY_FILTER_OPERATOR';

export class SoqlError extends Error {
  constructor(
    readonly code: SoqlErrorCode,
    readonly detail: string,
    /** 0-based offset in the query, or undefined for errors about the whole statement. */
    readonly pos?: number,
  ) {
    super(detail);
    this.name = 'SoqlError';
  }

  /**
   * The 400 answer: the offending line, a caret under the column, then
   * `ERROR at Row:r:Column:c` and the detail, like the real API.
   */
  toApiError(soql: string): SalesforceApiError {
    if (this.pos === undefined) return new SalesforceApiError(400, this.code, this.detail);
    const before = soql.slice(0, this.pos);
    const row = before.split('\n').length;
    const lineStart = before.lastIndexOf('\n') + 1;
    const column = this.pos - lineStart + 1;
    const lineEnd = soql.indexOf('\n', this.pos);
    const line = soql.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
    const message = `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${this.detail}`;
    return new SalesforceApiError(400, this.code, message);
  }
}
