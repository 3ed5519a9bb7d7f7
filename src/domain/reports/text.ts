/** The reports as text for a terminal (the JSON form is the report object itself). */
import type { ComparisonResult, DefinitionStats, Flip, Verdict } from './compare';
import type { FunnelReport } from './funnel';
import type { HandoffGroup, HandoffReport } from './handoff';
import type { Window } from './history';
import { counts, num, percent, signed, table, windowText } from './table';

type Compared = ComparisonResult & { window: Window; skippedNoInputs?: number };

function keyedRows(a: Record<string, number>, b: Record<string, number>): Array<Array<string | number>> {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.map((k) => [k, num(a[k] ?? 0), num(b[k] ?? 0), signed((b[k] ?? 0) - (a[k] ?? 0))]);
}

function reasonRows(label: string, a: Record<string, number>, b: Record<string, number>): Array<Array<string | number>> {
  return keyedRows(a, b).map(([k, ...rest]) => [`  ${label}: ${k}`, ...rest]);
}

function outcomeRows(a: DefinitionStats, b: DefinitionStats): Array<Array<string | number>> {
  const row = (label: string, f: (s: DefinitionStats) => number) => [label, num(f(a)), num(f(b)), signed(f(b) - f(a))];
  return [
    row('MQLs', (s) => s.mqls),
    row('judged by sales', (s) => s.outcomes.judged),
    row('not judged (sales never saw them)', (s) => s.outcomes.notJudged),
    row('accepted (SAL)', (s) => s.outcomes.accepted),
    row('SQL', (s) => s.outcomes.sql),
    row('disqualified', (s) => s.outcomes.disqualified),
    ...reasonRows('why', a.outcomes.disqualificationReasons, b.outcomes.disqualificationReasons),
    row('recycled', (s) => s.outcomes.recycled),
    ...reasonRows('why', a.outcomes.recycleReasons, b.outcomes.recycleReasons),
    ['precision (SQL / judged)', percent(a.outcomes.precision), percent(b.outcomes.precision), ''],
    ['acceptance (SAL / judged)', percent(a.outcomes.acceptance), percent(b.outcomes.acceptance), ''],
    row('SQLs in the window', (s) => s.recall.sqls),
    row('caught before sales', (s) => s.recall.caught),
    ['recall (caught / SQLs)', percent(a.recall.recall), percent(b.recall.recall), ''],
  ];
}

const verdictText = (v: Verdict) => `${v.status}${v.tier ? ` ${v.tier}` : ''} (fit ${v.fit}, eng ${v.engagement})`;

function flipLines(f: Flip): string[] {
  const head = `${f.direction === 'gained' ? '+' : '-'} ${f.id} at ${f.at.slice(0, 10)}: ${verdictText(f.current)} -> ${verdictText(f.candidate)}; sales: ${f.salesResult}`;
  if (!f.detail) return [head];
  const t = f.detail.thresholds;
  const lines = [head];
  if (t.current.fit !== t.candidate.fit || t.current.engagement !== t.candidate.engagement) {
    lines.push(`    thresholds fit ${t.current.fit} -> ${t.candidate.fit}, engagement ${t.current.engagement} -> ${t.candidate.engagement}`);
  }
  for (const r of f.detail.reasons.slice(0, 6)) lines.push(`    ${r.rule}: ${r.current ?? 'none'} -> ${r.candidate ?? 'none'}`);
  return lines;
}

