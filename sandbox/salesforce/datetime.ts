/**
 * Date and date-time values as Salesforce writes and reads them. Internally a dateTime is
 * epoch milliseconds and a date is `YYYY-MM-DD`; responses use `2026-11-23T10:00:00.000+0000`.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Accepted on input: Z, +hh:mm, +hhmm, optional fraction of a second.
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

/** `2026-11-23T10:00:00.000+0000` for epoch ms. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** Epoch ms for an ISO-8601 date-time with an explicit zone, or undefined when malformed. */
export function parseDateTime(text: string): number | undefined {
  const m = DATETIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = m;
  const ms = fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (!validDate(Number(y), Number(mo), Number(d)) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return undefined;
  }
  if (zone === 'Z' || zone === undefined) return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offset = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  return utc - sign * offset;
}

/** The same `YYYY-MM-DD` when it names a real calendar day, else undefined. */
export function parseDate(text: string): string | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  return validDate(Number(m[1]), Number(m[2]), Number(m[3])) ? text : undefined;
}

/** `YYYY-MM-DD` (UTC) of epoch ms. */
export function dateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}
