/**
 * SOQL text built safely: quoted string literals, date-time literals, and batched
 * `IN (...)` queries cut so that each statement fits in the URL jsforce sends it in.
 */

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** A SOQL string literal. */
export function quote(value: string): string {
  return `'${value.replace(/[\\'"\n\r\t\b\f]/g, (c) => ESCAPES[c] as string)}'`;
}

/** `a, b, c` of quoted literals, for `IN (...)`. */
export function quoteList(values: readonly string[]): string {
  return values.map(quote).join(',');
}

/** A date-time literal (unquoted, UTC, with milliseconds). */
export function dateTimeLiteral(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export interface QueryLimits {
  /** Longest SOQL statement. */
  maxSoqlLength: number;
  /** Longest statement once URL-encoded (the `q` parameter). */
  maxEncodedQueryLength: number;
}

export function fits(soql: string, limits: QueryLimits): boolean {
  return soql.length <= limits.maxSoqlLength && encodeURIComponent(soql).length <= limits.maxEncodedQueryLength;
}

/**
 * Cuts `items` into consecutive chunks, each as large as possible while `build(chunk)` fits
 * the limits, and returns one statement per chunk. Throws when one item alone cannot fit
 * (a programming error: callers leave out values longer than any field could hold).
 */
export function chunkedQueries<T>(items: readonly T[], build: (chunk: readonly T[]) => string, limits: QueryLimits): string[] {
  const queries: string[] = [];
  let start = 0;
  while (start < items.length) {
    let end = start + 1;
    let soql = build(items.slice(start, end));
    if (!fits(soql, limits)) throw new Error(`one value makes a ${soql.length}-character query, over the limit`);
    // Grow by doubling, then narrow down by bisection: O(log n) builds per chunk.
    let step = 1;
    while (end < items.length) {
      const next = Math.min(items.length, end + step);
      const candidate = build(items.slice(start, next));
      if (!fits(candidate, limits)) break;
      end = next;
      soql = candidate;
      step *= 2;
    }
    let low = end;
    let high = Math.min(items.length, end + step);
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      const candidate = build(items.slice(start, mid));
      if (fits(candidate, limits)) {
        low = mid;
        soql = candidate;
      } else high = mid;
    }
    end = low;
    queries.push(soql);
    start = end;
  }
  return queries;
}
