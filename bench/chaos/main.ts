/**
 * `npm run test:chaos [-- --contacts 2000 --seed 7 --workers 2]`: one chaos run against the
 * built service (dist). Progress on stderr; details, then the one-line verdict last on stdout.
 * Exit code 1 unless nothing was lost, duplicated or written wrong (and no secret leaked).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runChaos } from './run';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { contacts: { type: 'string', default: '2000' }, seed: { type: 'string' }, workers: { type: 'string', default: '2' }, deadline: { type: 'string', default: '900' } },
  });
  const contacts = Number(values.contacts);
  const seed = values.seed !== undefined ? Number(values.seed) : Number(process.env.CHAOS_SEED ?? Date.now() % 100_000);
  if (!Number.isInteger(contacts) || contacts < 1 || !Number.isInteger(seed)) {
    process.stderr.write('usage: chaos [--contacts N] [--seed N] [--workers N] [--deadline seconds]\n');
    return 2;
  }
  // dist/bench/chaos/main.js -> the project root.
  const root = path.resolve(__dirname, '..', '..', '..');
  process.stderr.write(`chaos run: seed ${seed}, ${contacts} contacts\n`);
  // Ctrl-C stops the run at its next wait; it still stops the workers and the private Redis it started.
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
  const result = await runChaos({
    signal: stop.signal,
    contacts, seed, workers: Number(values.workers), root, deadlineMs: Number(values.deadline) * 1000,
    entry: [path.join(root, 'dist', 'src', 'cli', 'main.js')],
    onProgress: (line) => process.stderr.write(`  ${line}\n`),
  });
  const v = result.verdict;
  const details = [
    `seed ${result.seed}, ${(result.durationMs / 1000).toFixed(0)} s`,
    `faults: HubSpot ${JSON.stringify(result.faults.hubspot)}, Salesforce ${JSON.stringify(result.faults.salesforce)}, session expiries ${result.faults.sessionExpiries}`,
    `HubSpot 429s met by the workers, by policy: ${JSON.stringify(result.rateLimitPolicies)}`,
    `checked: ${v.mqls} MQLs with their task, ${v.outcomes} sales outcomes in HubSpot, ${v.refusedVisible} Leads refused by Salesforce and kept as failures, ${v.borderline} borderline scores not judged on status, ${v.shared} sharing a record`,
    `jobs failed for good: ${result.failedJobs}; unexpected worker exits: ${result.unexpectedExits.length}; log leaks: ${result.leaks.length ? result.leaks.join('; ') : 'none'}`,
    ...result.failedReasons.map((r) => `  failed job ${r}`),
    ...v.examples.map((e) => `  ${e}`),
    ...Object.entries(result.trails).flatMap(([id, lines]) => [`  audit of ${id}:`, ...lines.map((l) => `    ${l}`)]),
  ];
  process.stdout.write(`${details.join('\n')}\n${result.line}\n`);
  return v.lost === 0 && v.duplicateTasks === 0 && v.wrongFields === 0 && result.leaks.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`chaos run failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
