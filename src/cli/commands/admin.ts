/** Admin actions at a terminal: backfill (with a progress bar), status, explain, failures. */
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { BackfillProgress } from '../../../jobs/backfill';
import { adminTarget, call, type AdminTarget } from '../admin-client';
import { UsageError } from '../errors';

interface Connection {
  url?: string;
  token?: string;
}

const print = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function withConnection(command: Command): Command {
  return command.option('--url <url>', 'admin API base URL (default LSYNC_URL or http://127.0.0.1:$PORT)').option('--token <token>', 'admin token (default ADMIN_TOKEN)');
}

async function follow(target: AdminTarget, id: string): Promise<BackfillProgress> {
  const bar = process.stderr.isTTY ? new SingleBar({ format: 'backfill |{bar}| {value}/{total} | {rate}/s | ETA {eta_formatted} | failed {failed}', hideCursor: true, stream: process.stderr }) : undefined;
  bar?.start(1, 0, { rate: 0, failed: 0 });
  for (;;) {
    const state = await call<BackfillProgress>(target, 'GET', `/admin/backfills/${id}`);
    bar?.setTotal(Math.max(state.total, 1));
    bar?.update(state.done + state.failed, { rate: state.ratePerSecond, failed: state.failed });
    if (!['queued', 'running'].includes(state.status)) {
      bar?.stop();
      return state;
    }
    await sleep(1_000);
  }
}

export function registerAdmin(program: Command): void {
  withConnection(
    program
      .command('backfill')
      .description('start a backfill (all contacts, a date range, ids or a service line) and follow its progress')
      .option('--since <date>', 'contacts modified since (ISO date)')
      .option('--until <date>', 'contacts modified until (ISO date)')
      .option('--ids <ids>', 'comma-separated HubSpot contact ids')
      .option('--service-line <key>', 'only contacts judged under this service line')
      .option('--dry-run', 'report every planned write, write nothing')
      .option('--no-follow', 'print the id and return at once'),
  ).action(async (opts: Connection & { since?: string; until?: string; ids?: string; serviceLine?: string; dryRun?: boolean; follow: boolean }) => {
    const target = adminTarget(opts);
    const body = {
      ...(opts.since ? { since: opts.since } : {}),
      ...(opts.until ? { until: opts.until } : {}),
      ...(opts.ids ? { ids: opts.ids.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
      ...(opts.serviceLine ? { serviceLine: opts.serviceLine } : {}),
      ...(opts.dryRun ? { dryRun: true } : {}),
    };
    const { id } = await call<{ id: string }>(target, 'POST', '/admin/backfills', body);
    if (!opts.follow) return print({ id });
    print(await follow(target, id));
  });

  withConnection(program.command('backfill-cancel').description('cancel a running backfill').argument('<id>')).action(async (id: string, opts: Connection) => {
    print(await call(adminTarget(opts), 'DELETE', `/admin/backfills/${encodeURIComponent(id)}`));
  });

  withConnection(program.command('status').description('queues, lag, last runs per trigger, failures')).action(async (opts: Connection) => {
    print(await call(adminTarget(opts), 'GET', '/admin/status'));
  });

  withConnection(program.command('explain').description("a contact's scores, reasons, lifecycle, Salesforce match and the writes a sync would make now").argument('<hubspotId>')).action(
    async (id: string, opts: Connection) => {
      if (!/^\d+$/.test(id)) throw new UsageError(`explain: "${id}" is not a HubSpot contact id (digits)`);
      print(await call(adminTarget(opts), 'GET', `/admin/contacts/${id}/explain`));
    },
  );

  withConnection(
    program
      .command('failures')
      .description('records the APIs rejected and jobs that gave up; --retry <id> or --retry-all [code] re-drives them')
      .option('--retry <id>', 'retry one failure (hubspot:<id>, salesforce:<id> or job:<queue>:<id>)')
      .option('--retry-all [code]', 'retry every failed record (optionally only those with this error code)'),
  ).action(async (opts: Connection & { retry?: string; retryAll?: string | boolean }) => {
    const target = adminTarget(opts);
    if (opts.retry) return print(await call(target, 'POST', `/admin/failures/${encodeURIComponent(opts.retry)}/retry`));
    if (opts.retryAll) return print(await call(target, 'POST', '/admin/failures/retry', typeof opts.retryAll === 'string' ? { code: opts.retryAll } : {}));
    print(await call(target, 'GET', '/admin/failures'));
  });
}
