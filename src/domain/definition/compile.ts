/**
 * Turns a validated definition file into the structure `evaluate` runs on: regexes compiled
 * once, rules indexed by activity type, and one merged rule set per service line.
 */
import type { ActivityType } from '../types';
import { ACTIVITY_TYPES } from '../types';
import type { DefinitionFile, FitRule, Refinement } from './schema';
import { compileActivityMatch, compileCondition, compileSignals } from './conditions';
import type { ActivityPredicate, ContactPredicate } from './conditions';
import { ActivityClassifier } from './activity-classes';
import { TextPatterns } from './text-patterns';

export interface CompiledFitRule {
  id: string;
  /** `fit.<id>`, the rule's name in reasons. */
  ruleKey: string;
  points: number;
  reason: string;
  /** The reason split at `{value}`, joined with the value at evaluation. */
  reasonParts: string[];
  test: ContactPredicate;
}

/** One bucket of engagement points: a type's base rule or a refinement. */
export interface EngagementRule {
  key: string;
  /** `engagement.<key>`, the rule's name in reasons. */
  reasonKey: string;
  label: string;
  /** `<label>: `, the start of the rule's reason detail, built once rather than per contact. */
  detailPrefix: string;
  /** `<label>: N times, latest ` by count N < 256, filled as counts occur (see reasonsFor). */
  detailStarts: string[];
  points: number;
  cap: number;
}

/**
 * One service line. Its engagement rules are the definition's rules (same indexes, points
 * possibly overridden by the line) followed by the line's own refinements, so an activity's
 * base rule is resolved once per contact and each line only checks its own refinements.
 */
export interface CompiledLine {
  /** Position among the definition's lines (default first): the bit of its signals. */
  index: number;
  key: string;
  label: string;
  thresholds: { fit: number; engagement: number };
  /** Base fit rules this line replaces (by id). */
  skipsBaseFit: Uint8Array;
  extraFitRules: CompiledFitRule[];
  rules: EngagementRule[];
  refinementsByType: Map<ActivityType, Array<{ rule: number; match: ActivityPredicate }>>;
  /** True when the line scores engagement exactly like the definition (no own refinements or points). */
  sharesBaseEngagement: boolean;
  signals: ActivityPredicate | undefined;
  discoveryTopics: string[];
}

export interface CompiledDefinition {
  version: string;
  /** The file as written, for diffs and reports. */
  source: DefinitionFile;
  lookbackDays: number;
  halfLifeDays: number;
  baseFitRules: CompiledFitRule[];
  /** Base engagement rule of an activity: first matching refinement, else its type's rule. */
  baseRuleByType: Map<ActivityType, number>;
  baseRefinementsByType: Map<ActivityType, Array<{ rule: number; match: ActivityPredicate }>>;
  exclusions: Array<{ id: string; reason: string; test: ContactPredicate }>;
  highIntent: DefinitionFile['highIntent'] & {};
  hasHighIntent: boolean;
  hysteresis: DefinitionFile['hysteresis'];
  tiers: DefinitionFile['tiers'];
  defaultLine: string;
  /** Url and title patterns of every rule and signal, classified once per distinct text. */
  texts: TextPatterns;
  /** What each kind of activity scores under in each line, memoised. */
  activities: ActivityClassifier;
  /** Default first, then the other lines in file order. */
  lines: Map<string, CompiledLine>;
}

/** A semantic problem the schema cannot see; the parser turns it into a DefinitionError. */
export class SemanticError extends Error {
  constructor(
    readonly path: string,
    message: string,
    readonly value?: unknown,
  ) {
    super(message);
    this.name = 'SemanticError';
  }
}

function compileFitRules(rules: FitRule[], path: string, fields: TextPatterns): CompiledFitRule[] {
  return rules.map((rule, i) => ({
    id: rule.id,
    ruleKey: `fit.${rule.id}`,
    points: rule.points,
    reason: rule.reason,
    reasonParts: rule.reason.split('{value}'),
    test: compileCondition(rule.when, `${path}[${i}].when`, fields),
  }));
}

function assertUniqueIds(items: Array<{ id: string }>, path: string): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) throw new SemanticError(`${path}[${i}].id`, 'duplicate rule id', item.id);
    seen.add(item.id);
  });
}

type RefinementIndex = Map<ActivityType, Array<{ rule: number; match: ActivityPredicate }>>;

function indexRefinement(index: RefinementIndex, refinement: Refinement, rule: number, match: ActivityPredicate): void {
  const appliesTo = refinement.when.type === undefined ? ACTIVITY_TYPES : [refinement.when.type].flat();
  for (const type of appliesTo) {
    const list = index.get(type) ?? [];
    list.push({ rule, match });
    index.set(type, list);
  }
}

function engagementRule(key: string, label: string, score: { points: number; cap?: number | undefined }): EngagementRule {
  return { key, reasonKey: `engagement.${key}`, label, detailPrefix: `${label}: `, detailStarts: [], points: score.points, cap: score.cap ?? Infinity };
}

/** The definition-wide engagement rules: one per scored type, then one per refinement. */
function baseEngagement(def: DefinitionFile, texts: TextPatterns) {
  const rules: EngagementRule[] = [];
  const baseRuleByType = new Map<ActivityType, number>();
  for (const type of ACTIVITY_TYPES) {
    const score = def.engagement.types[type];
    if (score === undefined) continue;
    baseRuleByType.set(type, rules.length);
    rules.push(engagementRule(`type.${type}`, score.label ?? type.replace(/_/g, ' '), score));
  }
  const baseRefinementsByType: RefinementIndex = new Map();
  def.engagement.refinements.forEach((refinement, i) => {
    const match = compileActivityMatch(refinement.when, `engagement.refinements[${i}].when`, texts);
    indexRefinement(baseRefinementsByType, refinement, rules.length, match);
    rules.push(engagementRule(`refinement.${refinement.id}`, refinement.label, refinement));
  });
  return { rules, baseRuleByType, baseRefinementsByType };
}

