/**
 * evaluate(definition, contact, activities, now): the one place that decides whether a
 * contact is an MQL. Pure and deterministic: the same inputs always give the same result,
 * and `now` is a parameter, never the clock.
 */
import type { CompiledDefinition, CompiledFitRule, CompiledLine } from './definition/compile';
import type { ActivityClass } from './definition/activity-classes';
import { isoDay, isoInstant, parseInstant } from './time';

import type { Activity, Contact } from './types';

export type EvaluationStatus = 'mql' | 'not_mql' | 'excluded' | 'needs_review';

/** One line a salesperson reads: which rule, how many points, in words. */
export interface Reason {
  rule: string;
  points: number;
  detail: string;
}

/** An activity that earned points, for the follow-up task ("content consumed"). */
export interface Evidence {
  type: Activity['type'];
  at: string;
  title?: string;
  url?: string;
  points: number;
}

export interface Evaluation {
  mql: boolean;
  status: EvaluationStatus;
  score: { fit: number; engagement: number; total: number };
  tier: string | null;
  priority: 'High' | 'Normal' | 'Low' | null;
  serviceLine: string;
  serviceLineLabel: string;
  excludedBy?: string;
  reasons: Reason[];
  evidence: Evidence[];
  discoveryTopics: string[];
  /** Latest activity that earned points (ISO), or null. */
  lastEngagementAt: string | null;
  definitionVersion: string;
  evaluatedAt: string;
}

const DAY_MS = 86_400_000;
const MAX_EVIDENCE = 8;

/** A relevant activity with its age, decay and class, computed once per contact. */
interface Dated {
  activity: Activity;
  ageMs: number;
  decay: number;
  cls: ActivityClass;
}

type FitMatch = { rule: CompiledFitRule; value: string };

interface LineScore {
  line: CompiledLine;
  fit: number;
  engagement: number;
  total: number;
  fitMatches: FitMatch[];
  /** Per engagement rule: capped points, count, youngest age (3 entries per rule). */
  perRule: Float64Array;
}

export const round1 = (x: number): number => Math.round(x * 10) / 10;
/** Scores keep two decimals: enough that a day of decay always shows, few enough to read. */
const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * The activities inside the look-back window, as of `nowMs`. Activities are expected to be
 * unique: the connectors and the activity cache de-duplicate by source id.
 */
function relevantActivities(def: CompiledDefinition, activities: readonly Activity[], nowMs: number): Dated[] {
  const lookbackMs = def.lookbackDays * DAY_MS;
  const decayPerMs = Math.LN2 / (def.halfLifeDays * DAY_MS);
  const out: Dated[] = [];
  for (const activity of activities) {
    const ageMs = nowMs - parseInstant(activity.at);
    // Future activities are ignored so that an evaluation "as of" a past date sees only its past.
    if (!(ageMs >= 0 && ageMs <= lookbackMs)) continue;
    out.push({ activity, ageMs, decay: Math.exp(-decayPerMs * ageMs), cls: def.activities.classOf(activity) });
  }
  return out;
}

function ruleFor(line: CompiledLine, d: Dated): number {
  const own = d.cls.lineRule[line.index]!;
  return own >= 0 ? own : d.cls.baseRule;
}

function baseFitMatches(def: CompiledDefinition, contact: Contact): Array<FitMatch | undefined> {
  return def.baseFitRules.map((rule) => {
    const result = rule.test(contact);
    return result.holds ? { rule, value: result.value } : undefined;
  });
}

interface EngagementScore {
  engagement: number;
  /** Per engagement rule: capped points, count, youngest age (3 entries per rule). */
  perRule: Float64Array;
}

function scoreEngagement(line: CompiledLine, dated: Dated[]): EngagementScore {
  const n = line.rules.length;
  const perRule = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) perRule[3 * i + 2] = Infinity;
  for (const d of dated) {
    const rule = ruleFor(line, d);
    if (rule < 0) continue;
    perRule[3 * rule]! += line.rules[rule]!.points * d.decay;
    perRule[3 * rule + 1]! += 1;
    if (d.ageMs < perRule[3 * rule + 2]!) perRule[3 * rule + 2] = d.ageMs;
  }
  let engagement = 0;
  for (let i = 0; i < n; i++) {
    const capped = Math.min(perRule[3 * i]!, line.rules[i]!.cap);
    perRule[3 * i] = capped;
    engagement += capped;
  }
  return { engagement: round2(engagement), perRule };
}

