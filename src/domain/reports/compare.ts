/**
 * Compares two definitions' verdicts on the same contacts at the same instants, and judges
 * each against what sales actually did. Fed one contact at a time (a backtest streams
 * 100,000 of them), it keeps only counts and a bounded list of flips.
 *
 * Verdicts cover every instant the contact was evaluated (up to the window's end), so that an
 * MQL that began before the window is not counted as new in it.
 * - Flips: contacts that are an MQL at some instant of the window under one definition only.
 * - New MQLs: an MQL start is an `mql` verdict after a non-`mql` one (or the first verdict);
 *   a definition's MQLs of the window are the contacts with a start in it, counted per week of
 *   the start, and by the tier and service line of their first start in the window.
 * - Precision: of those MQLs, the sales decisions made on or after the start's day (Salesforce
 *   dates SQLs by day). SQL (or opportunity) at any point is a hit; otherwise the last decision
 *   counts (accepted, disqualified or recycled, with its reason). MQLs with no such decision
 *   are "not judged": typically leads only the candidate would have sent, which sales never
 *   saw. precision = SQLs / judged.
 * - Recall: every contact that became SQL inside the window; a definition caught it when it had
 *   an `mql` verdict on or before the SQL's day. recall = caught / SQLs.
 */
import type { EvaluationStatus } from '../evaluate';
import { dayOf, increment, inWindow, ratio, weekOf, type HistoryOutcome, type Window } from './history';

export interface Verdict {
  status: EvaluationStatus;
  fit: number;
  engagement: number;
  total: number;
  tier: string | null;
  serviceLine: string;
}

export interface ReasonChange {
  rule: string;
  current: number | null;
  candidate: number | null;
}

export interface FlipDetail {
  reasons: ReasonChange[];
  thresholds: { current: { fit: number; engagement: number }; candidate: { fit: number; engagement: number } };
}

/** One contact's verdicts under both definitions, aligned on the same instants. */
export interface ComparedContact {
  id: string;
  at: readonly string[];
  current: readonly Verdict[];
  candidate: readonly Verdict[];
  /** Definition version the service actually ran at each instant (for "which versions is this history from"). */
  recorded: readonly string[];
  outcomes: readonly HistoryOutcome[];
  /**
   * Each definition's status just before the first instant, when the comparison starts in
   * the middle of a contact's history (a shadow run): an MQL then is not new at the first
   * instant. Absent: the first instant is the contact's first evaluation.
   */
  prior?: { current: EvaluationStatus | null; candidate: EvaluationStatus | null };
  /** The rules that differ at one instant; computed for flips only. */
  detail?(index: number): FlipDetail;
}

export type SalesResult = 'sql' | 'accepted' | 'disqualified' | 'recycled' | 'none';

export interface DefinitionStats {
  version: string;
  mqls: number;
  perWeek: Record<string, number>;
  perTier: Record<string, number>;
  perServiceLine: Record<string, number>;
  outcomes: {
    judged: number;
    notJudged: number;
    /** Accepted by sales (SAL), SQLs included. */
    accepted: number;
    sql: number;
    disqualified: number;
    disqualificationReasons: Record<string, number>;
    recycled: number;
    recycleReasons: Record<string, number>;
    precision: number | null;
    acceptance: number | null;
  };
  recall: { sqls: number; caught: number; missed: number; recall: number | null };
}

export interface Flip {
  id: string;
  /** `gained`: an MQL of the candidate only; `lost`: of the current definition only. */
  direction: 'gained' | 'lost';
  at: string;
  current: Verdict;
  candidate: Verdict;
  /** What sales did with this contact, whenever it was. */
  salesResult: SalesResult;
  detail?: FlipDetail;
}

export interface ComparisonResult {
  contacts: number;
  evaluations: number;
  recordedVersions: Record<string, number>;
  current: DefinitionStats;
  candidate: DefinitionStats;
  flips: { gained: number; lost: number; listed: Flip[]; truncated: boolean };
}

const isSql = (o: HistoryOutcome) => o.outcome === 'sql' || o.outcome === 'opportunity';

/** What sales made of a contact, from its decisions in order. */
export function salesResult(outcomes: readonly HistoryOutcome[]): { result: SalesResult; reason?: string } {
  if (outcomes.some(isSql)) return { result: 'sql' };
  const last = outcomes[outcomes.length - 1];
  if (!last) return { result: 'none' };
  if (last.outcome === 'disqualified' || last.outcome === 'recycled') return { result: last.outcome, reason: last.reason ?? 'No reason given' };
  return { result: 'accepted' };
}

