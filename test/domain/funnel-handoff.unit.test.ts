/** Funnel numbers and handoff-SLA breach detection on constructed histories (values worked out by hand). */
import { Funnel } from '../../src/domain/reports/funnel';
import { Handoff, handoffEpisodes } from '../../src/domain/reports/handoff';
import type { ContactHistory, HistoryEvent } from '../../src/domain/reports/history';
import { windowOf } from '../../src/domain/reports/history';
import { funnelText, handoffText } from '../../src/domain/reports/text';
import { contact } from '../fixtures/worked-examples';

const ev = (at: string, stage: string, version = 'v1', tier: string | null = 'B', serviceLine = 'cdmo_services'): HistoryEvent =>
  ({ kind: 'evaluation', at, version, status: stage === 'mql' ? 'mql' : 'not_mql', stage, fit: 30, engagement: 30, total: 60, tier, serviceLine }) as HistoryEvent;
const outcome = (at: string, kind: string, reason?: string): HistoryEvent => ({ kind: 'outcome', at, outcome: kind, ...(reason ? { reason } : {}) }) as HistoryEvent;
const history = (id: string, entries: HistoryEvent[], source: string | null = null, urls: Array<[string, string]> = []): ContactHistory => ({
  id, entries, inputs: { contact: contact({ id, properties: { hs_analytics_source: source } }), activities: urls.map(([at, url]) => ({ type: 'page_view', at, url })) },
});

describe('funnel', () => {
  const histories = [
    history('1', [ev('2026-11-02T10:00:00.000Z', 'mql', 'v1', 'A'), outcome('2026-11-03T10:00:00.000Z', 'accepted'), ev('2026-11-03T10:00:00.000Z', 'sales_accepted', 'v1', 'A'), outcome('2026-11-05T00:00:00.000Z', 'sql')], 'ORGANIC_SEARCH', [
      ['2026-10-20T00:00:00.000Z', 'https://x.com/a?utm_campaign=old'], ['2026-11-01T00:00:00.000Z', 'https://x.com/webinar?utm_source=hs_email&utm_campaign=webinar-q4'], ['2026-11-04T00:00:00.000Z', 'https://x.com/b?utm_campaign=after'],
    ]),
    history('2', [ev('2026-11-02T10:00:00.000Z', 'mql', 'v1', 'B', 'genomics_platform'), outcome('2026-11-04T10:00:00.000Z', 'disqualified', 'No budget'), ev('2026-11-05T10:00:00.000Z', 'disqualified', 'v1', null, 'genomics_platform')], 'PAID_SEARCH'),
    // MQL, recycled by decay (no sales decision), MQL again under v2
    history('3', [ev('2026-11-02T10:00:00.000Z', 'mql'), ev('2026-11-20T10:00:00.000Z', 'recycled'), ev('2026-11-24T10:00:00.000Z', 'mql', 'v2')], 'ORGANIC_SEARCH'),
    // sales made it SQL without an MQL: not a funnel episode
    history('4', [ev('2026-11-02T10:00:00.000Z', 'lead'), outcome('2026-11-06T00:00:00.000Z', 'sql'), ev('2026-11-06T10:00:00.000Z', 'sql')]),
    // sales recycled it: the evaluation of that sync comes first, the decision right after
    history('5', [ev('2026-11-10T10:00:00.000Z', 'mql', 'v2'), ev('2026-11-12T10:00:00.000Z', 'recycled', 'v2'), outcome('2026-11-12T09:00:00.000Z', 'recycled', 'Timeline too early')]),
    // before the window
    history('6', [ev('2026-10-02T10:00:00.000Z', 'mql'), outcome('2026-10-03T00:00:00.000Z', 'sql')]),
  ];
  const run = (by: 'version' | 'source' | 'campaign') => {
    const f = new Funnel({ by, window: windowOf('2026-11-01', '2026-11-30') });
    for (const h of histories) f.add(h);
    return f.result();
  };

  test('MQL -> SAL -> SQL by definition version, with reasons; mixed versions are flagged', () => {
    const r = run('version');
    const v1 = r.rows.find((x) => x.key === 'v1')!;
    const v2 = r.rows.find((x) => x.key === 'v2')!;
    expect(v1).toMatchObject({ mqls: 3, sal: 1, sql: 1, disqualified: 1, recycled: 0, recycledByMarketing: 1, open: 1, mqlToSal: 0.3333, salToSql: 1, mqlToSql: 0.3333, disqualificationReasons: { 'No budget': 1 } });
    expect(v2).toMatchObject({ mqls: 2, sal: 0, sql: 0, recycled: 1, recycleReasons: { 'Timeline too early': 1 }, recycledByMarketing: 0, open: 1, mqlToSal: 0, salToSql: null });
    expect(r.total).toMatchObject({ mqls: 5, sal: 1, sql: 1, versions: { v1: 3, v2: 2 } });
    expect(r.mixedVersions).toBe(true);
    expect(funnelText(r)).toContain('several definition versions made these MQLs: one row each (v1 3, v2 2)');
    expect(funnelText(run('source'))).toContain('made by several definition versions (v1 3, v2 2); each row says which');
  });

  test('by source and by campaign (utm_campaign of the latest tagged activity up to the MQL)', () => {
    const bySource = run('source');
    expect(Object.fromEntries(bySource.rows.map((x) => [x.key, [x.mqls, x.sql]]))).toEqual({ ORGANIC_SEARCH: [3, 1], PAID_SEARCH: [1, 0], '(unknown)': [1, 0] });
    const byCampaign = run('campaign');
    expect(Object.fromEntries(byCampaign.rows.map((x) => [x.key, x.mqls]))).toEqual({ 'webinar-q4': 1, '(none)': 4 });
    expect(byCampaign.rows.find((x) => x.key === 'webinar-q4')!.versions).toEqual({ v1: 1 });
  });
});

