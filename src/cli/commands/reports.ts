/**
 * `lifecycle-sync backtest` and `lifecycle-sync report funnel|handoff`: reports over the
 * stored history, read straight from Redis (no API calls). Tables by default, `--json` for
 * the full report.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { RegistryError } from '../../../jobs/definition-registry';
import { backtestHistory, funnelHistory, handoffHistory } from '../../../jobs/reports';
import { FUNNEL_DIMENSIONS, type FunnelDimension } from '../../domain/reports/funnel';
import { windowOf, type Window } from '../../domain/reports/history';
import { comparisonText, funnelText, handoffText } from '../../domain/reports/text';
import { loadDefinition } from '../../mappings/load-definition';
import { UsageError } from '../errors';
import { withStoredHistory, type OfflineContext } from '../offline';

interface WindowOptions {
  since?: string;
  until?: string;
  json?: boolean;
}

function windowFrom(opts: WindowOptions): Window {
  try {
    return windowOf(opts.since, opts.until);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const out = (text: string) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

/** A definition file, or a version the registry knows (`live` for the live one). */
async function definitionOf(ref: string, context: OfflineContext) {
  if (existsSync(ref)) return loadDefinition(ref);
  if (ref === 'live') return context.registry.live();
  return context.registry.definition(ref).catch((error: unknown) => {
    if (error instanceof RegistryError) throw new UsageError(`"${ref}" is neither a definition file nor a stored version (see: lifecycle-sync definition list)`);
    throw error;
  });
}

function withWindow(command: Command): Command {
  return command
    .option('--since <date>', 'from this date or date-time (UTC)')
    .option('--until <date>', 'until this date (inclusive) or date-time (exclusive)')
    .option('--json', 'print the full report as JSON');
}

export function registerReports(program: Command): void {
  withWindow(
    program
      .command('backtest')
      .description('replay stored history through the live and a candidate definition: MQLs, flips, precision and recall against sales outcomes (reads Redis only)')
      .requiredOption('--candidate <path|version>', 'the candidate definition file (or a stored version)')
      .option('--current <path|version>', 'compare against this instead of the live definition')
      .option('--flips <n>', 'flips to list', (v) => Number(v), 20),
  ).action(async (opts: WindowOptions & { candidate: string; current?: string; flips: number }) => {
    const window = windowFrom(opts);
    await withStoredHistory(async (context) => {
      const candidate = await definitionOf(opts.candidate, context);
      const current = await definitionOf(opts.current ?? 'live', context);
      const started = Date.now();
      const report = await backtestHistory(context.history, current, candidate, window, { maxFlips: opts.json ? Math.max(opts.flips, 200) : opts.flips });
      if (opts.json) return out(JSON.stringify(report, null, 2));
      out(comparisonText('Backtest', report, opts.flips));
      out(`(${report.contacts.toLocaleString('en')} contacts replayed in ${((Date.now() - started) / 1000).toFixed(1)} s from Redis prefix ${context.prefix}; no API calls)`);
    });
  });

  const report = program.command('report').description('reports over the stored history (reads Redis only)');
  withWindow(
    report
      .command('funnel')
      .description('MQL -> SAL -> SQL conversion and disqualification reasons, per MQL episode started in the window')
      .option('--by <dimension>', `group by ${FUNNEL_DIMENSIONS.join(' | ')}`, 'version'),
  ).action(async (opts: WindowOptions & { by: string }) => {
    if (!(FUNNEL_DIMENSIONS as readonly string[]).includes(opts.by)) throw new UsageError(`--by: expected one of ${FUNNEL_DIMENSIONS.join(', ')} (got "${opts.by}")`);
    const window = windowFrom(opts);
    await withStoredHistory(async ({ history }) => {
      const result = await funnelHistory(history, { by: opts.by as FunnelDimension, window });
      out(opts.json ? JSON.stringify(result, null, 2) : funnelText(result));
    });
  });
  withWindow(report.command('handoff').description('the handoff SLA: time to first sales touch, breaches, escalations, decisions, by tier and service line')).action(async (opts: WindowOptions) => {
    const window = windowFrom(opts);
    await withStoredHistory(async ({ history }) => {
      const result = await handoffHistory(history, window, new Date().toISOString());
      out(opts.json ? JSON.stringify(result, null, 2) : handoffText(result));
    });
  });
}
