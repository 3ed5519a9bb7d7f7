/**
 * plan(): what one contact's sync should write, given what both systems hold now.
 * Pure: evaluation, lifecycle, routing and diffs; no I/O. An unchanged contact plans nothing.
 */
import type { FieldsMapping, ReasonsMapping, RoutingMapping } from '../mappings/schema';
import type { CompiledDefinition } from './definition/compile';
import { InvalidTransitionError } from './errors';
import { evaluate, round1, type Evaluation } from './evaluate';
import { applyTransition, INITIAL_STATE, serviceTransition, salesTransition, type LifecycleState, type Transition } from './lifecycle';
import { outcomeFromRecord, salesforceInstant } from './outcomes';
import { routeFor, type Route } from './routing';
import { dueDate, taskDescription, taskKey, taskSubject } from './task';
import { LIFECYCLE_STAGES, type Activity, type Contact, type LifecycleStage } from './types';
import { diff, fitText, type ValueKind } from './values';

export interface PlanContext {
  definition: CompiledDefinition;
  fields: FieldsMapping;
  reasons: ReasonsMapping;
  routing: RoutingMapping;
}

export interface MatchedRecord {
  sobject: 'Lead' | 'Contact';
  id: string;
  fields: Record<string, unknown>;
}

export interface PlanInput {
  contact: Contact;
  activities: readonly Activity[];
  /** The matched Salesforce record with its current field values, or null. */
  record: MatchedRecord | null;
  now: string;
}

export interface ContactPlan {
  hubspotId: string;
  evaluation: Evaluation;
  before: LifecycleState;
  after: LifecycleState;
  transitions: Transition[];
  /** HubSpot lifecycle properties that change. */
  hubspot: Record<string, string>;
  salesforce: {
    update?: { sobject: 'Lead' | 'Contact'; id: string; fields: Record<string, unknown> };
    create?: { fields: Record<string, unknown> };
    /** WhoId is the matched record, or the Lead created in the same sync. */
    task?: { key: string; fields: Record<string, unknown> };
  };
  route?: Route;
  /** Things an admin should know (refused transitions), in words. */
  notes: string[];
}

/** Salesforce text limit of the reasons field (Long Text Area 4000 in the shipped set-up). */
export const REASONS_MAX = 4000;
const ACTIVE_MQL: readonly LifecycleStage[] = ['mql', 'sales_accepted', 'sql', 'opportunity'];

const HUBSPOT_KINDS: Record<string, ValueKind> = {
  stageDate: 'datetime', score: 'number', fitScore: 'number', engagementScore: 'number', mqlDate: 'datetime',
  salesOutcomeDate: 'datetime', sqlDate: 'datetime',
};
const SALESFORCE_KINDS: Record<string, ValueKind> = {
  mql: 'boolean', score: 'number', fitScore: 'number', engagementScore: 'number', mqlDate: 'datetime',
};

const parseDate = (v: string | null | undefined): string | null => {
  if (!v) return null;
  const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
};

/** The lifecycle as HubSpot records it (the service's own properties). */
export function stateFromHubSpot(props: Record<string, string | null>, names: FieldsMapping['hubspot']['lifecycle']['properties']): LifecycleState {
  const stage = props[names.stage];
  if (!stage || !(LIFECYCLE_STAGES as readonly string[]).includes(stage)) return INITIAL_STATE;
  return {
    stage: stage as LifecycleStage,
    since: parseDate(props[names.stageDate]) ?? INITIAL_STATE.since,
    mqlDate: parseDate(props[names.mqlDate]),
    reason: props[names.outcomeReason] || null,
  };
}

export const reasonsText = (e: Evaluation): string => e.reasons.map((r) => `${r.points > 0 ? '+' : ''}${r.points} ${r.detail}`).join('\n');

/** Keys (domain names) of HubSpot properties implied by the transitions of this plan. */
function outcomeProperties(transitions: Transition[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of transitions) {
    if (t.actor === 'sales') {
      const kind = t.to === 'sales_accepted' ? 'accepted' : t.to;
      Object.assign(out, { salesOutcome: kind, salesOutcomeDate: t.at, outcomeReason: t.reason ?? '' });
      if (t.to === 'sql') out.sqlDate = t.at;
    } else if (t.to === 'recycled') {
      out.outcomeReason = t.reason ?? '';
    }
    // Re-qualifying keeps the last sales decision: its date shows it belongs to an earlier episode.
  }
  return out;
}

