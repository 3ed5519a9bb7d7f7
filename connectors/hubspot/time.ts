/** Time helpers: HubSpot dates arrive as ISO strings or epoch-ms strings depending on the API. */

/** Epoch ms of an ISO or epoch-ms value; undefined when empty or not a date. */
export function toEpochMs(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** ISO instant of an ISO or epoch-ms value; undefined when empty or not a date. */
export function toIso(value: string | number | null | undefined): string | undefined {
  const ms = toEpochMs(value);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/**
 * Milliseconds from `now` to the next midnight in `timeZone` (HubSpot's daily limit resets at
 * midnight in the portal's time zone). An unknown zone falls back to UTC.
 */
export function msUntilMidnight(now: number, timeZone: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(now);
  } catch {
    return msUntilMidnight(now, 'UTC');
  }
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const elapsed = ((get('hour') * 60 + get('minute')) * 60 + get('second')) * 1000 + (now % 1000);
  return 86_400_000 - elapsed;
}
