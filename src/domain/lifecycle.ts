/**
 * The lifecycle state machine: which stage changes are allowed, and who may make them.
 * The service (marketing's definition) may qualify a lead as MQL and recycle an MQL whose
 * engagement decayed; only sales outcomes read from Salesforce move a lead to SAL, SQL,
 * opportunity or disqualified. Anything else is refused with an InvalidTransitionError.
 */
import type { CompiledDefinition } from './definition/compile';
import { InvalidTransitionError } from './errors';
import type { Evaluation } from './evaluate';
import { round1 } from './evaluate';
import type { LifecycleStage, SalesOutcome } from './types';

export type Actor = 'service' | 'sales';

export interface LifecycleState {
  stage: LifecycleStage;
  /** When the current stage began (ISO). */
  since: string;
  /** Start of the current or last MQL episode (ISO); keys the episode's one follow-up task. */
  mqlDate: string | null;
  /** Disqualification or recycle reason of the current stage. */
  reason: string | null;
}

export interface Transition {
  actor: Actor;
  to: LifecycleStage;
  at: string;
  reason?: string;
}

const ALLOWED: Record<Actor, Partial<Record<LifecycleStage, readonly LifecycleStage[]>>> = {
  service: {
    lead: ['mql'],
    recycled: ['mql'],
    mql: ['recycled'],
  },
  sales: {
    lead: ['sales_accepted', 'sql', 'opportunity', 'disqualified', 'recycled'],
    mql: ['sales_accepted', 'sql', 'opportunity', 'disqualified', 'recycled'],
    sales_accepted: ['sql', 'opportunity', 'disqualified', 'recycled'],
    sql: ['opportunity', 'disqualified', 'recycled'],
    opportunity: ['disqualified', 'recycled'],
    disqualified: ['sales_accepted', 'sql', 'recycled'],
    recycled: ['sales_accepted', 'sql', 'opportunity', 'disqualified'],
  },
};

const NEEDS_REASON: readonly LifecycleStage[] = ['disqualified', 'recycled'];

export const INITIAL_STATE: LifecycleState = { stage: 'lead', since: new Date(0).toISOString(), mqlDate: null, reason: null };

export function canTransition(from: LifecycleStage, to: LifecycleStage, actor: Actor): boolean {
  return ALLOWED[actor][from]?.includes(to) ?? false;
}

/** Applies one transition; the same stage again is a no-op, so re-reading an outcome is harmless. */
export function applyTransition(state: LifecycleState, t: Transition): LifecycleState {
  const rereading = t.actor === 'sales' && state.stage === t.to && ALLOWED.sales.mql!.includes(t.to);
  if (rereading && (t.reason ?? null) === state.reason) return state;
  if (!canTransition(state.stage, t.to, t.actor)) {
    const who = t.actor === 'service' ? 'only sales outcomes from Salesforce may do that' : 'that change is not a step of the lifecycle';
    throw new InvalidTransitionError(state.stage, t.to, t.actor, who);
  }
  if (NEEDS_REASON.includes(t.to) && !t.reason) {
    throw new InvalidTransitionError(state.stage, t.to, t.actor, 'a reason is required');
  }
  return {
    stage: t.to,
    since: t.at,
    mqlDate: t.to === 'mql' ? t.at : state.mqlDate,
    reason: NEEDS_REASON.includes(t.to) ? (t.reason ?? null) : null,
  };
}

const OUTCOME_STAGE: Record<SalesOutcome['kind'], LifecycleStage> = {
  accepted: 'sales_accepted',
  sql: 'sql',
  opportunity: 'opportunity',
  disqualified: 'disqualified',
  recycled: 'recycled',
};

export function salesTransition(outcome: SalesOutcome): Transition {
  const t: Transition = { actor: 'sales', to: OUTCOME_STAGE[outcome.kind], at: outcome.at };
  if (outcome.reason !== undefined) t.reason = outcome.reason;
  return t;
}

const DAY_MS = 86_400_000;

/**
 * What the definition asks of the lifecycle after an evaluation, or null to leave it.
 * Hysteresis: an MQL keeps its status for `minDaysInMql` and then leaves only when
 * engagement drops below the lower exit threshold, so it does not flap as points decay.
 * A recycled lead re-qualifies only on engagement newer than its recycling.
 */
export function serviceTransition(def: CompiledDefinition, state: LifecycleState, evaluation: Evaluation): Transition | null {
  const at = evaluation.evaluatedAt;
  switch (state.stage) {
    case 'lead':
      return evaluation.mql ? { actor: 'service', to: 'mql', at } : null;
    case 'recycled': {
      const fresh = evaluation.lastEngagementAt !== null && evaluation.lastEngagementAt > state.since;
      return evaluation.mql && fresh ? { actor: 'service', to: 'mql', at } : null;
    }
    case 'mql': {
      if (evaluation.status === 'excluded') {
        const detail = evaluation.reasons[0]?.detail ?? 'Excluded by the definition';
        return { actor: 'service', to: 'recycled', at, reason: detail };
      }
      if (evaluation.mql) return null;
      const daysInMql = (Date.parse(at) - Date.parse(state.mqlDate ?? state.since)) / DAY_MS;
      if (daysInMql < def.hysteresis.minDaysInMql) return null;
      const { exitEngagement, exitFit } = def.hysteresis;
      if (evaluation.score.engagement < exitEngagement) {
        return { actor: 'service', to: 'recycled', at, reason: `Engagement decayed to ${round1(evaluation.score.engagement)} (exit threshold ${exitEngagement})` };
      }
      if (exitFit !== undefined && evaluation.score.fit < exitFit) {
        return { actor: 'service', to: 'recycled', at, reason: `Fit fell to ${evaluation.score.fit} (exit threshold ${exitFit})` };
      }
      return null;
    }
    default:
      // SAL, SQL, opportunity and disqualified belong to sales; engagement never overrides them.
      return null;
  }
}