function rename(names: Record<string, string>, values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [names[k] ?? k, v]));
}

interface LifecycleStep {
  before: LifecycleState;
  after: LifecycleState;
  transitions: Transition[];
  notes: string[];
}

/** Applies transitions in order; a refused one becomes a note, never an exception. */
function stepper(before: LifecycleState): LifecycleStep & { apply(t: Transition): void } {
  const step = {
    before,
    after: before,
    transitions: [] as Transition[],
    notes: [] as string[],
    apply(t: Transition) {
      try {
        const next = applyTransition(step.after, t);
        if (next !== step.after) step.transitions.push(t);
        step.after = next;
      } catch (error) {
        if (!(error instanceof InvalidTransitionError)) throw error;
        step.notes.push(`refused: ${error.message}`);
      }
    },
  };
  return step;
}

/** Sales decisions come first: engagement never overrides what sales decided. */
function salesStep(ctx: PlanContext, props: Record<string, string | null>, record: MatchedRecord | null, now: string) {
  const hsNames = ctx.fields.hubspot.lifecycle.properties;
  const step = stepper(recoverEpisode(stateFromHubSpot(props, hsNames), record, ctx.fields));
  const outcome = record ? outcomeFromRecord(record.sobject, record.fields, ctx, now) : null;
  const recorded = { kind: props[hsNames.salesOutcome] || null, at: parseDate(props[hsNames.salesOutcomeDate]) };
  if (outcome && !isStale(outcome.kind, recorded, step.before)) step.apply(salesTransition(outcome));
  return step;
}

function hubspotDiff(ctx: PlanContext, props: Record<string, string | null>, desired: Record<string, string>): Record<string, string> {
  const names = ctx.fields.hubspot.lifecycle.properties;
  const current = Object.fromEntries(Object.keys(desired).map((k) => [k, props[names[k as keyof typeof names]]]));
  return rename(names, diff(HUBSPOT_KINDS, current, desired)) as Record<string, string>;
}

const stageProperties = (state: LifecycleState) => ({ stage: state.stage, stageDate: state.since === INITIAL_STATE.since ? '' : state.since });

/**
 * The write-back of a sales decision alone (no evaluation, no activities): what HubSpot must
 * show after Salesforce changed this record.
 */
export function planOutcome(ctx: PlanContext, props: Record<string, string | null>, record: MatchedRecord, now: string): { hubspot: Record<string, string> } & LifecycleStep {
  const step = salesStep(ctx, props, record, now);
  const desired: Record<string, string> = { salesforceId: record.id, ...outcomeProperties(step.transitions) };
  if (step.transitions.length) Object.assign(desired, stageProperties(step.after));
  const { before, after, transitions, notes } = step;
  return { hubspot: hubspotDiff(ctx, props, desired), before, after, transitions, notes };
}

