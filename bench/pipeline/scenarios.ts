/** The scenarios `npm run bench` runs, and the check of `--only`. */
import { InvalidArgumentError } from 'commander';

export const SCENARIOS = ['backfill', 'webhook', 'receiver', 'scale-out', 'evaluate'] as const;

/** An unknown name would run nothing and still write a result: refused instead. */
export function scenarioList(value: string): string {
  const unknown = value.split(',').map((s) => s.trim()).filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (unknown.length) throw new InvalidArgumentError(`unknown scenario ${unknown.map((s) => `"${s}"`).join(', ')}; choose from ${SCENARIOS.join(', ')}`);
  return value;
}