function emptyStats(version: string): DefinitionStats {
  return {
    version, mqls: 0, perWeek: {}, perTier: {}, perServiceLine: {},
    outcomes: { judged: 0, notJudged: 0, accepted: 0, sql: 0, disqualified: 0, disqualificationReasons: {}, recycled: 0, recycleReasons: {}, precision: null, acceptance: null },
    recall: { sqls: 0, caught: 0, missed: 0, recall: null },
  };
}

export class Comparison {
  private readonly current: DefinitionStats;
  private readonly candidate: DefinitionStats;
  private readonly recordedVersions: Record<string, number> = {};
  private readonly listed: Flip[] = [];
  private gained = 0;
  private lost = 0;
  private contacts = 0;
  private evaluations = 0;

  constructor(
    versions: { current: string; candidate: string },
    private readonly window: Window,
    private readonly maxFlips: number,
  ) {
    this.current = emptyStats(versions.current);
    this.candidate = emptyStats(versions.candidate);
  }

  add(c: ComparedContact): void {
    const inside = c.at.map((at) => inWindow(this.window, at));
    if (!inside.includes(true)) return;
    this.contacts++;
    c.recorded.forEach((version, i) => {
      if (!inside[i]) return;
      this.evaluations++;
      increment(this.recordedVersions, version);
    });
    const sql = c.outcomes.find((o) => isSql(o) && inWindow(this.window, o.at));
    this.tally(this.current, c, c.current, c.prior?.current ?? null, inside, sql);
    this.tally(this.candidate, c, c.candidate, c.prior?.candidate ?? null, inside, sql);
    const mqlIn = (verdicts: readonly Verdict[]) => verdicts.findIndex((v, i) => inside[i] && v.status === 'mql');
    const firstCurrent = mqlIn(c.current);
    const firstCandidate = mqlIn(c.candidate);
    if (firstCurrent >= 0 === firstCandidate >= 0) return;
    const gained = firstCandidate >= 0;
    if (gained) this.gained++;
    else this.lost++;
    if (this.listed.length >= this.maxFlips) return;
    const i = gained ? firstCandidate : firstCurrent;
    const flip: Flip = { id: c.id, direction: gained ? 'gained' : 'lost', at: c.at[i]!, current: c.current[i]!, candidate: c.candidate[i]!, salesResult: salesResult(c.outcomes).result };
    if (c.detail) flip.detail = c.detail(i);
    this.listed.push(flip);
  }

  /** Counts one definition's new MQLs, their outcomes and its recall for a contact. */
  private tally(stats: DefinitionStats, c: ComparedContact, verdicts: readonly Verdict[], prior: EvaluationStatus | null, inside: boolean[], sql: HistoryOutcome | undefined): void {
    let first = -1;
    verdicts.forEach((v, i) => {
      if (!inside[i] || v.status !== 'mql' || (i > 0 ? verdicts[i - 1]!.status : prior) === 'mql') return;
      increment(stats.perWeek, weekOf(c.at[i]!));
      if (first < 0) first = i;
    });
    if (sql) {
      stats.recall.sqls++;
      const sqlDay = dayOf(sql.at);
      if (verdicts.some((v, i) => v.status === 'mql' && dayOf(c.at[i]!) <= sqlDay)) stats.recall.caught++;
      else stats.recall.missed++;
    }
    if (first < 0) return;
    const v = verdicts[first]!;
    stats.mqls++;
    increment(stats.perTier, v.tier ?? 'none');
    increment(stats.perServiceLine, v.serviceLine);
    const mqlDay = dayOf(c.at[first]!);
    const later = c.outcomes.filter((o) => dayOf(o.at) >= mqlDay);
    const judged = salesResult(later);
    const o = stats.outcomes;
    if (judged.result === 'none') {
      o.notJudged++;
      return;
    }
    o.judged++;
    if (judged.result === 'sql') o.sql++;
    if (judged.result === 'sql' || later.some((x) => x.outcome === 'accepted')) o.accepted++;
    if (judged.result === 'disqualified') {
      o.disqualified++;
      increment(o.disqualificationReasons, judged.reason!);
    }
    if (judged.result === 'recycled') {
      o.recycled++;
      increment(o.recycleReasons, judged.reason!);
    }
  }

  result(): ComparisonResult {
    for (const stats of [this.current, this.candidate]) {
      stats.outcomes.precision = ratio(stats.outcomes.sql, stats.outcomes.judged);
      stats.outcomes.acceptance = ratio(stats.outcomes.accepted, stats.outcomes.judged);
      stats.recall.recall = ratio(stats.recall.caught, stats.recall.sqls);
    }
    return {
      contacts: this.contacts,
      evaluations: this.evaluations,
      recordedVersions: this.recordedVersions,
      current: this.current,
      candidate: this.candidate,
      flips: { gained: this.gained, lost: this.lost, listed: this.listed, truncated: this.gained + this.lost > this.listed.length },
    };
  }
}
