/**
 * Compares the simulators' final data with the expected state, contact by contact:
 *  - lost: HubSpot never got the lifecycle, the Salesforce record never got the service's
 *    fields, a new Lead is missing, or an MQL has no follow-up task; a refused record counts
 *    as lost unless the service kept it as a failure with Salesforce's reason;
 *  - duplicate tasks: follow-up tasks beyond one per contact (one MQL episode each in a run);
 *  - wrong fields: any lifecycle value in either system that differs from the expectation.
 */
import type { FailureRecord } from '../../jobs/store';
import { plan, type MatchedRecord } from '../../src/domain/plan';
import type { Mappings } from '../../src/mappings/load';
import type { RunningSandbox } from '../../sandbox';
import { planContext, type ExpectedContact } from './expected';

/** Decay between the plan at the start and the check at the end moves scores a little. */
const SCORE_TOLERANCE = 0.5;
const ACTIVE_MQL = new Set(['mql', 'sales_accepted', 'sql', 'opportunity']);

export interface Verdict {
  lost: number;
  duplicateTasks: number;
  wrongFields: number;
  /** Contacts Salesforce refused (too-long values), kept as failures with its reason. */
  refusedVisible: number;
  borderline: number;
  shared: number;
  mqls: number;
  outcomes: number;
  /** The first problems found, by contact id and field only (no personal data). */
  examples: string[];
  /** Ids of the contacts in `examples`, to look up their audit trail. */
  exampleIds: string[];
}

type Row = Record<string, unknown>;

const ms = (v: unknown): number | null => {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return v;
  const s = String(v);
  if (/^\d+$/.test(s)) return Number(s);
  const parsed = Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isFinite(parsed) ? parsed : null;
};
const num = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : Number(v));
const blank = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

