/**
 * evaluate(definition, contact, activities, now): the one place that decides whether a
 * contact is an MQL. Pure and deterministic: the same inputs always give the same result,
 * and `now` is a parameter, never the clock.
 */
import type { CompiledDefinition, CompiledFitRule, CompiledLine, EngagementRule } from './definition/compile';
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
  /** Union of the activities' line signals (bit i: line i). */
  signalled: number;
  /** Index into the contact's activities. */
  index: Int32Array;
  ageMs: Float64Array;
  decay: Float64Array;
  /** Points under the engagement shared by lines without rules of their own (0: unscored). */
  sharedPoints: Float64Array;
  cls: ActivityClass[];
}

const dated: Dated = { count: 0, signalled: 0, index: new Int32Array(64), ageMs: new Float64Array(64), decay: new Float64Array(64), sharedPoints: new Float64Array(64), cls: [] };

function reserve(size: number): void {
  if (dated.index.length >= size) return;
  const capacity = Math.max(size, 2 * dated.index.length);
  dated.index = new Int32Array(capacity);
  dated.ageMs = new Float64Array(capacity);
  dated.decay = new Float64Array(capacity);
  dated.sharedPoints = new Float64Array(capacity);
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
  /** The rules of lines without engagement rules of their own (all alike), or undefined when no line is such. */
  sharedRules: EngagementRule[] | undefined;
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
      sharedRules: [...def.lines.values()].find((line) => line.sharesBaseEngagement)?.rules,
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
 * Tallies per engagement rule: points, count, youngest age (3 entries per rule); ages start at
 * Infinity. Allocating typed arrays per contact showed in the profile, so each slot (0: the
 * shared engagement, 1 + i: line i) reuses one; like `dated`, valid until the next evaluate().
 */
const tallyPool: Float64Array[] = [];

function newTallies(slot: number, ruleCount: number): Float64Array {
  let perRule = tallyPool[slot];
  if (perRule === undefined || perRule.length !== 3 * ruleCount) tallyPool[slot] = perRule = new Float64Array(3 * ruleCount);
  for (let i = 0; i < ruleCount; i++) {
    perRule[3 * i] = 0;
    perRule[3 * i + 1] = 0;
    perRule[3 * i + 2] = Infinity;
  }
  return perRule;
}

/**
 * Fills `dated` with the activities inside the look-back window, as of `nowMs`, and in the same
 * pass tallies the engagement shared by lines without rules of their own (returned, uncapped;
 * undefined when no line shares it). Activities are expected to be unique: the connectors and
 * the activity cache de-duplicate by source id.
 */
function relevantActivities(def: CompiledDefinition, prep: Prepared, activities: readonly Activity[], nowMs: number): Float64Array | undefined {
  reserve(activities.length);
  const { index, ageMs, decay, sharedPoints, cls } = dated;
  const { lookbackMs, decayPerMs, sharedRules } = prep;
  const shared = sharedRules === undefined ? undefined : newTallies(0, sharedRules.length);
  let n = 0;
  let signalled = 0;
  for (let i = 0; i < activities.length; i++) {
    const activity = activities[i]!;
    const age = nowMs - parseInstant(activity.at);
    // Future activities are ignored so that an evaluation "as of" a past date sees only its past.
    if (!(age >= 0 && age <= lookbackMs)) continue;
    const c = def.activities.classOf(activity);
    const d = Math.exp(-decayPerMs * age);
    index[n] = i;
    ageMs[n] = age;
    decay[n] = d;
    cls[n] = c;
    signalled |= c.signals;
    // A line without refinements of its own scores every activity under its base rule.
    if (shared !== undefined && c.baseRule >= 0) {
      const points = sharedRules![c.baseRule]!.points * d;
      sharedPoints[n] = points;
      tally(shared, c.baseRule, points, age);
    } else {
      sharedPoints[n] = 0;
    }
    n++;
  }
  dated.count = n;
  dated.signalled = signalled;
  return shared;
}

function tally(perRule: Float64Array, rule: number, points: number, age: number): void {
  perRule[3 * rule]! += points;
  perRule[3 * rule + 1]! += 1;
  if (age < perRule[3 * rule + 2]!) perRule[3 * rule + 2] = age;
}

/** The engagement rule activity `j` of `dated` scores under in `line`; -1: unscored. */
function ruleFor(line: CompiledLine, j: number): number {
  const c = dated.cls[j]!;
  const own = c.lineRule[line.index]!;
  return own >= 0 ? own : c.baseRule;
}

function baseFitMatches(def: CompiledDefinition, contact: Contact): Array<FitMatch | undefined> {
  const rules = def.baseFitRules;
  const matches = new Array<FitMatch | undefined>(rules.length);
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const result = rule.test(contact);
    matches[i] = result.holds ? { rule, value: result.value } : undefined;
  }
  return matches;
}

