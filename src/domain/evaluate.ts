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

/**
 * The activities inside the look-back window, as parallel columns rather than one object per
 * activity: evaluation is synchronous, so one set of columns is reused for every contact and
 * the per-activity loop allocates nothing. Only valid until the next evaluate() call.
 */
interface Dated {
  count: number;
  /** Index into the contact's activities. */
  index: Int32Array;
  ageMs: Float64Array;
  decay: Float64Array;
  cls: ActivityClass[];
}

const dated: Dated = { count: 0, index: new Int32Array(64), ageMs: new Float64Array(64), decay: new Float64Array(64), cls: [] };

function reserve(size: number): void {
  if (dated.index.length >= size) return;
  const capacity = Math.max(size, 2 * dated.index.length);
  dated.index = new Int32Array(capacity);
  dated.ageMs = new Float64Array(capacity);
  dated.decay = new Float64Array(capacity);
}

/** What evaluate needs from a definition beyond the compiled form, derived once per definition. */
interface Prepared {
  lookbackMs: number;
  decayPerMs: number;
  defaultLine: CompiledLine;
  /** The non-default lines, in definition order (candidates when activities signal them). */
  otherLines: CompiledLine[];
  highIntentWithinMs: number;
  highIntentTypes: ReadonlySet<string>;
}

const preparedByDef = new WeakMap<CompiledDefinition, Prepared>();

