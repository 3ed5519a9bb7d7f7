/**
 * A backtest on a sandbox history with known outcomes: the real pipeline syncs the portal
 * weekly for a month (real connectors, HTTP simulators), the simulated sales team decides on
 * the MQLs, the outcome poll writes the decisions back, and the history holds all of it.
 * The report's counts, flips, precision and recall are checked against values computed in
 * the test from the history and evaluate() alone.
 */
import { pollOutcomes } from '../../jobs/poll';
import { backtestHistory } from '../../jobs/reports';
import { syncContacts } from '../../jobs/sync-contacts';
import { parseDefinition } from '../../src/domain/definition/parse';
import { evaluate } from '../../src/domain/evaluate';
import type { ContactHistory } from '../../src/domain/reports/history';
import { windowOf } from '../../src/domain/reports/history';
import { expectedFigures } from '../fixtures/backtest-oracle';
import { stricter } from '../fixtures/definitions';
import { sandboxRuntime, type SandboxRuntime } from '../fixtures/sandbox-runtime';

const ANCHOR = '2026-11-20T00:00:00.000Z';
const DAY = 86_400_000;
const TIMES = [28, 21, 14, 7, 0].map((d) => new Date(Date.parse(ANCHOR) - d * DAY).toISOString());

describe('backtest on a sandbox history', () => {
  let s: SandboxRuntime;
  const histories: ContactHistory[] = [];
  const decided: Record<string, number> = {};
  beforeAll(async () => {
    s = await sandboxRuntime({ contacts: 300, seed: 9, anchor: ANCHOR, now: TIMES[0]! });
    const ids = await s.contactIds();
    for (const at of TIMES) {
      s.setNow(at);
      for (let i = 0; i < ids.length; i += 100) await syncContacts(s.rt, { ids: ids.slice(i, i + 100), trigger: 'scheduled' }, 'test');
      // A day later sales has worked the new MQLs; the outcome poll brings the decisions back.
      s.setNow(new Date(Date.parse(at) + DAY).toISOString());
      const worked = s.sandbox.salesforce.control.workLeads();
      for (const [k, v] of Object.entries(worked)) if (typeof v === 'number') decided[k] = (decided[k] ?? 0) + v;
      await pollOutcomes(s.rt, s.queues, 100);
      await s.drainOutcomes();
    }
    for await (const page of s.rt.history.scan()) histories.push(...page);
  }, 180_000);
  afterAll(() => s?.close());

  test('the history holds evaluations, sales decisions and the inputs to replay them', () => {
    const outcomes = histories.flatMap((h) => h.entries.filter((e) => e.kind === 'outcome'));
    expect(histories.length).toBe(300);
    expect(decided.examined).toBeGreaterThan(0);
    // Every kind of decision the sales team makes came back (conversions read as SQL).
    expect([...new Set(outcomes.map((o) => (o.kind === 'outcome' ? o.outcome : '')))].sort()).toEqual(['accepted', 'disqualified', 'recycled', 'sql']);
    expect(histories.every((h) => h.inputs !== null)).toBe(true);
  });

  test('replaying the live definition reproduces every recorded live verdict', async () => {
    const live = await s.registry.live();
    let checked = 0;
    for (const h of histories) {
      for (const e of h.entries) {
        if (e.kind !== 'evaluation' || e.shadow) continue;
        expect([h.id, e.at, evaluate(live, h.inputs!.contact, h.inputs!.activities, e.at).status]).toEqual([h.id, e.at, e.status]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(300);
  });

  test('counts, flips, precision and recall match the independent computation', async () => {
    const current = await s.registry.live();
    const candidate = parseDefinition(stricter(), 'strict.yaml');
    const window = windowOf(TIMES[1]);
    const report = await backtestHistory(s.rt.history, current, candidate, window, { maxFlips: 10_000 });
    const a = expectedFigures(histories, current, window.since!);
    const b = expectedFigures(histories, candidate, window.since!);
    for (const [stats, exp] of [[report.current, a], [report.candidate, b]] as const) {
      expect(stats.mqls).toBe(exp.mqls);
      expect(stats.perTier).toEqual(exp.perTier);
      expect(Object.values(stats.perWeek).reduce((x, y) => x + y, 0)).toBe(exp.starts);
      expect(stats.outcomes).toMatchObject({ judged: exp.judged, notJudged: exp.notJudged, sql: exp.sql, accepted: exp.accepted, disqualified: exp.disqualified, recycled: exp.recycled, disqualificationReasons: exp.dqReasons });
      expect(stats.recall).toMatchObject({ sqls: exp.sqls, caught: exp.caught });
      expect(stats.outcomes.precision).toBe(exp.judged ? Math.round((exp.sql / exp.judged) * 10_000) / 10_000 : null);
    }
    const lost = [...a.mqlInWindow].filter((id) => !b.mqlInWindow.has(id)).sort();
    const gained = [...b.mqlInWindow].filter((id) => !a.mqlInWindow.has(id)).sort();
    expect({ gained: report.flips.gained, lost: report.flips.lost }).toEqual({ gained: gained.length, lost: lost.length });
    expect(report.flips.listed.filter((f) => f.direction === 'lost').map((f) => f.id).sort()).toEqual(lost);
    // The stricter candidate drops MQLs and explains each with the rules that changed.
    expect(lost.length).toBeGreaterThan(0);
    for (const flip of report.flips.listed) expect(flip.detail!.thresholds.candidate.fit).toBeGreaterThanOrEqual(30);
    expect(report.current.outcomes.judged).toBeGreaterThan(0);
    expect(report.recordedVersions).toEqual({ [current.version]: report.evaluations });
  });
});