describe('handoff SLA', () => {
  const T = Date.parse('2026-11-16T08:00:00.000Z');
  const at = (hours: number) => new Date(T + hours * 3_600_000).toISOString();
  const created = (id: string, slaHours: number): HistoryEvent => ({ kind: 'task', at: at(0), event: 'created', key: `lsync:${id}:${T}`, dueAt: at(slaHours) });
  const touch = (id: string, hours: number, via: string): HistoryEvent => ({ kind: 'task', at: at(hours), event: 'first_touch', key: `lsync:${id}:${T}`, via });
  const plain = (id: string, entries: HistoryEvent[]): ContactHistory => ({ id, entries, inputs: null });
  const histories = [
    plain('1', [ev(at(0), 'mql', 'v1', 'A'), created('1', 4), touch('1', 2, 'task')]),
    plain('2', [ev(at(0), 'mql', 'v1', 'A'), created('2', 4), touch('2', 6, 'call')]),
    plain('3', [ev(at(0), 'mql', 'v1', 'B'), created('3', 24), { kind: 'task', at: at(25), event: 'breached', key: `lsync:3:${T}`, via: 'priority' }]),
    plain('4', [ev(at(0), 'mql', 'v1', 'C'), created('4', 72), outcome(at(10), 'disqualified', 'No budget')]),
    // An older entry with only the task's due date: the deadline is the end of that day.
    plain('5', [ev('2026-11-16T09:00:00.000Z', 'mql', 'v1', 'C'), { kind: 'task', at: '2026-11-16T09:00:00.000Z', event: 'created', key: `lsync:5:${Date.parse('2026-11-16T09:00:00.000Z')}`, dueAt: '2026-11-16' }, { kind: 'task', at: '2026-11-17T01:00:00.000Z', event: 'first_touch', key: `lsync:5:${Date.parse('2026-11-16T09:00:00.000Z')}`, via: 'email' }]),
  ];
  const now = at(30);

  test('each episode: deadline, first touch (or the decision when it comes first), breach, overdue', () => {
    const [e3] = handoffEpisodes('3', histories[2]!.entries, now);
    expect(e3).toMatchObject({ deadline: at(24), touchedAt: null, breached: true, overdue: true, flagged: { via: 'priority' }, tier: 'B' });
    const [e4] = handoffEpisodes('4', histories[3]!.entries, now);
    expect(e4).toMatchObject({ touchedAt: at(10), decision: { outcome: 'disqualified' }, breached: false, overdue: false, firstTouch: null });
    const [e5] = handoffEpisodes('5', histories[4]!.entries, now);
    expect(e5).toMatchObject({ deadline: '2026-11-16T23:59:59.999Z', breached: true, firstTouch: { via: 'email' } });
    // Not overdue yet: before the deadline nothing is a breach.
    expect(handoffEpisodes('3', histories[2]!.entries, at(23))[0]).toMatchObject({ breached: false, overdue: false });
  });

  test('metrics: time to first touch, breaches, overdue, escalations, by tier', () => {
    const h = new Handoff(windowOf('2026-11-01'), now);
    for (const x of histories) h.add(x);
    const r = h.result();
    // touches after 2, 6, 10 (decision) and 16 hours; nearest-rank median 6, p90 16
    expect(r.total).toMatchObject({ episodes: 5, touched: 4, breached: 3, overdue: 1, escalated: 1, decided: 1, breachRate: 0.6, hoursToFirstTouch: { median: 6, p90: 16, mean: 8.5 }, hoursToDecision: { median: 10 } });
    expect(r.byTier.map((g) => [g.key, g.episodes, g.breached])).toEqual([['A', 2, 1], ['B', 1, 1], ['C', 2, 1]]);
    expect(r.breaches.map((b) => [b.hubspotId, b.hoursLate, b.escalated])).toEqual([['3', 6, 'priority'], ['5', 1, null], ['2', 2, null]]);
    expect(r.mixedVersions).toBe(false);
    expect(handoffText(r)).toMatch(/total\s+5\s+4\s+6\s+16\s+3\s+60\.0%\s+1\s+1\s+1\s+10/);
  });
});
