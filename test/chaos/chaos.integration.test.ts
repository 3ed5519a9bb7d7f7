/**
 * The chaos run, shortened for every `npm test`: the same fault kinds and blows as
 * `npm run test:chaos` (HubSpot 429s of both kinds, 5xx and timeouts on both systems,
 * UNABLE_TO_LOCK_ROW, an expired Salesforce session, three SIGKILLed workers, a Redis crash)
 * on fewer contacts. The workers run the TypeScript sources through a transpile-on-load hook,
 * so the test never runs a stale dist/.
 */
import path from 'node:path';
import { runChaos } from '../../bench/chaos/run';

const ROOT = path.resolve(__dirname, '..', '..');
const CONTACTS = Number(process.env.CHAOS_TEST_CONTACTS ?? 150);
const SEED = Number(process.env.CHAOS_TEST_SEED ?? 3);

jest.setTimeout(170_000);

test(`chaos: ${CONTACTS} contacts through faults, worker kills and a Redis crash lose nothing, duplicate no task, write no wrong field`, async () => {
  const result = await runChaos({
    contacts: CONTACTS, seed: SEED, root: ROOT, deadlineMs: 160_000, batchSize: 25,
    entry: ['-r', path.join(ROOT, 'test', 'chaos', 'register-ts.js'), path.join(ROOT, 'src', 'cli', 'main.ts')],
  });
  process.stdout.write(`${result.line}\n`);
  expect(result.verdict.examples).toEqual([]);
  expect(result.verdict).toMatchObject({ lost: 0, duplicateTasks: 0, wrongFields: 0 });
  expect(result.kills).toBe(3);
  expect(result.redisRestarts).toBe(1);
  expect(result.faults.sessionExpiries).toBe(1);
  expect(Object.keys(result.faults.hubspot).sort()).toEqual(expect.arrayContaining(['rate_limit', 'server_error']));
  expect(result.verdict.mqls).toBeGreaterThan(10);
  expect(result.verdict.outcomes).toBeGreaterThan(10);
  expect(result.leaks).toEqual([]);
  expect(result.unexpectedExits).toEqual([]);
});
