/**
 * The console's funnel page in one walk over stored history (Redis only, no API calls): MQLs
 * per week by tier and service line, the MQL -> SAL -> SQL funnel (total, by service line and
 * by source with its disqualification reasons) and the handoff SLA, all for one window and
 * optionally one definition version.
 */
import { Funnel, type FunnelReport } from '../src/domain/reports/funnel';
import { Handoff, type HandoffReport } from '../src/domain/reports/handoff';
import type { Window } from '../src/domain/reports/history';
import { WeeklyMqlCounter, type WeeklyMqls } from '../src/domain/reports/weekly';
import type { History } from './history';
import { forEachHistory } from './reports';

export interface DashboardReport {
  window: Window;
  version: string | null;
  weekly: WeeklyMqls;
  funnel: { total: FunnelReport['total']; byServiceLine: FunnelReport['rows']; byTier: FunnelReport['rows']; bySource: FunnelReport['rows'] };
  handoff: HandoffReport;
  contacts: number;
}

export async function dashboardHistory(history: History, window: Window, version: string | null, now: string): Promise<DashboardReport> {
  const only = version === null ? {} : { version };
  const weekly = new WeeklyMqlCounter(window, version);
  const byLine = new Funnel({ by: 'serviceLine', window, ...only });
  const byTier = new Funnel({ by: 'tier', window, ...only });
  const bySource = new Funnel({ by: 'source', window, ...only });
  const handoff = new Handoff(window, now, 20, version);
  const contacts = await forEachHistory(history, (h) => {
    weekly.add(h);
    byLine.add(h);
    byTier.add(h);
    bySource.add(h);
    handoff.add(h);
  });
  const lines = byLine.result();
  return {
    window, version, weekly: weekly.result(),
    funnel: { total: lines.total, byServiceLine: lines.rows, byTier: byTier.result().rows, bySource: bySource.result().rows },
    handoff: handoff.result(), contacts,
  };
}
