/**
 * Retries wait, and wait differently each time: jobs retry with exponential backoff and
 * jitter; a rate-limited call makes the whole queue wait the time the API asked for, without
 * using up an attempt; a transient failure is retried until it passes. (The connectors' own
 * Retry-After and interval handling is tested with their call wrappers.)
 */
import { Backoffs, type Job } from 'bullmq';
import { backoffDelay, DEFAULT_TUNING } from '../../connectors/salesforce/config';
import { RateLimitedError, RetryableError } from '../../connectors/errors';
import { DEFAULT_JOB_OPTIONS } from '../../jobs/queues';
import { startWorkers, type Workers } from '../../jobs/worker';
import { examples, NOW } from '../fixtures/worked-examples';
import { contactProperties, testRuntime, type TestRuntime } from '../fixtures/runtime';
import { until } from './harness';

jest.setTimeout(60_000);

describe('backoff delays', () => {
  test('jobs: exponential from 2 s, with jitter (no two retries of many jobs land together)', () => {
    const backoff = DEFAULT_JOB_OPTIONS.backoff as { type: string; delay: number; jitter: number };
    for (let attempt = 1; attempt <= 7; attempt++) {
      const ceiling = 2_000 * 2 ** (attempt - 1);
      const delays = Array.from({ length: 200 }, () => Backoffs.calculate(backoff, attempt, new Error('x'), {} as Job) as number);
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(ceiling * (1 - backoff.jitter));
      expect(Math.max(...delays)).toBeLessThanOrEqual(ceiling);
      expect(new Set(delays).size).toBeGreaterThan(100);
    }
  });

  test('Salesforce calls and locked rows: full jitter under a doubling ceiling, capped', () => {
    for (let attempt = 1; attempt <= 8; attempt++) {
      const ceiling = Math.min(DEFAULT_TUNING.backoffMaxMs, DEFAULT_TUNING.backoffBaseMs * 2 ** (attempt - 1));
      const delays = Array.from({ length: 200 }, () => backoffDelay(DEFAULT_TUNING, attempt));
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...delays)).toBeLessThan(ceiling);
      expect(Math.max(...delays)).toBeGreaterThan(ceiling / 2);
      expect(new Set(delays).size).toBeGreaterThan(50);
    }
  });
});

describe('workers', () => {
  let t: TestRuntime;
  let workers: Workers | undefined;
  const id = examples[1].contact.id;
  beforeEach(() => {
    t = testRuntime(NOW);
    t.hubspot.put(id, contactProperties(examples[1].contact), examples[1].activities);
  });
  afterEach(async () => {
    await workers?.close();
    workers = undefined;
    await t.close();
  });

  async function start() {
    workers = await startWorkers(t.rt, t.queues, t.redis, { concurrency: 1, batchSize: 10, backfillChunkSize: 10, syncIntervalMs: 3_600_000, outcomesIntervalMs: 3_600_000, reevaluateCron: '0 3 1 1 *' });
  }

  test('a rate-limited call: the queue waits what the API asked, the attempt is not used up, then the job succeeds', async () => {
    const calls: number[] = [];
    const read = t.hubspot.readContacts.bind(t.hubspot);
    t.hubspot.readContacts = async (ids) => {
      calls.push(Date.now());
      if (calls.length === 1) throw new RateLimitedError('HubSpot ten_secondly_rolling limit still hit', 1_500, 'hubspot:ten_secondly');
      return read(ids);
    };
    await start();
    const job = await t.queues.sync.add('manual', { ids: [id], trigger: 'manual' });
    await until('the job done', async () => (await job.isCompleted()) || undefined, 20_000);
    expect(calls).toHaveLength(2);
    expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(1_450);
    // One attempt counted, the successful one: waiting for the limit cost none.
    expect((await t.queues.sync.getJob(job.id!))!.attemptsMade).toBe(1);
    expect(t.salesforce.calls.createLeads).toBe(1);
  });

  test('a transient failure: the job is retried after a backoff and succeeds; nothing is written twice', async () => {
    let failures = 0;
    const match = t.salesforce.match.bind(t.salesforce);
    t.salesforce.match = async (contacts) => {
      if (failures++ === 0) throw new RetryableError('Salesforce answered 503 SERVER_UNAVAILABLE after 4 attempts');
      return match(contacts);
    };
    await start();
    const job = await t.queues.sync.add('manual', { ids: [id], trigger: 'manual' });
    await until('the job done', async () => (await job.isCompleted()) || undefined, 20_000);
    const done = (await t.queues.sync.getJob(job.id!))!;
    expect(done.attemptsMade).toBe(2);
    expect(done.finishedOn! - done.timestamp).toBeGreaterThanOrEqual(1_000);
    expect(t.salesforce.calls.createLeads).toBe(1);
    expect(t.salesforce.calls.ensureTasks).toBe(1);
  });
});