export function plan(ctx: PlanContext, props: Record<string, string | null>, input: PlanInput): ContactPlan {
  const { contact, record, now } = input;
  const hsNames = ctx.fields.hubspot.lifecycle.properties;
  const evaluation = evaluate(ctx.definition, contact, input.activities, now);
  const step = salesStep(ctx, props, record, now);
  const service = serviceTransition(ctx.definition, step.after, evaluation);
  if (service) step.apply(service);
  const { before, after, transitions, notes } = step;

  const activeMql = ACTIVE_MQL.includes(after.stage);
  const currentTier = props[hsNames.tier] || null;
  // Under hysteresis an MQL keeps its last tier rather than showing none.
  const tier = evaluation.tier ?? (activeMql ? currentTier : null);
  const desiredHubSpot: Record<string, string> = {
    ...stageProperties(after),
    score: String(round1(evaluation.score.total)),
    fitScore: String(round1(evaluation.score.fit)),
    engagementScore: String(round1(evaluation.score.engagement)),
    tier: tier ?? '',
    reasons: reasonsText(evaluation),
    definitionVersion: evaluation.definitionVersion,
    serviceLine: evaluation.serviceLine,
    mqlDate: after.mqlDate ?? '',
    ...outcomeProperties(transitions),
  };
  if (record) desiredHubSpot.salesforceId = record.id;
  const hubspot = hubspotDiff(ctx, props, desiredHubSpot);

  const push = ctx.fields.salesforce.push;
  const desiredSalesforce: Record<string, unknown> = {
    mql: activeMql,
    score: round1(evaluation.score.total),
    fitScore: round1(evaluation.score.fit),
    engagementScore: round1(evaluation.score.engagement),
    tier,
    reasons: fitText(reasonsText(evaluation), REASONS_MAX),
    definitionVersion: evaluation.definitionVersion,
    mqlDate: after.mqlDate,
    serviceLine: evaluation.serviceLine,
  };
  const result: ContactPlan = { hubspotId: contact.id, evaluation, before, after, transitions, hubspot, salesforce: {}, notes };
  if (record) {
    const current = Object.fromEntries(Object.entries(push).map(([k, api]) => [k, record.fields[api]]));
    const changed = rename(push, diff(SALESFORCE_KINDS, current, desiredSalesforce));
    // A record found by e-mail is linked to the contact: the outcome poll reads only linked
    // records, so without it a sales decision on that record would never reach HubSpot.
    const link = ctx.fields.salesforce.externalIdField;
    if (!record.fields[link]) changed[link] = contact.id;
    if (Object.keys(changed).length) result.salesforce.update = { sobject: record.sobject, id: record.id, fields: changed };
  }
  if (after.stage !== 'mql' || after.mqlDate === null) return result;

  const route = routeFor(ctx.routing, { serviceLine: evaluation.serviceLine, country: contact.country, tier });
  result.route = route;
  if (!record) {
    if (ctx.fields.salesforce.createLeads.when !== 'mql') return result;
    result.salesforce.create = { fields: { ...leadFields(ctx.fields, contact), ...rename(push, desiredSalesforce), [ctx.fields.salesforce.externalIdField]: contact.id, OwnerId: route.leadOwnerId } };
  }
  const key = taskKey(contact.id, after.mqlDate);
  const task: Record<string, unknown> = {
    Subject: taskSubject(contact, evaluation),
    Description: taskDescription(contact, evaluation, route, after.mqlDate),
    ActivityDate: dueDate(after.mqlDate, route.slaHours),
    Priority: evaluation.priority ?? 'Normal',
    Status: 'Not Started',
    OwnerId: route.taskOwnerId,
    [ctx.fields.salesforce.taskKeyField]: key,
  };
  if (record) task.WhoId = record.id;
  result.salesforce.task = { key, fields: task };
  return result;
}

/**
 * A sync writes Salesforce before HubSpot. If it stopped in between, HubSpot does not yet know
 * an episode that Salesforce already carries (MQL flag and date): adopt it, so the retry uses
 * the same episode date and therefore the same task key.
 */
function recoverEpisode(state: LifecycleState, record: MatchedRecord | null, fields: FieldsMapping): LifecycleState {
  if (!record || (state.stage !== 'lead' && state.stage !== 'recycled')) return state;
  const push = fields.salesforce.push;
  const mqlDate = salesforceInstant(record.fields[push.mqlDate]);
  const flagged = record.fields[push.mql] === true || record.fields[push.mql] === 'true';
  if (!flagged || mqlDate === null || mqlDate <= state.since) return state;
  return { stage: 'mql', since: mqlDate, mqlDate, reason: null };
}

/**
 * A record still showing the decision already recorded for an earlier episode (sales has not
 * touched the status since the lead re-qualified) is not a new decision.
 */
function isStale(kind: string, recorded: { kind: string | null; at: string | null }, before: LifecycleState): boolean {
  return recorded.kind === kind && recorded.at !== null && before.mqlDate !== null && recorded.at < before.mqlDate;
}

function leadFields(fields: FieldsMapping, contact: Contact): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [api, source] of Object.entries(fields.salesforce.createLeads.fields)) {
    if ('value' in source) out[api] = source.value;
    else {
      const value = contact[source.from];
      const text = value === null || value === undefined || String(value).trim() === '' ? source.default : String(value).trim();
      if (text === undefined) continue;
      if (source.maxLength === undefined || text.length <= source.maxLength) out[api] = text;
      else if (source.whenTooLong === 'truncate') out[api] = text.slice(0, source.maxLength);
    }
  }
  return out;
}
