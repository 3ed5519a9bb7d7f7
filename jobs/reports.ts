/**
 * The reports over stored history: backtest, shadow comparison, funnel, handoff SLA. Each
 * streams every contact's history from Redis page by page (no API calls), feeds the pure
 * report and yields to the event loop between pages, so an API process stays responsive
 * while a long report runs.
 */
import type { CompiledDefinition } from '../src/domain/definition/compile';
import { Backtest, ShadowReport, type BacktestReport } from '../src/domain/reports/backtest';
import type { ComparisonResult } from '../src/domain/reports/compare';
import { Funnel, type FunnelOptions, type FunnelReport } from '../src/domain/reports/funnel';
import { Handoff, type HandoffReport } from '../src/domain/reports/handoff';
import type { ContactHistory, Window } from '../src/domain/reports/history';
import type { History } from './history';

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Visits every contact with history once. A contact re-synced during the walk moves to the
 * end of the index and could come round again: it is visited only the first time.
 */
export async function forEachHistory(history: History, visit: (h: ContactHistory) => void, onProgress?: (contacts: number) => void): Promise<number> {
  const seen = new Set<string>();
  for await (const page of history.scan()) {
    for (const h of page) {
      if (seen.has(h.id)) continue;
      seen.add(h.id);
      visit(h);
    }
    onProgress?.(seen.size);
    await yieldToEventLoop();
  }
  return seen.size;
}

export async function backtestHistory(history: History, current: CompiledDefinition, candidate: CompiledDefinition, window: Window, options: { maxFlips?: number; onProgress?: (contacts: number) => void } = {}): Promise<BacktestReport> {
  const backtest = new Backtest(current, candidate, window, options.maxFlips === undefined ? {} : { maxFlips: options.maxFlips });
  await forEachHistory(history, (h) => backtest.add(h), options.onProgress);
  return backtest.result();
}

/** A shadow version's recorded verdicts against the live ones, flips explained when the definitions are given. */
export async function shadowHistory(history: History, version: string, liveVersion: string, window: Window, defs?: { current: CompiledDefinition; candidate: CompiledDefinition }): Promise<ComparisonResult & { window: Window }> {
  const report = new ShadowReport(version, liveVersion, window, defs);
  await forEachHistory(history, (h) => report.add(h));
  return report.result();
}

export async function funnelHistory(history: History, options: FunnelOptions): Promise<FunnelReport> {
  const funnel = new Funnel(options);
  await forEachHistory(history, (h) => funnel.add(h));
  return funnel.result();
}

export async function handoffHistory(history: History, window: Window, now: string): Promise<HandoffReport> {
  const handoff = new Handoff(window, now);
  await forEachHistory(history, (h) => handoff.add(h));
  return handoff.result();
}