/** Backtest or shadow comparison as text. */
export function comparisonText(title: string, r: Compared, maxFlips = 20): string {
  const a = r.current;
  const b = r.candidate;
  const header = ['', `${a.version} (current)`, `${b.version} (candidate)`, 'change'];
  const skipped = r.skippedNoInputs ? `; ${num(r.skippedNoInputs)} skipped (no stored inputs)` : '';
  const shown = r.flips.listed.slice(0, maxFlips);
  return [
    `${title}: ${a.version} (current) vs ${b.version} (candidate)`,
    `window ${windowText(r.window)}; ${num(r.contacts)} contacts at ${num(r.evaluations)} evaluation instants${skipped}`,
    `history recorded under: ${counts(r.recordedVersions)}${Object.keys(r.recordedVersions).length > 1 ? '  (several live versions: outcomes followed MQLs of each)' : ''}`,
    '',
    table(['new MQLs per week (Monday)', ...header.slice(1)], keyedRows(a.perWeek, b.perWeek)),
    '',
    table(['MQLs by tier', ...header.slice(1)], keyedRows(a.perTier, b.perTier)),
    '',
    table(['MQLs by service line', ...header.slice(1)], keyedRows(a.perServiceLine, b.perServiceLine)),
    '',
    table(['against sales outcomes', ...header.slice(1)], outcomeRows(a, b)),
    '',
    `flips: ${num(r.flips.gained)} gained (candidate only), ${num(r.flips.lost)} lost (current only)${shown.length < r.flips.gained + r.flips.lost ? `; first ${shown.length} shown` : ''}`,
    ...shown.flatMap(flipLines),
    '',
  ].join('\n');
}

function groupRows(groups: HandoffGroup[]): Array<Array<string | number>> {
  return groups.map((g) => [
    g.key, num(g.episodes), num(g.touched), num(g.hoursToFirstTouch.median), num(g.hoursToFirstTouch.p90), num(g.breached), percent(g.breachRate), num(g.overdue), num(g.escalated), num(g.decided), num(g.hoursToDecision.median),
  ]);
}

export function handoffText(r: HandoffReport): string {
  const header = ['', 'MQL episodes', 'touched', 'median h to touch', 'p90 h', 'breached', 'breach rate', 'overdue now', 'escalated', 'decided', 'median h to decision'];
  return [
    `Handoff SLA, episodes started ${windowText(r.window)} (as of ${r.now})`,
    `definition versions: ${counts(r.versions)}${r.mixedVersions ? '  (MQLs of several versions)' : ''}`,
    '',
    table(['total', ...header.slice(1)], groupRows([r.total])),
    '',
    table(['by tier', ...header.slice(1)], groupRows(r.byTier)),
    '',
    table(['by service line', ...header.slice(1)], groupRows(r.byServiceLine)),
    '',
    `latest breaches (${r.breaches.length} shown):`,
    ...r.breaches.slice(0, 20).map((b) => `  ${b.hubspotId} tier ${b.tier ?? '-'} ${b.serviceLine ?? '-'}: due ${b.deadline}, ${b.touchedAt ? `touched ${b.touchedAt}` : 'not touched'}, ${b.hoursLate} h late${b.escalated ? `, escalated (${b.escalated})` : ''}`),
    '',
  ].join('\n');
}

export function funnelText(r: FunnelReport): string {
  const rows = [...r.rows, r.total].map((row) => [
    row.key, num(row.mqls), num(row.sal), num(row.sql), percent(row.mqlToSal), percent(row.salToSql), percent(row.mqlToSql), num(row.disqualified), num(row.recycled), num(row.open), r.by === 'version' ? '' : counts(row.versions),
  ]);
  return [
    `Funnel by ${r.by}, MQL episodes started ${windowText(r.window)}`,
    !r.mixedVersions
      ? `definition version: ${counts(r.total.versions)}`
      : r.by === 'version'
        ? `several definition versions made these MQLs: one row each (${counts(r.total.versions)})`
        : `note: these MQLs were made by several definition versions (${counts(r.total.versions)}); each row says which; compare versions with --by version`,
    '',
    table([r.by, 'MQL', 'SAL', 'SQL', 'MQL->SAL', 'SAL->SQL', 'MQL->SQL', 'disqualified', 'recycled', 'no decision', r.by === 'version' ? '' : 'versions'], rows),
    '',
    `disqualification reasons: ${counts(r.total.disqualificationReasons)}`,
    `recycle reasons: ${counts(r.total.recycleReasons)}`,
    '',
  ].join('\n');
}
