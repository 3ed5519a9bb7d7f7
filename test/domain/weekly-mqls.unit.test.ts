/** MQLs per week by tier and service line, and the version filter of the funnel and the handoff (values worked out by hand). */
import { Funnel } from '../../src/domain/reports/funnel';
import { Handoff } from '../../src/domain/reports/handoff';
import { windowOf, type ContactHistory, type HistoryEvent } from '../../src/domain/reports/history';
import { WeeklyMqlCounter, weeksBetween } from '../../src/domain/reports/weekly';
import { contact } from '../fixtures/worked-examples';

const ev = (at: string, stage: string, version: string, tier: string | null, serviceLine = 'cdmo_services'): HistoryEvent =>
  ({ kind: 'evaluation', at, version, status: stage === 'mql' ? 'mql' : 'not_mql', stage, fit: 30, engagement: 30, total: 60, tier, serviceLine }) as HistoryEvent;
const outcome = (at: string, kind: string, reason?: string): HistoryEvent => ({ kind: 'outcome', at, outcome: kind, ...(reason ? { reason } : {}) }) as HistoryEvent;
const task = (id: string, start: string, slaHours: number): HistoryEvent => ({
  kind: 'task', at: start, event: 'created', key: `lsync:${id}:${Date.parse(start)}`, dueAt: new Date(Date.parse(start) + slaHours * 3_600_000).toISOString(),
});
const history = (id: string, entries: HistoryEvent[], source: string | null = null): ContactHistory => ({
  id, entries, inputs: { contact: contact({ id, properties: { hs_analytics_source: source } }), activities: [] },
});

// Mondays: 2026-11-02, -09, -16, -23.
const histories = [
  history('1', [ev('2026-11-02T10:00:00.000Z', 'mql', 'v1', 'A'), task('1', '2026-11-02T10:00:00.000Z', 24), outcome('2026-11-03T10:00:00.000Z', 'accepted'), outcome('2026-11-05T00:00:00.000Z', 'sql')], 'ORGANIC_SEARCH'),
  history('2', [ev('2026-11-03T10:00:00.000Z', 'mql', 'v1', 'B', 'genomics_platform'), outcome('2026-11-04T10:00:00.000Z', 'disqualified', 'No budget')], 'PAID_SEARCH'),
  // MQL under v1, recycled by decay, MQL again under v2 in the week of the 23rd
  history('3', [ev('2026-11-02T11:00:00.000Z', 'mql', 'v1', 'B'), ev('2026-11-20T10:00:00.000Z', 'recycled', 'v1', null), ev('2026-11-24T10:00:00.000Z', 'mql', 'v2', 'B')], 'ORGANIC_SEARCH'),
  history('5', [ev('2026-11-10T10:00:00.000Z', 'mql', 'v2', 'B'), task('5', '2026-11-10T10:00:00.000Z', 4)]),
  // before the window: not counted, not even among the versions
  history('6', [ev('2026-10-02T10:00:00.000Z', 'mql', 'v0', 'A')]),
];
const window = windowOf('2026-11-01', '2026-11-30');

describe('MQLs per week', () => {
  test('by tier, by service line and in total, with empty weeks between listed', () => {
    const counter = new WeeklyMqlCounter(window);
    histories.forEach((h) => counter.add(h));
    const r = counter.result();
    expect(r.weeks).toEqual(['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23']);
    expect(r.total).toEqual({ '2026-11-02': 3, '2026-11-09': 1, '2026-11-23': 1 });
    expect(r.byTier).toEqual({ A: { '2026-11-02': 1 }, B: { '2026-11-02': 2, '2026-11-09': 1, '2026-11-23': 1 } });
    expect(r.byServiceLine).toEqual({ cdmo_services: { '2026-11-02': 2, '2026-11-09': 1, '2026-11-23': 1 }, genomics_platform: { '2026-11-02': 1 } });
    expect(r.versions).toEqual({ v1: 3, v2: 2 });
  });

  test('one definition version: only its MQLs are counted, the versions to choose from stay all', () => {
    const counter = new WeeklyMqlCounter(window, 'v2');
    histories.forEach((h) => counter.add(h));
    const r = counter.result();
    expect(r.total).toEqual({ '2026-11-09': 1, '2026-11-23': 1 });
    expect(r.weeks).toEqual(['2026-11-09', '2026-11-16', '2026-11-23']);
    expect(r.byTier).toEqual({ B: { '2026-11-09': 1, '2026-11-23': 1 } });
    expect(r.versions).toEqual({ v1: 3, v2: 2 });
  });

  test('no MQLs: no weeks', () => {
    const counter = new WeeklyMqlCounter(windowOf('2027-01-01', '2027-02-01'));
    histories.forEach((h) => counter.add(h));
    expect(counter.result()).toMatchObject({ weeks: [], total: {}, versions: {} });
  });

  test('weeksBetween lists every Monday from the first to the last', () => {
    expect(weeksBetween('2026-12-28', '2027-01-11')).toEqual(['2026-12-28', '2027-01-04', '2027-01-11']);
    expect(weeksBetween('2026-11-02', '2026-11-02')).toEqual(['2026-11-02']);
  });
});

describe('version filter of the funnel and the handoff', () => {
  test('funnel: only the MQLs of v1, with their outcomes and reasons by source', () => {
    const f = new Funnel({ by: 'source', window, version: 'v1' });
    histories.forEach((h) => f.add(h));
    const r = f.result();
    expect(r.total).toMatchObject({ mqls: 3, sal: 1, sql: 1, disqualified: 1, versions: { v1: 3 } });
    expect(r.mixedVersions).toBe(false);
    expect(r.rows.find((x) => x.key === 'PAID_SEARCH')).toMatchObject({ mqls: 1, disqualificationReasons: { 'No budget': 1 } });
  });

  test('handoff: only the episodes whose MQL v2 made', () => {
    const all = new Handoff(window, '2026-11-30T00:00:00.000Z');
    const v2 = new Handoff(window, '2026-11-30T00:00:00.000Z', 100, 'v2');
    histories.forEach((h) => (all.add(h), v2.add(h)));
    expect(all.result().total).toMatchObject({ episodes: 2, touched: 1, breached: 1 });
    expect(v2.result().total).toMatchObject({ episodes: 1, touched: 0, breached: 1, overdue: 1 });
    expect(v2.result().versions).toEqual({ v2: 1 });
  });
});
