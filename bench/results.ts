/** Writes benchmark figures as JSON under bench/results/, stamped with machine facts and commit. */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const RESULTS_DIR = path.resolve(__dirname, '..', ...(__dirname.includes(`${path.sep}dist${path.sep}`) ? ['..'] : []), 'bench', 'results');

export function machineFacts() {
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    // not a git checkout (e.g. inside the image): the figures still stand
  }
  return { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version, commit, at: new Date().toISOString() };
}

/** Writes `<date>-<name>.json` and returns its path relative to the project. */
export function writeResult(name: string, figures: object, alsoLatest = false): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const body = JSON.stringify({ ...figures, machine: machineFacts() }, null, 2);
  const file = path.join(RESULTS_DIR, `${new Date().toISOString().slice(0, 10)}-${name}.json`);
  writeFileSync(file, `${body}\n`);
  if (alsoLatest) writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${body}\n`);
  return path.relative(process.cwd(), file);
}
