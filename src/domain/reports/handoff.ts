/**
 * The handoff SLA: each MQL episode's follow-up task, from creation to the first sales touch
 * (the task completed, or a call, e-mail or meeting logged on the record) and to the sales
 * decision. The deadline is the episode start plus the routing rule's SLA hours. A decision
 * that comes before any touch counts as the touch: sales looked at the lead.
 */
import { increment, isLiveEvaluation, ratio, inWindow, type ContactHistory, type HistoryEvaluation, type HistoryEvent, type HistoryTask, type Window } from './history';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** When the SLA of an episode that started at `mqlDate` runs out. */
export function slaDeadline(mqlDate: string, slaHours: number): string {
  return new Date(Date.parse(mqlDate) + slaHours * HOUR_MS).toISOString();
}

/** Epoch ms of a recorded due time; a date alone (older entries: the task's due date) means the end of that day. */
export function deadlineMs(dueAt: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(dueAt) ? Date.parse(`${dueAt}T00:00:00Z`) + DAY_MS - 1 : Date.parse(dueAt);
}

/** Start of the episode a task key names (`lsync:<hubspotId>:<epoch ms>`). */
export function episodeStartOf(key: string): number {
  return Number(key.slice(key.lastIndexOf(':') + 1));
}

/**
 * The episode a sales touch is the first touch of, or null: a completed follow-up names its
 * episode; a logged call, e-mail or meeting belongs to the latest episode begun before it.
 * An episode already touched is not touched again (polls overlap and re-read).
 */
export function touchedEpisode(entries: readonly HistoryEvent[], touch: { key: string | null; at: string }): string | null {
  const touched = new Set(entries.flatMap((e) => (e.kind === 'task' && e.event === 'first_touch' ? [e.key] : [])));
  const created = entries.filter((e): e is HistoryTask => e.kind === 'task' && e.event === 'created');
  const episode = touch.key !== null ? created.find((e) => e.key === touch.key) : created.filter((e) => episodeStartOf(e.key) <= Date.parse(touch.at)).pop();
  return episode && !touched.has(episode.key) ? episode.key : null;
}

export interface HandoffEpisode {
  hubspotId: string;
  key: string;
  start: string;
  deadline: string | null;
  version: string | null;
  tier: string | null;
  serviceLine: string | null;
  firstTouch: { at: string; via: string } | null;
  decision: { at: string; outcome: string } | null;
  /** The touch, or the decision when it came first. */
  touchedAt: string | null;
  breached: boolean;
  /** Untouched and past its deadline now. */
  overdue: boolean;
  /** The breach was already recorded (and escalated as `via` says). */
  flagged: { at: string; via: string } | null;
}

const hoursBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / HOUR_MS;

export function handoffEpisodes(hubspotId: string, entries: readonly HistoryEvent[], now: string): HandoffEpisode[] {
  const episodes: HandoffEpisode[] = [];
  let lastLive: HistoryEvaluation | undefined;
  entries.forEach((e, i) => {
    if (isLiveEvaluation(e)) lastLive = e;
    if (e.kind !== 'task' || e.event !== 'created') return;
    const startMs = episodeStartOf(e.key);
    const start = Number.isFinite(startMs) ? new Date(startMs).toISOString() : e.at;
    const same = (x: HistoryEvent): x is HistoryTask => x.kind === 'task' && x.key === e.key;
    const touch = entries.find((x) => same(x) && x.event === 'first_touch') as HistoryTask | undefined;
    const flag = entries.find((x) => same(x) && x.event === 'breached') as HistoryTask | undefined;
    const next = entries.findIndex((x, j) => j > i && x.kind === 'task' && x.event === 'created' && x.key !== e.key);
    const decided = entries.slice(i + 1, next < 0 ? undefined : next).find((x) => x.kind === 'outcome');
    const decision = decided?.kind === 'outcome' ? { at: decided.at, outcome: decided.outcome } : null;
    const touchedAt = [touch?.at, decision?.at].filter((t): t is string => t !== undefined).sort()[0] ?? null;
    const deadline = e.dueAt ? deadlineMs(e.dueAt) : NaN;
    const hasDeadline = Number.isFinite(deadline);
    episodes.push({
      hubspotId, key: e.key, start,
      deadline: hasDeadline ? new Date(deadline).toISOString() : null,
      version: lastLive?.version ?? null, tier: lastLive?.tier ?? null, serviceLine: lastLive?.serviceLine ?? null,
      firstTouch: touch ? { at: touch.at, via: touch.via ?? 'task' } : null,
      decision,
      touchedAt,
      breached: hasDeadline && Date.parse(touchedAt ?? now) > deadline,
      overdue: hasDeadline && touchedAt === null && Date.parse(now) > deadline,
      flagged: flag ? { at: flag.at, via: flag.via ?? 'none' } : null,
    });
  });
  return episodes;
}

