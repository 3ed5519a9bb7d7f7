/**
 * Worker processes of the chaos run: `lifecycle-sync worker` children with the environment
 * pointing at the sandbox and the private Redis, killed with SIGKILL and started again. Their
 * output (pino JSON) is appended to one log file, which the run scans for secrets afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export interface WorkerPoolOptions {
  /** Arguments to `node` before the command, e.g. `['dist/src/cli/main.js']`. */
  entry: string[];
  env: NodeJS.ProcessEnv;
  size: number;
  logFile: string;
  cwd: string;
}

export class WorkerPool {
  private readonly children: Array<ChildProcess | undefined>;
  private readonly log: number;
  private stopped = false;
  kills = 0;
  /** Exits nobody asked for (a crash would show here). */
  unexpectedExits: string[] = [];

  constructor(private readonly options: WorkerPoolOptions) {
    this.children = new Array<ChildProcess | undefined>(options.size).fill(undefined);
    this.log = openSync(options.logFile, 'a');
  }

  start(): void {
    for (let i = 0; i < this.options.size; i++) this.spawnAt(i);
  }

  private spawnAt(i: number): void {
    const child = spawn(process.execPath, [...this.options.entry, 'worker'], {
      cwd: this.options.cwd,
      env: this.options.env,
      stdio: ['ignore', this.log, this.log],
    });
    child.once('exit', (code, signal) => {
      if (this.children[i] === child) {
        this.children[i] = undefined;
        this.unexpectedExits.push(`worker ${i} exited (${signal ?? `code ${code}`})`);
      }
    });
    this.children[i] = child;
  }

  /** SIGKILL worker `i` (no shutdown path runs), then start a new one in its place. */
  async killAndRestart(i: number): Promise<void> {
    const child = this.children[i];
    this.children[i] = undefined;
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    }
    this.kills++;
    this.spawnAt(i);
  }

  /** The normal shutdown path: SIGTERM and wait (SIGKILL after `graceMs`). */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const running = this.children.filter((c): c is ChildProcess => c !== undefined && c.exitCode === null);
    this.children.fill(undefined);
    await Promise.all(
      running.map(
        (child) =>
          new Promise<void>((resolve) => {
            const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
            child.once('exit', () => {
              clearTimeout(force);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    closeSync(this.log);
  }
}