function scoreFit(line: CompiledLine, baseFit: Array<FitMatch | undefined>, contact: Contact): { fit: number; fitMatches: FitMatch[] } {
  let fit = 0;
  const fitMatches: FitMatch[] = [];
  baseFit.forEach((match, i) => {
    if (match && line.skipsBaseFit[i] === 0) {
      fit += match.rule.points;
      fitMatches.push(match);
    }
  });
  for (const rule of line.extraFitRules) {
    const result = rule.test(contact);
    if (result.holds) {
      fit += rule.points;
      fitMatches.push({ rule, value: result.value });
    }
  }
  return { fit: round2(fit), fitMatches };
}

function candidateLines(def: CompiledDefinition, contact: Contact, dated: Dated[]): CompiledLine[] {
  const declared = contact.serviceLine ? def.lines.get(contact.serviceLine.trim().toLowerCase()) : undefined;
  if (declared) return [declared];
  // Lines the activities point to come first, so on a tie the contact is judged against the
  // offer it showed interest in; the default line is always a candidate.
  let signalled = 0;
  for (const d of dated) signalled |= d.cls.signals;
  const candidates: CompiledLine[] = [];
  for (const line of def.lines.values()) {
    if (line.key !== def.defaultLine && (signalled & (1 << line.index)) !== 0) candidates.push(line);
  }
  candidates.push(def.lines.get(def.defaultLine)!);
  return candidates;
}

function passes(score: LineScore): boolean {
  return score.fit >= score.line.thresholds.fit && score.engagement >= score.line.thresholds.engagement;
}

/** Highest total wins; then the line that qualifies; then candidate order. */
function best(scores: LineScore[]): LineScore {
  return scores.reduce((a, b) => (b.total > a.total || (b.total === a.total && passes(b) && !passes(a)) ? b : a));
}

function tierOf(def: CompiledDefinition, score: LineScore) {
  return def.tiers.find(
    (t) =>
      (t.minTotal === undefined || score.total >= t.minTotal) &&
      (t.minFit === undefined || score.fit >= t.minFit) &&
      (t.minEngagement === undefined || score.engagement >= t.minEngagement),
  )!;
}

const TIMES = ['0 times', '1 time'];

function reasonsFor(score: LineScore, nowMs: number): Reason[] {
  const { line, perRule } = score;
  const reasons: Reason[] = [];
  for (const { rule, value } of score.fitMatches) reasons.push({ rule: rule.ruleKey, points: rule.points, detail: rule.reasonParts.join(value) });
  for (let i = 0; i < line.rules.length; i++) {
    const count = perRule[3 * i + 1]!;
    if (count === 0) continue;
    const rule = line.rules[i]!;
    const capped = perRule[3 * i]! >= rule.cap ? ', capped' : '';
    const detail = `${rule.label}: ${TIMES[count] ?? `${count} times`}, latest ${isoDay(nowMs - perRule[3 * i + 2]!)}${capped}`;
    reasons.push({ rule: rule.reasonKey, points: round1(perRule[3 * i]!), detail });
  }
  return reasons.sort((a, b) => b.points - a.points || (a.rule < b.rule ? -1 : 1));
}

