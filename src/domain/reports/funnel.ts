/**
 * The funnel: MQL -> sales accepted (SAL) -> SQL, with disqualification and recycle reasons,
 * grouped by source, campaign, service line, tier or definition version. Counted per MQL
 * episode started in the window. Every row says which definition versions made its MQLs,
 * so numbers from different versions are never mixed without saying so.
 */
import { campaignOf, episodesOf, type Episode } from './episodes';
import { increment, inWindow, ratio, type ContactHistory, type Window } from './history';

export const FUNNEL_DIMENSIONS = ['source', 'campaign', 'serviceLine', 'tier', 'version'] as const;
export type FunnelDimension = (typeof FUNNEL_DIMENSIONS)[number];

export interface FunnelRow {
  key: string;
  mqls: number;
  /** Accepted by sales, SQLs included. */
  sal: number;
  sql: number;
  disqualified: number;
  recycled: number;
  recycledByMarketing: number;
  /** No sales decision yet. */
  open: number;
  mqlToSal: number | null;
  salToSql: number | null;
  mqlToSql: number | null;
  disqualificationReasons: Record<string, number>;
  recycleReasons: Record<string, number>;
  versions: Record<string, number>;
}

export interface FunnelReport {
  window: Window;
  by: FunnelDimension;
  rows: FunnelRow[];
  total: FunnelRow;
  /** True when the MQLs counted were made by more than one definition version. */
  mixedVersions: boolean;
}

export interface FunnelOptions {
  by: FunnelDimension;
  window: Window;
  /** HubSpot property holding the contact's source. @defaultValue 'hs_analytics_source' (HubSpot's original source) */
  sourceProperty?: string;
  /** Count only the MQLs this definition version made, so one version's numbers stand alone. @defaultValue every version */
  version?: string;
}

function emptyRow(key: string): FunnelRow {
  return { key, mqls: 0, sal: 0, sql: 0, disqualified: 0, recycled: 0, recycledByMarketing: 0, open: 0, mqlToSal: null, salToSql: null, mqlToSql: null, disqualificationReasons: {}, recycleReasons: {}, versions: {} };
}

function count(row: FunnelRow, e: Episode): void {
  row.mqls++;
  increment(row.versions, e.version);
  if (e.accepted) row.sal++;
  if (e.sql) row.sql++;
  if (e.closedBy?.outcome === 'disqualified') {
    row.disqualified++;
    increment(row.disqualificationReasons, e.closedBy.reason);
  } else if (e.closedBy?.outcome === 'recycled') {
    row.recycled++;
    increment(row.recycleReasons, e.closedBy.reason);
  }
  if (e.recycledByMarketing) row.recycledByMarketing++;
  if (!e.accepted && !e.closedBy) row.open++;
}

function finish(row: FunnelRow): FunnelRow {
  return { ...row, mqlToSal: ratio(row.sal, row.mqls), salToSql: ratio(row.sql, row.sal), mqlToSql: ratio(row.sql, row.mqls) };
}

export class Funnel {
  private readonly rows = new Map<string, FunnelRow>();
  private readonly total = emptyRow('total');

  constructor(private readonly options: FunnelOptions) {}

  private keyOf(e: Episode, history: ContactHistory): string {
    switch (this.options.by) {
      case 'version':
        return e.version;
      case 'serviceLine':
        return e.serviceLine;
      case 'tier':
        return e.tier ?? 'none';
      case 'source':
        return history.inputs?.contact.properties[this.options.sourceProperty ?? 'hs_analytics_source'] || '(unknown)';
      case 'campaign':
        return (history.inputs && campaignOf(history.inputs.activities, e.start)) ?? '(none)';
    }
  }

  add(history: ContactHistory): void {
    for (const e of episodesOf(history.entries)) {
      if (!inWindow(this.options.window, e.start) || (this.options.version !== undefined && e.version !== this.options.version)) continue;
      const key = this.keyOf(e, history);
      let row = this.rows.get(key);
      if (!row) this.rows.set(key, (row = emptyRow(key)));
      count(row, e);
      count(this.total, e);
    }
  }

  result(): FunnelReport {
    const rows = [...this.rows.values()].map(finish).sort((a, b) => b.mqls - a.mqls || (a.key < b.key ? -1 : 1));
    return { window: this.options.window, by: this.options.by, rows, total: finish(this.total), mixedVersions: Object.keys(this.total.versions).length > 1 };
  }
}
