/**
 * Backtest: replays stored history through the current and a candidate definition, as of
 * each instant the service evaluated the contact, and compares them (see compare.ts for what
 * is counted). The shadow report compares the verdicts a shadow definition recorded with the
 * live verdicts recorded at the same syncs. Pure: the caller streams the history in.
 *
 * Replay evaluates the latest stored inputs as of each past instant: activities after that
 * instant are ignored by `evaluate`, contact fields are today's (history keeps one copy).
 */
import type { CompiledDefinition } from '../definition/compile';
import { evaluate, type Evaluation } from '../evaluate';
import { Comparison, type ComparedContact, type ComparisonResult, type FlipDetail, type ReasonChange, type Verdict } from './compare';
import { inWindow, isLiveEvaluation, type ContactHistory, type HistoryEvaluation, type HistoryOutcome, type Window } from './history';

export interface BacktestReport extends ComparisonResult {
  window: Window;
  /** Contacts with live evaluations in the window but no stored inputs to replay. */
  skippedNoInputs: number;
}

const verdictOf = (e: Evaluation | HistoryEvaluation): Verdict =>
  'score' in e
    ? { status: e.status, fit: e.score.fit, engagement: e.score.engagement, total: e.score.total, tier: e.tier, serviceLine: e.serviceLine }
    : { status: e.status, fit: e.fit, engagement: e.engagement, total: e.total, tier: e.tier, serviceLine: e.serviceLine };

/** Rules whose points differ between two evaluations of the same contact (absent = null). */
export function reasonChanges(current: Evaluation, candidate: Evaluation): ReasonChange[] {
  const points = (e: Evaluation) => new Map(e.reasons.map((r) => [r.rule, r.points]));
  const a = points(current);
  const b = points(candidate);
  const rules = [...new Set([...a.keys(), ...b.keys()])];
  return rules
    .map((rule) => ({ rule, current: a.get(rule) ?? null, candidate: b.get(rule) ?? null }))
    .filter((c) => c.current !== c.candidate)
    .sort((x, y) => Math.abs((y.candidate ?? 0) - (y.current ?? 0)) - Math.abs((x.candidate ?? 0) - (x.current ?? 0)) || (x.rule < y.rule ? -1 : 1));
}

function thresholdsOf(def: CompiledDefinition, line: string) {
  return (def.lines.get(line) ?? def.lines.get(def.defaultLine)!).thresholds;
}

export function flipDetail(current: CompiledDefinition, candidate: CompiledDefinition, a: Evaluation, b: Evaluation): FlipDetail {
  return { reasons: reasonChanges(a, b), thresholds: { current: thresholdsOf(current, a.serviceLine), candidate: thresholdsOf(candidate, b.serviceLine) } };
}

/** Live evaluations up to the window's end, one per instant, oldest first. */
function liveUntil(history: ContactHistory, window: Window): HistoryEvaluation[] {
  const seen = new Set<string>();
  const out: HistoryEvaluation[] = [];
  for (const e of history.entries) {
    if (!isLiveEvaluation(e) || seen.has(e.at) || (window.until !== null && e.at >= window.until)) continue;
    seen.add(e.at);
    out.push(e);
  }
  return out.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
}

const outcomesOf = (history: ContactHistory) => history.entries.filter((e): e is HistoryOutcome => e.kind === 'outcome');

/** Both definitions evaluated on the contact's stored inputs at each of its evaluation instants. */
export function replayContact(current: CompiledDefinition, candidate: CompiledDefinition, history: ContactHistory, window: Window): ComparedContact | null {
  const live = liveUntil(history, window);
  if (live.length === 0 || !history.inputs) return null;
  const { contact, activities } = history.inputs;
  const a = live.map((e) => evaluate(current, contact, activities, e.at));
  const b = live.map((e) => evaluate(candidate, contact, activities, e.at));
  return {
    id: history.id,
    at: live.map((e) => e.at),
    current: a.map(verdictOf),
    candidate: b.map(verdictOf),
    recorded: live.map((e) => e.version),
    outcomes: outcomesOf(history),
    detail: (i) => flipDetail(current, candidate, a[i]!, b[i]!),
  };
}