interface EngagementScore {
  engagement: number;
  /** Per engagement rule: capped points, count, youngest age (3 entries per rule). */
  perRule: Float64Array;
}

/** A line's engagement from the activities in `dated`. */
function scoreEngagement(line: CompiledLine): EngagementScore {
  const perRule = newTallies(1 + line.index, line.rules.length);
  const { ageMs, decay } = dated;
  for (let j = 0; j < dated.count; j++) {
    const rule = ruleFor(line, j);
    if (rule >= 0) tally(perRule, rule, line.rules[rule]!.points * decay[j]!, ageMs[j]!);
  }
  return capped(line.rules, perRule);
}

/** Caps each rule's points (in place) and sums them. */
function capped(rules: EngagementRule[], perRule: Float64Array): EngagementScore {
  let engagement = 0;
  for (let i = 0; i < rules.length; i++) {
    const points = Math.min(perRule[3 * i]!, rules[i]!.cap);
    perRule[3 * i] = points;
    engagement += points;
  }
  return { engagement: round2(engagement), perRule };
}

function scoreFit(line: CompiledLine, baseFit: Array<FitMatch | undefined>, contact: Contact): { fit: number; fitMatches: FitMatch[] } {
  let fit = 0;
  const fitMatches: FitMatch[] = [];
  for (let i = 0; i < baseFit.length; i++) {
    const match = baseFit[i];
    if (match && line.skipsBaseFit[i] === 0) {
      fit += match.rule.points;
      fitMatches.push(match);
    }
  }
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
  const signalled = dated.signalled;
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

const timesLatest = (count: number): string => `${count === 1 ? '1 time' : `${count} times`}, latest `;

/** `<label>: N times, latest `: the start of a reason detail, built once per rule and common count. */
function detailStart(rule: EngagementRule, count: number): string {
  if (count >= 256) return rule.detailPrefix + timesLatest(count);
  return (rule.detailStarts[count] ??= rule.detailPrefix + timesLatest(count));
}

function reasonsFor(score: LineScore, nowMs: number): Reason[] {
  const { line, perRule } = score;
  const reasons: Reason[] = [];
  for (const { rule, value } of score.fitMatches) {
    const parts = rule.reasonParts;
    const detail = parts.length === 1 ? parts[0]! : parts.length === 2 ? parts[0]! + value + parts[1]! : parts.join(value);
    reasons.push({ rule: rule.ruleKey, points: rule.points, detail });
  }
  for (let i = 0; i < line.rules.length; i++) {
    const count = perRule[3 * i + 1]!;
    if (count === 0) continue;
    const rule = line.rules[i]!;
    const cappedNote = perRule[3 * i]! >= rule.cap ? ', capped' : '';
    const detail = detailStart(rule, count) + isoDay(nowMs - perRule[3 * i + 2]!) + cappedNote;
    reasons.push({ rule: rule.reasonKey, points: round1(perRule[3 * i]!), detail });
  }
  // Insertion sort: a dozen items, cheaper than Array#sort calling a comparator. Rule keys are
  // unique, so the order is total and any correct sort gives the same result.
  for (let i = 1; i < reasons.length; i++) {
    const r = reasons[i]!;
    let at = i;
    while (at > 0 && reasonBefore(r, reasons[at - 1]!)) {
      reasons[at] = reasons[at - 1]!;
      at--;
    }
    reasons[at] = r;
  }
  return reasons;
}

/** Most points first, then by rule name. */
const reasonBefore = (a: Reason, b: Reason): boolean => a.points > b.points || (a.points === b.points && a.rule < b.rule);

/** Scratch for evidenceFor's top list: positions in `dated` and their points. */
const topJ = new Int32Array(MAX_EVIDENCE + 1);
const topPoints = new Float64Array(MAX_EVIDENCE + 1);

/** The activities that earned the most points under the chosen line, strongest first. */
function evidenceFor(line: CompiledLine, activities: readonly Activity[]): Evidence[] {
  // A small insertion-sorted top list: no sort of every activity, no allocation for the rest.
  // Equal points: the younger activity first.
  let size = 0;
  const { ageMs, decay } = dated;
  // Lines that share the base engagement read the points tallied in the first pass.
  const shared = line.sharesBaseEngagement;
  for (let j = 0; j < dated.count; j++) {
    const rule = shared ? 0 : ruleFor(line, j);
    const points = shared ? dated.sharedPoints[j]! : rule < 0 ? 0 : line.rules[rule]!.points * decay[j]!;
    if (points <= 0) continue;
    if (size === MAX_EVIDENCE && (points < topPoints[size - 1]! || (points === topPoints[size - 1]! && ageMs[j]! >= ageMs[topJ[size - 1]!]!))) continue;
    let at = size;
    while (at > 0 && (topPoints[at - 1]! < points || (topPoints[at - 1]! === points && ageMs[topJ[at - 1]!]! > ageMs[j]!))) {
      topPoints[at] = topPoints[at - 1]!;
      topJ[at] = topJ[at - 1]!;
      at--;
    }
    topPoints[at] = points;
    topJ[at] = j;
    if (size < MAX_EVIDENCE) size++;
  }
  const evidence: Evidence[] = [];
  for (let k = 0; k < size; k++) {
    const activity = activities[dated.index[topJ[k]!]!]!;
    const item: Evidence = { type: activity.type, at: activity.at, points: round1(topPoints[k]!) };
    if (activity.title !== undefined) item.title = activity.title;
    if (activity.url !== undefined) item.url = activity.url;
    evidence.push(item);
  }
  return evidence;
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
  const sharedTallies = relevantActivities(def, prep, activities, nowMs);
  const baseFit = baseFitMatches(def, contact);
  let shared: EngagementScore | undefined; // lines without engagement rules of their own score alike
  let score: LineScore | undefined;
  for (const line of candidateLines(def, prep, contact)) {
    const engagement = line.sharesBaseEngagement ? (shared ??= capped(line.rules, sharedTallies!)) : scoreEngagement(line);
    const { fit, fitMatches } = scoreFit(line, baseFit, contact);
    const candidate: LineScore = { line, fit, engagement: engagement.engagement, total: round2(fit + engagement.engagement), fitMatches, perRule: engagement.perRule };
    // Highest total wins; then the line that qualifies; then candidate order.
    if (score === undefined || candidate.total > score.total || (candidate.total === score.total && passes(candidate) && !passes(score))) score = candidate;
  }
  if (score === undefined) throw new Error('unreachable: the default line is always a candidate');
  const reasons = reasonsFor(score, nowMs);
  const evidence = evidenceFor(score.line, activities);
  const lastEngagementAt = lastEngagement(score, activities);
  let exclusion: CompiledDefinition['exclusions'][number] | undefined;
  for (const e of def.exclusions) if (e.test(contact).holds) { exclusion = e; break; }

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