function prepare(def: CompiledDefinition): Prepared {
  let prepared = preparedByDef.get(def);
  if (prepared === undefined) {
    prepared = {
      lookbackMs: def.lookbackDays * DAY_MS,
      decayPerMs: Math.LN2 / (def.halfLifeDays * DAY_MS),
      defaultLine: def.lines.get(def.defaultLine)!,
      otherLines: [...def.lines.values()].filter((line) => line.key !== def.defaultLine),
      highIntentWithinMs: def.highIntent.withinDays * DAY_MS,
      highIntentTypes: new Set<string>(def.highIntent.types),
    };
    preparedByDef.set(def, prepared);
  }
  return prepared;
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
 * Fills `dated` with the activities inside the look-back window, as of `nowMs`. Activities are
 * expected to be unique: the connectors and the activity cache de-duplicate by source id.
 */
function relevantActivities(def: CompiledDefinition, prep: Prepared, activities: readonly Activity[], nowMs: number): void {
  reserve(activities.length);
  const { index, ageMs, decay, cls } = dated;
  const { lookbackMs, decayPerMs } = prep;
  let n = 0;
  for (let i = 0; i < activities.length; i++) {
    const activity = activities[i]!;
    const age = nowMs - parseInstant(activity.at);
    // Future activities are ignored so that an evaluation "as of" a past date sees only its past.
    if (!(age >= 0 && age <= lookbackMs)) continue;
    index[n] = i;
    ageMs[n] = age;
    decay[n] = Math.exp(-decayPerMs * age);
    cls[n] = def.activities.classOf(activity);
    n++;
  }
  dated.count = n;
}

/** The engagement rule activity `j` of `dated` scores under in `line`; -1: unscored. */
function ruleFor(line: CompiledLine, j: number): number {
  const c = dated.cls[j]!;
  const own = c.lineRule[line.index]!;
  return own >= 0 ? own : c.baseRule;
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

function scoreEngagement(line: CompiledLine): EngagementScore {
  const n = line.rules.length;
  const perRule = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) perRule[3 * i + 2] = Infinity;
  const { ageMs, decay } = dated;
  for (let j = 0; j < dated.count; j++) {
    const rule = ruleFor(line, j);
    if (rule < 0) continue;
    perRule[3 * rule]! += line.rules[rule]!.points * decay[j]!;
    perRule[3 * rule + 1]! += 1;
    if (ageMs[j]! < perRule[3 * rule + 2]!) perRule[3 * rule + 2] = ageMs[j]!;
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

function candidateLines(def: CompiledDefinition, prep: Prepared, contact: Contact): CompiledLine[] {
  const declared = contact.serviceLine ? def.lines.get(contact.serviceLine.trim().toLowerCase()) : undefined;
  if (declared) return [declared];
  // Lines the activities point to come first, so on a tie the contact is judged against the
  // offer it showed interest in; the default line is always a candidate.
  let signalled = 0;
  for (let j = 0; j < dated.count; j++) signalled |= dated.cls[j]!.signals;
  const candidates: CompiledLine[] = [];
  if (signalled !== 0) for (const line of prep.otherLines) if ((signalled & (1 << line.index)) !== 0) candidates.push(line);
  candidates.push(prep.defaultLine);
  return candidates;
}

function passes(score: LineScore): boolean {
  return score.fit >= score.line.thresholds.fit && score.engagement >= score.line.thresholds.engagement;
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
function evidenceFor(line: CompiledLine, activities: readonly Activity[]): Evidence[] {
  // A small insertion-sorted top list of `dated` positions: no sort of every activity, no allocation for the rest.
  const top: Array<{ j: number; points: number }> = [];
  const { ageMs, decay } = dated;
  for (let j = 0; j < dated.count; j++) {
    const rule = ruleFor(line, j);
    const points = rule < 0 ? 0 : line.rules[rule]!.points * decay[j]!;
    if (points <= 0) continue;
    const last = top[top.length - 1];
    if (top.length === MAX_EVIDENCE && last !== undefined && (points < last.points || (points === last.points && ageMs[j]! >= ageMs[last.j]!))) continue;
    let at = top.length;
    while (at > 0 && (top[at - 1]!.points < points || (top[at - 1]!.points === points && ageMs[top[at - 1]!.j]! > ageMs[j]!))) at--;
    top.splice(at, 0, { j, points });
    if (top.length > MAX_EVIDENCE) top.pop();
  }
  return top.map(({ j, points }) => {
    const activity = activities[dated.index[j]!]!;
    const item: Evidence = { type: activity.type, at: activity.at, points: round1(points) };
    if (activity.title !== undefined) item.title = activity.title;
    if (activity.url !== undefined) item.url = activity.url;
    return item;
  });
}

/** The youngest activity that earned points, from the per-rule tallies. */
function lastEngagement(score: LineScore, activities: readonly Activity[]): string | null {
  let youngest = Infinity;
  const { rules } = score.line;
  for (let i = 0; i < rules.length; i++) {
    if (rules[i]!.points > 0 && score.perRule[3 * i + 1]! > 0) youngest = Math.min(youngest, score.perRule[3 * i + 2]!);
  }
  if (youngest === Infinity) return null;
  let j = 0;
  while (dated.ageMs[j] !== youngest) j++;
  const at = activities[dated.index[j]!]!.at;
  // Canonical instants are returned as given; other spellings are normalised.
  return at.length === 24 && at.endsWith('Z') ? at : new Date(parseInstant(at)).toISOString();
}

export function evaluate(def: CompiledDefinition, contact: Contact, activities: readonly Activity[], now: Date | string): Evaluation {
  const nowMs = typeof now === 'string' ? parseInstant(now) : now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError(`evaluate: "now" is not a valid date: ${String(now)}`);
  const prep = prepare(def);
  relevantActivities(def, prep, activities, nowMs);
  const baseFit = baseFitMatches(def, contact);
  let shared: EngagementScore | undefined; // lines without engagement rules of their own score alike
  let score: LineScore | undefined;
  for (const line of candidateLines(def, prep, contact)) {
    const engagement = line.sharesBaseEngagement ? (shared ??= scoreEngagement(line)) : scoreEngagement(line);
    const { fit, fitMatches } = scoreFit(line, baseFit, contact);
    const candidate: LineScore = { line, fit, engagement: engagement.engagement, total: round2(fit + engagement.engagement), fitMatches, perRule: engagement.perRule };
    // Highest total wins; then the line that qualifies; then candidate order.
    if (score === undefined || candidate.total > score.total || (candidate.total === score.total && passes(candidate) && !passes(score))) score = candidate;
  }
  if (score === undefined) throw new Error('unreachable: the default line is always a candidate');
  const reasons = reasonsFor(score, nowMs);
  const evidence = evidenceFor(score.line, activities);
  const lastEngagementAt = lastEngagement(score, activities);
  const exclusion = def.exclusions.find((e) => e.test(contact).holds);

  let status: EvaluationStatus;
  let tier = null as ReturnType<typeof tierOf> | null;
  if (exclusion) {
    status = 'excluded';
    reasons.unshift({ rule: `exclusion.${exclusion.id}`, points: 0, detail: `Excluded: ${exclusion.reason}` });
  } else if (passes(score)) {
    status = 'mql';
    tier = tierOf(def, score);
  } else if (def.hasHighIntent && hasRecentHighIntent(prep, activities)) {
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

function hasRecentHighIntent(prep: Prepared, activities: readonly Activity[]): boolean {
  for (let j = 0; j < dated.count; j++) {
    if (dated.ageMs[j]! <= prep.highIntentWithinMs && prep.highIntentTypes.has(activities[dated.index[j]!]!.type)) return true;
  }
  return false;
}