/** The activities that earned the most points under the chosen line, strongest first. */
function evidenceFor(line: CompiledLine, dated: Dated[]): Evidence[] {
  // A small insertion-sorted top list: no sort of every activity, no allocation for the rest.
  const top: Array<{ d: Dated; points: number }> = [];
  for (const d of dated) {
    const rule = ruleFor(line, d);
    const points = rule < 0 ? 0 : line.rules[rule]!.points * d.decay;
    if (points <= 0) continue;
    const last = top[top.length - 1];
    if (top.length === MAX_EVIDENCE && last !== undefined && (points < last.points || (points === last.points && d.ageMs >= last.d.ageMs))) continue;
    let at = top.length;
    while (at > 0 && (top[at - 1]!.points < points || (top[at - 1]!.points === points && top[at - 1]!.d.ageMs > d.ageMs))) at--;
    top.splice(at, 0, { d, points });
    if (top.length > MAX_EVIDENCE) top.pop();
  }
  return top.map(({ d, points }) => {
    const item: Evidence = { type: d.activity.type, at: d.activity.at, points: round1(points) };
    if (d.activity.title !== undefined) item.title = d.activity.title;
    if (d.activity.url !== undefined) item.url = d.activity.url;
    return item;
  });
}

/** The youngest activity that earned points, from the per-rule tallies. */
function lastEngagement(score: LineScore, dated: Dated[]): string | null {
  let youngest = Infinity;
  score.line.rules.forEach((rule, i) => {
    if (rule.points > 0 && score.perRule[3 * i + 1]! > 0) youngest = Math.min(youngest, score.perRule[3 * i + 2]!);
  });
  if (youngest === Infinity) return null;
  const at = dated.find((d) => d.ageMs === youngest)!.activity.at;
  // Canonical instants are returned as given; other spellings are normalised.
  return at.length === 24 && at.endsWith('Z') ? at : new Date(parseInstant(at)).toISOString();
}

export function evaluate(def: CompiledDefinition, contact: Contact, activities: readonly Activity[], now: Date | string): Evaluation {
  const nowMs = typeof now === 'string' ? parseInstant(now) : now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError(`evaluate: "now" is not a valid date: ${String(now)}`);
  const dated = relevantActivities(def, activities, nowMs);
  const baseFit = baseFitMatches(def, contact);
  let shared: EngagementScore | undefined; // lines without engagement rules of their own score alike
  const score = best(
    candidateLines(def, contact, dated).map((line): LineScore => {
      const engagement = line.sharesBaseEngagement ? (shared ??= scoreEngagement(line, dated)) : scoreEngagement(line, dated);
      const { fit, fitMatches } = scoreFit(line, baseFit, contact);
      return { line, fit, engagement: engagement.engagement, total: round2(fit + engagement.engagement), fitMatches, perRule: engagement.perRule };
    }),
  );
  const reasons = reasonsFor(score, nowMs);
  const evidence = evidenceFor(score.line, dated);
  const lastEngagementAt = lastEngagement(score, dated);
  const exclusion = def.exclusions.find((e) => e.test(contact).holds);

  let status: EvaluationStatus;
  let tier = null as ReturnType<typeof tierOf> | null;
  if (exclusion) {
    status = 'excluded';
    reasons.unshift({ rule: `exclusion.${exclusion.id}`, points: 0, detail: `Excluded: ${exclusion.reason}` });
  } else if (passes(score)) {
    status = 'mql';
    tier = tierOf(def, score);
  } else if (def.hasHighIntent && hasRecentHighIntent(def, dated)) {
    status = def.highIntent.status;
    if (status === 'mql') tier = def.tiers[def.tiers.length - 1]!;
    reasons.unshift({ rule: 'highIntent', points: 0, detail: def.highIntent.reason });
  } else {
    status = 'not_mql';
  }
  const result: Evaluation = {
    mql: status === 'mql',
    status,
    score: { fit: score.fit, engagement: score.engagement, total: score.total },
    tier: tier?.name ?? null,
    priority: tier?.priority ?? null,
    serviceLine: score.line.key,
    serviceLineLabel: score.line.label,
    reasons,
    evidence,
    discoveryTopics: score.line.discoveryTopics,
    lastEngagementAt,
    definitionVersion: def.version,
    evaluatedAt: isoInstant(nowMs),
  };
  if (exclusion) result.excludedBy = exclusion.id;
  return result;
}

function hasRecentHighIntent(def: CompiledDefinition, dated: Dated[]): boolean {
  const withinMs = def.highIntent.withinDays * DAY_MS;
  const types = new Set<string>(def.highIntent.types);
  return dated.some((d) => d.ageMs <= withinMs && types.has(d.activity.type));
}
