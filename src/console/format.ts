/** How numbers, times and durations read on the console (English, the browser's time zone). */

const numberFormat = new Intl.NumberFormat('en');

export const num = (n: number | null | undefined): string => (n === null || n === undefined ? '–' : numberFormat.format(n));

/** A share (0..1) as a percentage with one decimal. */
export const pct = (share: number | null | undefined): string => (share === null || share === undefined ? '–' : `${(share * 100).toFixed(1)} %`);

/** Seconds as the two largest units: `45 s`, `3 min 20 s`, `2 h 5 min`, `3 d 4 h`. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const units: Array<[string, number]> = [['d', 86_400], ['h', 3_600], ['min', 60], ['s', 1]];
  const i = units.findIndex(([, size]) => s >= size);
  const [big, bigSize] = units[i]!;
  const [small, smallSize] = units[i + 1]!;
  const rest = Math.floor((s % bigSize) / smallSize);
  return rest ? `${Math.floor(s / bigSize)} ${big} ${rest} ${small}` : `${Math.floor(s / bigSize)} ${big}`;
}

export const ms = (milliseconds: number | null | undefined): string =>
  milliseconds === null || milliseconds === undefined ? '–' : milliseconds < 1000 ? `${Math.round(milliseconds)} ms` : duration(milliseconds / 1000);

/** Hours with one decimal (time to first touch). */
export const hours = (h: number | null | undefined): string => (h === null || h === undefined ? '–' : `${h.toFixed(1)} h`);

const dateTime = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' });
const dateOnly = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'short', day: '2-digit' });
const timeOnly = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export const when = (iso: string | null | undefined): string => (iso ? dateTime.format(new Date(iso)) : '–');
export const day = (iso: string | null | undefined): string => (iso ? dateOnly.format(new Date(iso)) : '–');
export const clock = (at: Date | undefined): string => (at ? timeOnly.format(at) : '–');

/** `stage:mql` -> `stage: mql`, `hubspotUpdates` -> `HubSpot updates`: count keys as people read them. */
export function label(key: string): string {
  const known: Record<string, string> = {
    hubspotUpdates: 'HubSpot updates', salesforceUpdates: 'Salesforce updates', leadsCreated: 'Leads created', tasksCreated: 'tasks created',
    mqlsCreated: 'new MQLs', otherServiceLine: 'other service line', feedContacts: 'feed contacts', firstTouches: 'first touches', slaBreaches: 'SLA breaches',
  };
  return known[key] ?? key.replace(/:/g, ': ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** `2026-11-16` as an ISO date for `<input type=date>` from a Date. */
export const isoDate = (d: Date): string => d.toISOString().slice(0, 10);
