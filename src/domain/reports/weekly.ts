/**
 * MQLs per week, by tier and by service line: the MQL episodes started in the window, counted
 * in the ISO week (Monday, UTC) of their start, optionally only those one definition version
 * made. Weeks without MQLs between the first and the last are listed with zero, so a chart's
 * time axis has no holes.
 */
import { episodesOf } from './episodes';
import { increment, inWindow, weekOf, type ContactHistory, type Window } from './history';

export interface WeeklyMqls {
  window: Window;
  version: string | null;
  weeks: string[];
  /** tier -> week -> MQLs (`none` for an MQL without a tier). */
  byTier: Record<string, Record<string, number>>;
  /** service line -> week -> MQLs. */
  byServiceLine: Record<string, Record<string, number>>;
  /** week -> MQLs. */
  total: Record<string, number>;
  /** MQLs per definition version in the window before the version filter: what the filter can choose. */
  versions: Record<string, number>;
}

const WEEK_MS = 7 * 86_400_000;

/** Every Monday from the first week to the last. */
export function weeksBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let ms = Date.parse(`${first}T00:00:00Z`); ms <= Date.parse(`${last}T00:00:00Z`); ms += WEEK_MS) out.push(new Date(ms).toISOString().slice(0, 10));
  return out;
}

export class WeeklyMqlCounter {
  private readonly byTier: Record<string, Record<string, number>> = {};
  private readonly byServiceLine: Record<string, Record<string, number>> = {};
  private readonly total: Record<string, number> = {};
  private readonly versions: Record<string, number> = {};

  constructor(
    private readonly window: Window,
    private readonly version: string | null = null,
  ) {}

  add(history: ContactHistory): void {
    for (const e of episodesOf(history.entries)) {
      if (!inWindow(this.window, e.start)) continue;
      increment(this.versions, e.version);
      if (this.version !== null && e.version !== this.version) continue;
      const week = weekOf(e.start);
      increment((this.byTier[e.tier ?? 'none'] ??= {}), week);
      increment((this.byServiceLine[e.serviceLine] ??= {}), week);
      increment(this.total, week);
    }
  }

  result(): WeeklyMqls {
    const seen = Object.keys(this.total).sort();
    return {
      window: this.window,
      version: this.version,
      weeks: seen.length ? weeksBetween(seen[0]!, seen[seen.length - 1]!) : [],
      byTier: this.byTier,
      byServiceLine: this.byServiceLine,
      total: this.total,
      versions: this.versions,
    };
  }
}
