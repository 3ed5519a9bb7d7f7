/**
 * Backtests started from the admin API run in the background of the API process (they read
 * only Redis) and keep their progress and result in Redis for a week, so any API replica
 * can answer `GET /admin/backtests/:id`. `<prefix>:backtest:<id>` holds the JSON run.
 */
import { randomUUID } from 'node:crypto';
import type { CompiledDefinition } from '../src/domain/definition/compile';
import type { BacktestReport } from '../src/domain/reports/backtest';
import type { Window } from '../src/domain/reports/history';
import type { History } from './history';
import { backtestHistory } from './reports';
import type { Store } from './store';

export interface BacktestRun {
  id: string;
  status: 'running' | 'done' | 'failed';
  current: string;
  candidate: string;
  window: Window;
  startedAt: string;
  updatedAt: string;
  /** Contacts read so far. */
  contacts: number;
  durationMs?: number;
  result?: BacktestReport;
  error?: string;
}

const KEEP_SECONDS = 7 * 86_400;
const PROGRESS_EVERY_MS = 1_000;

export class BacktestRuns {
  constructor(
    private readonly store: Store,
    private readonly history: History,
    private readonly onError: (error: unknown, id: string) => void,
  ) {}

  private key(id: string): string {
    return this.store.key('backtest', id);
  }

  private async save(run: BacktestRun): Promise<void> {
    await this.store.redis.set(this.key(run.id), JSON.stringify(run), 'EX', KEEP_SECONDS);
  }

  /** Starts a backtest and returns its id at once; `done` resolves when it has finished (tests). */
  async start(current: CompiledDefinition, candidate: CompiledDefinition, window: Window, options: { maxFlips?: number } = {}): Promise<{ id: string; done: Promise<void> }> {
    const now = new Date().toISOString();
    const run: BacktestRun = { id: randomUUID(), status: 'running', current: current.version, candidate: candidate.version, window, startedAt: now, updatedAt: now, contacts: 0 };
    await this.save(run);
    const started = Date.now();
    let saved = started;
    const done = backtestHistory(this.history, current, candidate, window, {
      ...options,
      onProgress: (contacts) => {
        run.contacts = contacts;
        if (Date.now() - saved < PROGRESS_EVERY_MS) return;
        saved = Date.now();
        run.updatedAt = new Date().toISOString();
        void this.save(run).catch(() => undefined);
      },
    })
      .then((result) => Object.assign(run, { status: 'done', result, contacts: result.contacts }))
      .catch((error: unknown) => {
        this.onError(error, run.id);
        Object.assign(run, { status: 'failed', error: (error as Error).message.slice(0, 300) });
      })
      .then(() => this.save(Object.assign(run, { updatedAt: new Date().toISOString(), durationMs: Date.now() - started })))
      .catch((error: unknown) => this.onError(error, run.id));
    return { id: run.id, done };
  }

  async get(id: string): Promise<BacktestRun | null> {
    const raw = await this.store.redis.get(this.key(id));
    return raw === null ? null : (JSON.parse(raw) as BacktestRun);
  }
}