export interface HandoffGroup {
  key: string;
  episodes: number;
  touched: number;
  breached: number;
  /** Untouched and past the deadline now. */
  overdue: number;
  escalated: number;
  decided: number;
  breachRate: number | null;
  hoursToFirstTouch: { median: number | null; p90: number | null; mean: number | null };
  hoursToDecision: { median: number | null };
}

export interface HandoffReport {
  window: Window;
  now: string;
  total: HandoffGroup;
  byTier: HandoffGroup[];
  byServiceLine: HandoffGroup[];
  versions: Record<string, number>;
  mixedVersions: boolean;
  /** Breached episodes, latest first (at most `maxListed`). */
  breaches: Array<Pick<HandoffEpisode, 'hubspotId' | 'key' | 'tier' | 'serviceLine' | 'deadline' | 'touchedAt'> & { hoursLate: number; escalated: string | null }>;
}

interface Tally {
  episodes: number;
  touched: number;
  breached: number;
  overdue: number;
  escalated: number;
  touchHours: number[];
  decisionHours: number[];
}

const emptyTally = (): Tally => ({ episodes: 0, touched: 0, breached: 0, overdue: 0, escalated: 0, touchHours: [], decisionHours: [] });

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return round2(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function group(key: string, t: Tally): HandoffGroup {
  const touch = [...t.touchHours].sort((a, b) => a - b);
  const decision = [...t.decisionHours].sort((a, b) => a - b);
  return {
    key, episodes: t.episodes, touched: t.touched, breached: t.breached, overdue: t.overdue, escalated: t.escalated, decided: decision.length,
    breachRate: ratio(t.breached, t.episodes),
    hoursToFirstTouch: { median: percentile(touch, 50), p90: percentile(touch, 90), mean: touch.length ? round2(touch.reduce((a, b) => a + b, 0) / touch.length) : null },
    hoursToDecision: { median: percentile(decision, 50) },
  };
}

export class Handoff {
  private readonly total = emptyTally();
  private readonly tiers = new Map<string, Tally>();
  private readonly lines = new Map<string, Tally>();
  private readonly versions: Record<string, number> = {};
  private readonly breaches: HandoffReport['breaches'] = [];

  constructor(
    private readonly window: Window,
    private readonly now: string,
    private readonly maxListed = 100,
    /** Only the episodes of MQLs this definition version made (null: every version). */
    private readonly version: string | null = null,
  ) {}

  add(history: ContactHistory): void {
    for (const e of handoffEpisodes(history.id, history.entries, this.now)) {
      if (!inWindow(this.window, e.start) || (this.version !== null && e.version !== this.version)) continue;
      increment(this.versions, e.version ?? 'unknown');
      const tallies = [this.total, this.tally(this.tiers, e.tier ?? 'none'), this.tally(this.lines, e.serviceLine ?? 'unknown')];
      for (const t of tallies) {
        t.episodes++;
        if (e.touchedAt) {
          t.touched++;
          t.touchHours.push(hoursBetween(e.start, e.touchedAt));
        }
        if (e.decision) t.decisionHours.push(hoursBetween(e.start, e.decision.at));
        if (e.breached) t.breached++;
        if (e.overdue) t.overdue++;
        if (e.flagged && e.flagged.via !== 'none') t.escalated++;
      }
      if (e.breached && e.deadline) {
        if (this.breaches.length >= 4 * this.maxListed) this.trimBreaches();
        this.breaches.push({
          hubspotId: e.hubspotId, key: e.key, tier: e.tier, serviceLine: e.serviceLine, deadline: e.deadline, touchedAt: e.touchedAt,
          hoursLate: round2(hoursBetween(e.deadline, e.touchedAt ?? this.now)), escalated: e.flagged && e.flagged.via !== 'none' ? e.flagged.via : null,
        });
      }
    }
  }

  private trimBreaches(): void {
    this.breaches.sort((a, b) => (a.deadline! < b.deadline! ? 1 : -1)).splice(this.maxListed);
  }

  private tally(map: Map<string, Tally>, key: string): Tally {
    let t = map.get(key);
    if (!t) map.set(key, (t = emptyTally()));
    return t;
  }

  result(): HandoffReport {
    const groups = (map: Map<string, Tally>) => [...map].map(([k, t]) => group(k, t)).sort((a, b) => (a.key < b.key ? -1 : 1));
    this.trimBreaches();
    return {
      window: this.window, now: this.now, total: group('total', this.total), byTier: groups(this.tiers), byServiceLine: groups(this.lines),
      versions: this.versions, mixedVersions: Object.keys(this.versions).length > 1, breaches: this.breaches,
    };
  }
}
