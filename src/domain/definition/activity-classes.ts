/**
 * What the definition makes of one kind of activity, computed once per distinct
 * (type, url, title, form, category) and reused: the rule it scores under in each service
 * line and the lines its topic points to. Websites have a finite set of pages and content
 * libraries a finite set of titles, so across a backfill or a backtest nearly every activity
 * is a kind already seen, and evaluation does no pattern matching for it at all.
 */
import type { Activity, ActivityType } from '../types';
import type { ActivityPredicate, ClassifiedActivity } from './conditions';
import type { TextPatterns } from './text-patterns';

export interface ActivityClass {
  /** The engagement rule (index into each line's rules) when a line has no refinement of its own for it; -1: unscored. */
  baseRule: number;
  /** Per line index: the line's own refinement that matches, or -1 to use `baseRule`. */
  lineRule: Int32Array;
  /** Bit i is set when line i's signals point to this activity. */
  signals: number;
}

type RefinementIndex = Map<ActivityType, Array<{ rule: number; match: ActivityPredicate }>>;

export interface ClassifiableLine {
  refinementsByType: RefinementIndex;
  signals: ActivityPredicate | undefined;
}

const MAX_MEMO = 200_000;

function firstMatch(refinements: Array<{ rule: number; match: ActivityPredicate }> | undefined, a: ClassifiedActivity): number {
  if (refinements) for (const r of refinements) if (r.match(a)) return r.rule;
  return -1;
}

type Level<T> = Map<string, T>;

export class ActivityClassifier {
  // Nested maps, so a lookup builds no key string. Most activities have no form id or category:
  // they get a map level fewer, as this lookup runs once per activity of every contact.
  // type -> url -> title -> class
  private readonly plain: Level<Level<Level<ActivityClass>>> = new Map();
  // type -> url -> title -> form and category -> class
  private readonly withForm: Level<Level<Level<Level<ActivityClass>>>> = new Map();
  private size = 0;

  constructor(
    private readonly texts: TextPatterns,
    private readonly baseRuleByType: Map<ActivityType, number>,
    private readonly baseRefinementsByType: RefinementIndex,
    private readonly lines: readonly ClassifiableLine[],
  ) {
    if (lines.length > 31) throw new RangeError('at most 31 service lines');
  }

  classOf(activity: Activity): ActivityClass {
    const url = activity.url ?? '';
    const title = activity.title ?? '';
    let byKey: Level<ActivityClass>;
    let key: string;
    if (activity.formId === undefined && activity.category === undefined) {
      const known = this.plain.get(activity.type)?.get(url)?.get(title);
      if (known !== undefined) return known;
      byKey = this.level(this.level(this.plain, activity.type), url);
      key = title;
    } else {
      byKey = this.level(this.level(this.level(this.withForm, activity.type), url), title);
      key = `${activity.formId ?? ''}\u0000${activity.category ?? ''}`;
    }
    let found = byKey.get(key);
    if (found === undefined) {
      found = this.classify(activity);
      if (++this.size > MAX_MEMO) {
        this.plain.clear();
        this.withForm.clear();
        this.size = 0;
      }
      byKey.set(key, found);
    }
    return found;
  }

  private level<T>(map: Level<Level<T>>, key: string): Level<T> {
    let next = map.get(key);
    if (next === undefined) {
      next = new Map();
      map.set(key, next);
    }
    return next;
  }

  private classify(activity: Activity): ActivityClass {
    const a: ClassifiedActivity = { activity, url: this.texts.flags(activity.url), title: this.texts.flags(activity.title) };
    const refined = firstMatch(this.baseRefinementsByType.get(activity.type), a);
    const lineRule = new Int32Array(this.lines.length);
    let signals = 0;
    this.lines.forEach((line, i) => {
      lineRule[i] = firstMatch(line.refinementsByType.get(activity.type), a);
      if (line.signals?.(a)) signals |= 1 << i;
    });
    return { baseRule: refined >= 0 ? refined : (this.baseRuleByType.get(activity.type) ?? -1), lineRule, signals };
  }
}
