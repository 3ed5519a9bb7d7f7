/**
 * The backtest and the shadow comparison on constructed histories. Expected values are
 * computed here directly from evaluate() and the constructed outcomes, not through the
 * report code.
 */
import { generate } from '../../bench/evaluate';
import { evaluate } from '../../src/domain/evaluate';
import { Backtest, ShadowReport } from '../../src/domain/reports/backtest';
import type { ContactHistory, HistoryEvent, HistoryOutcome } from '../../src/domain/reports/history';
import { windowOf } from '../../src/domain/reports/history';
import { comparisonText } from '../../src/domain/reports/text';
import { loadDefinition } from '../../src/mappings/load-definition';
import { parseDefinition } from '../../src/domain/definition/parse';
import { expectedFigures } from '../fixtures/backtest-oracle';
import { looser } from '../fixtures/definitions';

const NOW = Date.parse('2026-11-20T12:00:00.000Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const TIMES = [NOW - 21 * DAY, NOW - 14 * DAY, NOW - 7 * DAY, NOW].map(iso);
const current = loadDefinition();
const candidate = parseDefinition(looser(), 'loose.yaml');

/** Sales decisions a few days after the live MQL, by a fixed rule on the id. */
function decisions(id: number, firstMqlAt: string | undefined): HistoryOutcome[] {
  if (firstMqlAt === undefined) return id % 7 === 0 ? [{ kind: 'outcome', at: TIMES[2]!, outcome: 'sql' }] : [];
  const after = (days: number) => iso(Date.parse(firstMqlAt) + days * DAY);
  switch (id % 5) {
    case 0:
      return [{ kind: 'outcome', at: after(1), outcome: 'accepted' }, { kind: 'outcome', at: after(3), outcome: 'sql' }];
    case 1:
      return [{ kind: 'outcome', at: after(2), outcome: 'disqualified', reason: id % 2 ? 'No active project' : 'No budget' }];
    case 2:
      return [{ kind: 'outcome', at: after(1), outcome: 'accepted' }];
    case 3:
      return [{ kind: 'outcome', at: after(2), outcome: 'recycled', reason: 'Timeline too early' }];
    default:
      return [];
  }
}

const inputs = generate(400, 12, NOW, 7);
const histories: ContactHistory[] = inputs.map(({ contact, activities }, i) => {
  const live = TIMES.map((at) => ({ at, e: evaluate(current, contact, activities, at) }));
  const entries: HistoryEvent[] = live.map(({ at, e }) => ({
    kind: 'evaluation', at, version: current.version, status: e.status, stage: e.mql ? 'mql' : 'lead',
    fit: e.score.fit, engagement: e.score.engagement, total: e.score.total, tier: e.tier, serviceLine: e.serviceLine,
  }));
  entries.push(...decisions(i, live.find((l) => l.e.mql)?.at));
  // Every 50th contact lost its stored inputs: it cannot be replayed.
  return { id: contact.id, entries, inputs: i % 50 === 49 ? null : { contact, activities } };
});

const window = windowOf(iso(NOW - 15 * DAY));
describe('backtest on a constructed history with known outcomes', () => {
  const bt = new Backtest(current, candidate, window, { maxFlips: 1000 });
  for (const h of histories) bt.add(h);
  const report = bt.result();
  const a = expectedFigures(histories, current, window.since!);
  const b = expectedFigures(histories, candidate, window.since!);

  test('counts of contacts, instants and the versions the history was recorded under', () => {
    const replayable = histories.filter((h) => h.inputs).length;
    expect(report.contacts).toBe(replayable);
    expect(report.evaluations).toBe(replayable * 3);
    expect(report.skippedNoInputs).toBe(histories.length - replayable);
    expect(report.recordedVersions).toEqual({ [current.version]: replayable * 3 });
  });

  test('MQLs, new MQLs per week, tiers and lines under each definition', () => {
    for (const [stats, exp] of [[report.current, a], [report.candidate, b]] as const) {
      expect(stats.mqls).toBe(exp.mqls);
      expect(Object.values(stats.perWeek).reduce((x, y) => x + y, 0)).toBe(exp.starts);
      expect(Object.values(stats.perTier).reduce((x, y) => x + y, 0)).toBe(exp.mqls);
      expect(Object.values(stats.perServiceLine).reduce((x, y) => x + y, 0)).toBe(exp.mqls);
      expect(Object.keys(stats.perWeek).every((w) => new Date(`${w}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
    }
    // The looser candidate qualifies more contacts; the sample must show it.
    expect(b.mqlInWindow.size).toBeGreaterThan(a.mqlInWindow.size);
    expect(a.mqls).toBeGreaterThan(0);
  });

  test('flips in both directions, each explained by the rules and thresholds that changed', () => {
    const gained = [...b.mqlInWindow].filter((id) => !a.mqlInWindow.has(id));
    const lost = [...a.mqlInWindow].filter((id) => !b.mqlInWindow.has(id));
    expect(report.flips.gained).toBe(gained.length);
    expect(report.flips.lost).toBe(lost.length);
    expect(report.flips.listed.filter((f) => f.direction === 'gained').map((f) => f.id).sort()).toEqual(gained.sort());
    const flip = report.flips.listed[0]!;
    expect(flip.detail!.thresholds).toEqual({ current: expect.objectContaining({ engagement: expect.any(Number) }), candidate: expect.objectContaining({ engagement: expect.any(Number) }) });
    const withPageViews = report.flips.listed.find((f) => f.detail!.reasons.some((r) => r.rule === 'engagement.type.page_view'));
    if (withPageViews) {
      const change = withPageViews.detail!.reasons.find((r) => r.rule === 'engagement.type.page_view')!;
      expect(change.candidate).not.toBe(change.current);
    }
  });

  test('precision against sales decisions and recall of later SQLs, per definition', () => {
    for (const [stats, exp] of [[report.current, a], [report.candidate, b]] as const) {
      expect(stats.outcomes).toMatchObject({
        judged: exp.judged, notJudged: exp.notJudged, sql: exp.sql, accepted: exp.accepted, disqualified: exp.disqualified, recycled: exp.recycled, disqualificationReasons: exp.dqReasons,
      });
      expect(stats.perTier).toEqual(exp.perTier);
      expect(stats.outcomes.precision).toBeCloseTo(exp.sql / exp.judged, 4);
      expect(stats.recall).toMatchObject({ sqls: exp.sqls, caught: exp.caught, missed: exp.sqls - exp.caught });
      expect(stats.recall.recall).toBeCloseTo(exp.caught / exp.sqls, 4);
    }
    // The sample exercises every branch: hits, misses, disqualifications, MQLs sales never saw.
    expect(Math.min(a.sql, a.disqualified, a.recycled, a.notJudged, b.sql)).toBeGreaterThan(0);
    expect(a.caught).toBeLessThan(a.sqls);
  });

  test('the text form names both versions and the window', () => {
    const text = comparisonText('Backtest', report);
    expect(text).toContain(`${current.version} (current) vs ${candidate.version} (candidate)`);
    expect(text).toContain('precision (SQL / judged)');
    expect(text).toMatch(/flips: \d+ gained \(candidate only\), \d+ lost \(current only\)/);
  });
});

describe('a hand-worked example', () => {
  // Two instants a week apart; verdicts are recorded shadow entries, so the numbers are plain.
  const t1 = '2026-11-02T09:00:00.000Z';
  const t2 = '2026-11-09T09:00:00.000Z';
  const ev = (at: string, status: 'mql' | 'not_mql', shadow = false): HistoryEvent => ({
    kind: 'evaluation', at, version: shadow ? 'cand' : 'live', ...(shadow ? { shadow: true as const } : {}), status, fit: 30, engagement: 25, total: 55, tier: status === 'mql' ? 'C' : null, serviceLine: 'general',
  });
  const h = (id: string, entries: HistoryEvent[]): ContactHistory => ({ id, entries, inputs: null });
  const histories = [
    // live MQL at t1, SQL two days later; the candidate agrees only at t2
    h('1', [ev(t1, 'mql'), ev(t1, 'not_mql', true), ev(t2, 'mql'), ev(t2, 'mql', true), { kind: 'outcome', at: '2026-11-04T00:00:00.000Z', outcome: 'sql' }]),
    // live MQL, disqualified; the candidate never qualifies it (lost)
    h('2', [ev(t1, 'mql'), ev(t1, 'not_mql', true), { kind: 'outcome', at: '2026-11-03T10:00:00.000Z', outcome: 'disqualified', reason: 'No budget' }]),
    // only the candidate qualifies it (gained); sales turned it SQL anyway at t2's day
    h('3', [ev(t1, 'not_mql'), ev(t1, 'mql', true), ev(t2, 'not_mql'), { kind: 'outcome', at: '2026-11-09T00:00:00.000Z', outcome: 'sql' }]),
    // the live verdict did not change at t2, so only the shadow entry was written: t1's live verdict stands
    h('4', [ev(t1, 'not_mql'), ev(t2, 'not_mql', true)]),
    // a shadow that began after the last live entry is still compared with it
    h('5', [ev(t1, 'mql'), ev(t2, 'not_mql', true)]),
  ];
  const report = new ShadowReport('cand', 'live', windowOf('2026-11-01', '2026-11-30'));
  for (const x of histories) report.add(x);
  const r = report.result();

  test('MQLs, flips, precision and recall', () => {
    expect(r.contacts).toBe(5);
    expect(r.evaluations).toBe(2 + 1 + 2 + 1 + 1);
    // Contact 5 was an MQL before its first compared instant: not a new MQL there.
    expect(r.current).toMatchObject({ mqls: 2, perWeek: { '2026-11-02': 2 }, outcomes: { judged: 2, notJudged: 0, sql: 1, disqualified: 1, disqualificationReasons: { 'No budget': 1 }, precision: 0.5 } });
    // Contact 1's SQL (Nov 4) came before the candidate's MQL (Nov 9): not caught, and not judged for it.
    expect(r.candidate).toMatchObject({ mqls: 2, perWeek: { '2026-11-02': 1, '2026-11-09': 1 }, outcomes: { judged: 1, notJudged: 1, sql: 1, precision: 1 } });
    expect(r.current.recall).toEqual({ sqls: 2, caught: 1, missed: 1, recall: 0.5 });
    expect(r.candidate.recall).toEqual({ sqls: 2, caught: 1, missed: 1, recall: 0.5 });
    expect(r.flips).toMatchObject({ gained: 1, lost: 2 });
    expect(r.flips.listed.map((f) => [f.id, f.direction, f.salesResult, f.at])).toEqual([['2', 'lost', 'disqualified', t1], ['3', 'gained', 'sql', t1], ['5', 'lost', 'none', t2]]);
  });
});
