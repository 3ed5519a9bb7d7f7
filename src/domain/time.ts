/** Time helpers for the hot path of evaluation. */

const DAY_MS = 86_400_000;

const digit = (s: string, i: number): number => s.charCodeAt(i) - 48;
const two = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);

/**
 * Epoch milliseconds of an ISO-8601 instant. The canonical UTC form (`2026-11-20T12:00:00Z`,
 * optionally with milliseconds) is read directly, several times faster than Date.parse;
 * anything else (offsets, dates only) goes to Date.parse. NaN when unparseable.
 */
export function parseInstant(s: string): number {
  const n = s.length;
  if ((n === 20 || n === 24) && s.charCodeAt(n - 1) === 90 /* Z */ && s.charCodeAt(10) === 84 /* T */) {
    const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + two(s, 2);
    const ms = n === 24 ? digit(s, 20) * 100 + two(s, 21) : 0;
    const t = Date.UTC(year, two(s, 5) - 1, two(s, 8), two(s, 11), two(s, 14), two(s, 17), ms);
    // Out-of-range fields (month 13, a letter) make Date.UTC roll over or NaN: let Date.parse decide.
    if (Number.isFinite(t) && two(s, 5) <= 12 && two(s, 8) <= 31 && two(s, 11) <= 23) return t;
  }
  return Date.parse(s);
}

const dayLabels = new Map<number, string>();

/** `YYYY-MM-DD` (UTC) of an instant; cached per day because reasons quote few distinct days. */
export function isoDay(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let label = dayLabels.get(day);
  if (label === undefined) {
    label = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dayLabels.size > 20_000) dayLabels.clear();
    dayLabels.set(day, label);
  }
  return label;
}

let lastInstant = NaN;
let lastInstantText = '';

/** Canonical ISO text of an instant; the last one is remembered, as a batch shares its "now". */
export function isoInstant(ms: number): string {
  if (ms !== lastInstant) {
    lastInstantText = new Date(ms).toISOString();
    lastInstant = ms;
  }
  return lastInstantText;
}