export function verify(expected: ExpectedContact[], sandbox: RunningSandbox, failures: FailureRecord[], mappings: Mappings, endedAt: string): Verdict {
  const sf = sandbox.salesforce;
  const ctx = planContext(mappings);
  const version = mappings.definition.version;
  const hs = mappings.fields.hubspot.lifecycle.properties;
  const push = mappings.fields.salesforce.push;
  const extId = mappings.fields.salesforce.externalIdField;
  const keyField = mappings.fields.salesforce.taskKeyField;
  const failed = new Map(failures.map((f) => [f.id, f]));

  const linked = new Map<string, Row[]>();
  for (const type of ['Lead', 'Contact']) {
    for (const r of sf.store.table(type).values()) {
      if (r.IsDeleted === true || typeof r[extId] !== 'string') continue;
      linked.set(r[extId] as string, [...(linked.get(r[extId] as string) ?? []), sf.control.record(String(r.Id)) as unknown as Row]);
    }
  }
  const tasks = new Map<string, Row[]>();
  for (const t of sf.store.table('Task').values()) {
    const key = t[keyField];
    if (t.IsDeleted === true || typeof key !== 'string') continue;
    const id = key.split(':')[1] ?? '';
    tasks.set(id, [...(tasks.get(id) ?? []), t as Row]);
  }

  const verdict: Verdict = { lost: 0, duplicateTasks: 0, wrongFields: 0, refusedVisible: 0, borderline: 0, shared: 0, mqls: 0, outcomes: 0, examples: [], exampleIds: [] };
  const note = (id: string, what: string) => {
    if (verdict.examples.length >= 30) return;
    verdict.examples.push(`${id}: ${what}`);
    verdict.exampleIds.push(id);
  };

  for (const e of expected) {
    const props = sandbox.hubspot.store.record(e.index)?.properties ?? {};
    const own = tasks.get(e.id) ?? [];
    if (e.borderline) verdict.borderline++;
    if (e.shared) verdict.shared++;
    if (own.length > 1) {
      verdict.duplicateTasks += own.length - 1;
      note(e.id, `${own.length} follow-up tasks`);
    }

    // The record the service writes to: the matched one (followed through a conversion), or its new Lead.
    let record: Row | undefined;
    if (e.seedRecord) {
      record = sf.control.record(e.seedRecord.id) as unknown as Row | undefined;
      if (record?.IsConverted === true && typeof record.ConvertedContactId === 'string') record = sf.control.record(record.ConvertedContactId) as unknown as Row | undefined;
    } else {
      const mine = linked.get(e.id) ?? [];
      record = mine.find((r) => (r.attributes as { type: string }).type === 'Contact') ?? mine[0];
    }

    const lostBecause: string[] = [];
    if (!props[hs.definitionVersion]) lostBecause.push('HubSpot has no lifecycle');
    if (e.refusedLead && !record) {
      const failure = failed.get(`salesforce:${e.id}`);
      if (failure && !failure.retryable) verdict.refusedVisible++;
      else lostBecause.push(`new Lead refused (${e.refusedLead}) and not kept as a failure`);
    } else if ((e.seedRecord || e.first.salesforce.create) && !record && !e.shared) lostBecause.push('no Salesforce record');
    else if (record && record[push.definitionVersion] == null) lostBecause.push('Salesforce record never written');
    const firstIsMql = e.first.after.stage === 'mql';
    // A contact sharing a record may lose it to the other one and go on with the next candidate, whose sales status may rule out a task.
    if (firstIsMql && !e.borderline && !e.refusedLead && !e.shared && own.length === 0) lostBecause.push('MQL without a follow-up task');
    if (lostBecause.length) {
      verdict.lost++;
      const failure = failed.get(`salesforce:${e.id}`) ?? failed.get(`hubspot:${e.id}`);
      note(e.id, `lost: ${lostBecause.join('; ')}${failure ? ` (failure kept: ${failure.code})` : ''}`);
      continue;
    }
    if (firstIsMql) verdict.mqls++;

    const wrong: string[] = [];
    const check = (ok: boolean, what: string) => void (ok || wrong.push(what));
    const close = (a: unknown, b: number, tolerance = SCORE_TOLERANCE) => num(a) !== null && Math.abs((num(a) as number) - b) <= tolerance;

    // What HubSpot must show now: the definition's judgement plus whatever sales decided since.
    const type = record ? ((record.attributes as { type: string }).type as 'Lead' | 'Contact') : undefined;
    const matched: MatchedRecord | null = record && type ? { sobject: type, id: String(record.Id), fields: record } : null;
    const final = plan(ctx, e.properties, { contact: e.contact, activities: e.activities, record: matched, now: endedAt });
    const salesDecided = final.transitions.some((t) => t.actor === 'sales');
    if (salesDecided) verdict.outcomes++;
    const score = e.first.evaluation.score;
    check(props[hs.definitionVersion] === version, 'lsync_definition_version');
    check(close(props[hs.score], score.total), `lsync_score ${blank(props[hs.score])} != ${score.total}`);
    check(close(props[hs.fitScore], score.fit, 0.05), 'lsync_fit_score');
    check(props[hs.serviceLine] === e.first.evaluation.serviceLine, `lsync_service_line ${blank(props[hs.serviceLine])} != ${e.first.evaluation.serviceLine}`);
    if (record && !e.shared) check(props[hs.salesforceId] === record.Id, `lsync_salesforce_id ${blank(props[hs.salesforceId])} != ${blank(record.Id)}`);
    // Two contacts sharing one record: the first sync links it, the other goes on without it.
    if (!e.borderline && !e.shared) {
      const status = record ? blank(record.Status ?? record.Lifecycle_Status__c) : '';
      check(props[hs.stage] === final.after.stage, `lsync_stage ${blank(props[hs.stage])} != ${final.after.stage} (${type ?? 'no record'} ${blank(record?.Id)} "${status}")`);
      check(blank(props[hs.tier]) === blank(e.first.evaluation.tier), 'lsync_tier');
    }
    if (salesDecided && !e.shared) {
      const decision = final.transitions.filter((t) => t.actor === 'sales').pop()!;
      check(props[hs.salesOutcome] === (decision.to === 'sales_accepted' ? 'accepted' : decision.to), 'lsync_sales_outcome');
      check(blank(props[hs.outcomeReason]) === blank(decision.reason), 'lsync_outcome_reason');
    }

    if (record && !e.shared) {
      check(record[push.definitionVersion] === version, push.definitionVersion);
      check(close(record[push.score], score.total), `${push.score} ${blank(record[push.score])} != ${score.total}`);
      check(record[push.serviceLine] === e.first.evaluation.serviceLine, `${push.serviceLine} ${blank(record[push.serviceLine])} != ${e.first.evaluation.serviceLine}`);
      if (!e.borderline) {
        check(blank(record[push.tier]) === blank(e.first.evaluation.tier), push.tier);
        check((ms(record[push.mqlDate]) !== null) === (e.first.after.mqlDate !== null), `${push.mqlDate} presence`);
        // The flag is the service's until sales decides; a decision is the sales team's to show.
        if (!salesDecided) check(Boolean(record[push.mql]) === ACTIVE_MQL.has(e.first.after.stage), push.mql);
      }
      // HubSpot and Salesforce name the same episode, and the task is keyed by it.
      check(ms(props[hs.mqlDate]) === ms(record[push.mqlDate]), 'lsync_mql_date vs MQL_Date__c');
      for (const t of own) check(ms(String(t[keyField]).split(':')[2]) === ms(record[push.mqlDate]), 'task key episode');
    }
    // A contact that lost a shared record to the other one syncs on with a Lead of its own, and may become an MQL there.
    if (!e.borderline && !e.shared && !firstIsMql && own.length > 0) wrong.push('follow-up task for a contact that never became MQL');
    if (wrong.length) {
      verdict.wrongFields++;
      const failure = failed.get(`hubspot:${e.id}`) ?? failed.get(`salesforce:${e.id}`);
      note(e.id, `wrong: ${wrong.join(', ')}${failure ? ` (failure kept: ${failure.system} ${failure.code})` : ''}`);
    }
  }
  return verdict;
}
