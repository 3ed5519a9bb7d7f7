/** Records every unit of work as a run (trigger, duration, counts) for /admin/runs and metrics. */
import { randomUUID } from 'node:crypto';
import { jobDuration, jobsTotal } from './metrics';
import type { Store } from './store';

export async function recordRun<T>(store: Store, trigger: string, kind: string, work: () => Promise<T>, counts: (result: T) => Record<string, number>): Promise<T> {
  const startedAt = new Date();
  const finish = async (outcome: 'ok' | 'error', extra: { counts: Record<string, number>; error?: string }) => {
    const finishedAt = new Date();
    const durationMs = finishedAt.getTime() - startedAt.getTime();
    jobsTotal.inc({ kind, trigger, outcome });
    jobDuration.observe({ kind, trigger }, durationMs / 1000);
    await store.recordRun({ id: randomUUID(), trigger, kind, startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(), durationMs, ...extra });
  };
  try {
    const result = await work();
    await finish('ok', { counts: counts(result) });
    return result;
  } catch (error) {
    await finish('error', { counts: {}, error: (error as Error).message.slice(0, 300) }).catch(() => undefined);
    throw error;
  }
}
