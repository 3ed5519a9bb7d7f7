/**
 * What the reports read from a contact's history: the service's evaluations (live and shadow),
 * the sales decisions it read back and the milestones of each MQL episode's follow-up task.
 * `jobs/history.ts` stores exactly these entries; they are declared here so the domain stays
 * free of the jobs layer.
 */
import type { EvaluationStatus } from '../evaluate';
import type { Activity, Contact, LifecycleStage, SalesOutcomeKind } from '../types';

export interface HistoryEvaluation {
  kind: 'evaluation';
  at: string;
  version: string;
  /** A candidate definition run in shadow mode: recorded here only, never written anywhere. */
  shadow?: true;
  status: EvaluationStatus;
  /** Lifecycle stage after this evaluation (live definition only). */
  stage?: LifecycleStage;
  fit: number;
  engagement: number;
  total: number;
  tier: string | null;
  serviceLine: string;
}

export interface HistoryOutcome {
  kind: 'outcome';
  at: string;
  outcome: SalesOutcomeKind;
  reason?: string;
}

export interface HistoryTask {
  kind: 'task';
  at: string;
  /** `breached`: the SLA ran out untouched (recorded once, when the service noticed). */
  event: 'created' | 'first_touch' | 'breached';
  key: string;
  /** When the SLA runs out (created): an instant; older entries carry the task's due date. */
  dueAt?: string;
  /** How the first touch came (task, call, email, meeting), or the escalation of a breach (priority, reassign, none). */
  via?: string;
}

export type HistoryEvent = HistoryEvaluation | HistoryOutcome | HistoryTask;

/** One contact's history as the reports see it; inputs are absent when none were stored. */
export interface ContactHistory {
  id: string;
  entries: readonly HistoryEvent[];
  inputs: { contact: Contact; activities: readonly Activity[] } | null;
}

/** A report's time window, half-open: `since <= at < until` (ISO instants). */
export interface Window {
  since: string | null;
  until: string | null;
}

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The window of `--since` / `--until` as given by an admin: a date-only `until` includes that
 * whole day. Throws a RangeError naming the bad value.
 */
export function windowOf(since?: string, until?: string): Window {
  const instant = (value: string, name: string, endOfDay: boolean): string => {
    const ms = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
    if (!Number.isFinite(ms)) throw new RangeError(`${name}: not an ISO-8601 date or date-time (got "${value}")`);
    return new Date(endOfDay && DATE_ONLY.test(value) ? ms + DAY_MS : ms).toISOString();
  };
  const window = { since: since ? instant(since, 'since', false) : null, until: until ? instant(until, 'until', true) : null };
  if (window.since && window.until && window.since >= window.until) throw new RangeError('since must be before until');
  return window;
}

export function inWindow(window: Window, at: string): boolean {
  const ms = Date.parse(at);
  return (window.since === null || ms >= Date.parse(window.since)) && (window.until === null || ms < Date.parse(window.until));
}

/** Monday (UTC) of the ISO week of an instant, as `YYYY-MM-DD`. */
export function weekOf(at: string): string {
  const day = Math.floor(Date.parse(at) / DAY_MS);
  // 1970-01-01 was a Thursday: day 0 is weekday 3 counted from Monday.
  const monday = day - ((day + 3) % 7);
  return new Date(monday * DAY_MS).toISOString().slice(0, 10);
}

/** UTC day number of an instant: Salesforce dates SQLs by day, so comparisons with them are by day. */
export const dayOf = (at: string): number => Math.floor(Date.parse(at) / DAY_MS);

export const isLiveEvaluation = (e: HistoryEvent): e is HistoryEvaluation => e.kind === 'evaluation' && !e.shadow;

export function increment(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

/** A share rounded to four decimals, or null when there is nothing to divide by. */
export const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);