/**
 * The verdicts a shadow version recorded, paired with the live verdict standing at the same
 * instant. Both are written only when they change, so at each instant where either was
 * recorded (from the shadow's first entry on) the last entry of each at or before it stands.
 * With the compiled definitions and stored inputs, flips are explained rule by rule.
 */
export function shadowContact(history: ContactHistory, version: string, window: Window, defs?: { current: CompiledDefinition; candidate: CompiledDefinition }): ComparedContact | null {
  const shadow = history.entries.filter((e): e is HistoryEvaluation => e.kind === 'evaluation' && e.shadow === true && e.version === version && (window.until === null || e.at < window.until));
  if (shadow.length === 0) return null;
  const live = liveUntil(history, window);
  const standing = (entries: HistoryEvaluation[], at: string) => entries.filter((e) => e.at <= at).pop();
  const instants = [...new Set([...shadow.map((e) => e.at), ...live.filter((e) => e.at >= shadow[0]!.at).map((e) => e.at)])].sort();
  const paired = instants.flatMap((at) => {
    const current = standing(live, at);
    return current ? [{ at, live: current, shadow: standing(shadow, at)! }] : [];
  });
  const inputs = history.inputs;
  const detail =
    defs && inputs
      ? (i: number) => flipDetail(defs.current, defs.candidate, evaluate(defs.current, inputs.contact, inputs.activities, paired[i]!.at), evaluate(defs.candidate, inputs.contact, inputs.activities, paired[i]!.at))
      : undefined;
  // Before the shadow began the candidate had no say: take it to have agreed with the live verdict.
  const before = paired.length ? live.filter((e) => e.at < paired[0]!.at).pop()?.status ?? null : null;
  return {
    id: history.id,
    prior: { current: before, candidate: before },
    at: paired.map((p) => p.at),
    current: paired.map((p) => verdictOf(p.live)),
    candidate: paired.map((p) => verdictOf(p.shadow)),
    recorded: paired.map((p) => p.live.version),
    outcomes: outcomesOf(history),
    ...(detail ? { detail } : {}),
  };
}

/** A streaming backtest: `add` each contact's history, then `result`. */
export class Backtest {
  private readonly comparison: Comparison;
  private skippedNoInputs = 0;

  constructor(
    private readonly current: CompiledDefinition,
    private readonly candidate: CompiledDefinition,
    private readonly window: Window,
    options: { maxFlips?: number } = {},
  ) {
    this.comparison = new Comparison({ current: current.version, candidate: candidate.version }, window, options.maxFlips ?? 200);
  }

  add(history: ContactHistory): void {
    const compared = replayContact(this.current, this.candidate, history, this.window);
    if (compared) this.comparison.add(compared);
    else if (!history.inputs && history.entries.some((e) => isLiveEvaluation(e) && inWindow(this.window, e.at))) this.skippedNoInputs++;
  }

  result(): BacktestReport {
    return { ...this.comparison.result(), window: this.window, skippedNoInputs: this.skippedNoInputs };
  }
}

/** The shadow report of one version: the same comparison over recorded verdicts. */
export class ShadowReport {
  private readonly comparison: Comparison;

  constructor(
    private readonly version: string,
    liveVersion: string,
    private readonly window: Window,
    private readonly defs?: { current: CompiledDefinition; candidate: CompiledDefinition },
    options: { maxFlips?: number } = {},
  ) {
    this.comparison = new Comparison({ current: liveVersion, candidate: version }, window, options.maxFlips ?? 200);
  }

  add(history: ContactHistory): void {
    const compared = shadowContact(history, this.version, this.window, this.defs);
    if (compared) this.comparison.add(compared);
  }

  result(): ComparisonResult & { window: Window } {
    return { ...this.comparison.result(), window: this.window };
  }
}