function compileLine(def: DefinitionFile, key: string, index: number, base: ReturnType<typeof baseEngagement>, texts: TextPatterns, fields: TextPatterns): CompiledLine {
  const line = def.serviceLines.lines[key]!;
  const path = `serviceLines.lines.${key}`;
  // Same indexes as the base rules; a line may change a type's points but not its meaning.
  const rules = base.rules.map((rule) => {
    const type = rule.key.startsWith('type.') ? (rule.key.slice(5) as ActivityType) : undefined;
    const override = type && line.engagement?.types?.[type];
    return override ? engagementRule(rule.key, override.label ?? rule.label, override) : rule;
  });
  for (const type of Object.keys(line.engagement?.types ?? {}) as ActivityType[]) {
    if (!base.baseRuleByType.has(type)) {
      throw new SemanticError(`${path}.engagement.types.${type}`, 'a line can only change the points of a type the definition already scores (add it under engagement.types)', type);
    }
  }
  const lineRefinements = line.engagement?.refinements ?? [];
  assertUniqueIds(lineRefinements, `${path}.engagement.refinements`);
  const refinementsByType: RefinementIndex = new Map();
  lineRefinements.forEach((refinement, i) => {
    if (def.engagement.refinements.some((r) => r.id === refinement.id)) {
      throw new SemanticError(`${path}.engagement.refinements[${i}].id`, 'already a refinement of the whole definition: give the line its own id', refinement.id);
    }
    const match = compileActivityMatch(refinement.when, `${path}.engagement.refinements[${i}].when`, texts);
    indexRefinement(refinementsByType, refinement, rules.length, match);
    rules.push(engagementRule(`refinement.${refinement.id}`, refinement.label, refinement));
  });
  const lineFit = line.fit?.rules ?? [];
  assertUniqueIds(lineFit, `${path}.fit.rules`);
  const skipsBaseFit = new Uint8Array(def.fit.rules.length);
  def.fit.rules.forEach((rule, i) => {
    if (lineFit.some((r) => r.id === rule.id)) skipsBaseFit[i] = 1;
  });
  return {
    index,
    key,
    label: line.label,
    thresholds: { ...def.thresholds, ...(line.thresholds ?? {}) },
    skipsBaseFit,
    extraFitRules: compileFitRules(lineFit, `${path}.fit.rules`, fields),
    rules,
    refinementsByType,
    sharesBaseEngagement: lineRefinements.length === 0 && Object.keys(line.engagement?.types ?? {}).length === 0,
    signals: line.signals ? compileSignals(line.signals, `${path}.signals`, texts) : undefined,
    discoveryTopics: line.discoveryTopics ?? def.discoveryTopics,
  };
}

export function compileDefinition(def: DefinitionFile): CompiledDefinition {
  assertUniqueIds(def.fit.rules, 'fit.rules');
  assertUniqueIds(def.engagement.refinements, 'engagement.refinements');
  assertUniqueIds(def.exclusions, 'exclusions');
  if (!(def.serviceLines.default in def.serviceLines.lines)) {
    throw new SemanticError('serviceLines.default', `must name one of serviceLines.lines (${Object.keys(def.serviceLines.lines).join(', ')})`, def.serviceLines.default);
  }
  const last = def.tiers[def.tiers.length - 1]!;
  if (last.minTotal !== undefined || last.minFit !== undefined || last.minEngagement !== undefined) {
    throw new SemanticError(`tiers[${def.tiers.length - 1}]`, 'the last tier must have no minimums, so every MQL gets a tier', last);
  }
  if (def.hysteresis.exitEngagement > def.thresholds.engagement) {
    throw new SemanticError('hysteresis.exitEngagement', `must not exceed thresholds.engagement (${def.thresholds.engagement}), or MQLs would leave as soon as they arrive`, def.hysteresis.exitEngagement);
  }
  const order = [def.serviceLines.default, ...Object.keys(def.serviceLines.lines).filter((k) => k !== def.serviceLines.default)];
  const texts = new TextPatterns();
  const fields = new TextPatterns();
  const base = baseEngagement(def, texts);
  const lines = new Map(order.map((key, index) => [key, compileLine(def, key, index, base, texts, fields)] as const));
  return {
    version: def.version,
    source: def,
    lookbackDays: def.lookbackDays,
    halfLifeDays: def.engagement.halfLifeDays,
    baseFitRules: compileFitRules(def.fit.rules, 'fit.rules', fields),
    baseRuleByType: base.baseRuleByType,
    baseRefinementsByType: base.baseRefinementsByType,
    exclusions: def.exclusions.map((e, i) => ({ id: e.id, reason: e.reason, test: compileCondition(e.when, `exclusions[${i}].when`, fields) })),
    highIntent: def.highIntent ?? { types: [], withinDays: 0, status: 'mql', reason: '' },
    hasHighIntent: def.highIntent !== undefined,
    hysteresis: def.hysteresis,
    tiers: def.tiers,
    defaultLine: def.serviceLines.default,
    texts,
    activities: new ActivityClassifier(texts, base.baseRuleByType, base.baseRefinementsByType, [...lines.values()]),
    lines,
  };
}
