/**
 * The service under test as the image runs it: `worker` and `api` child processes of the
 * built CLI, pointed at the sandbox and the local Redis. Memory and CPU are read from
 * /proc (Linux), so the figures are the child's own, not the benchmark's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const CLI = path.resolve(__dirname, '..', '..', 'src', 'cli', 'main.js');
const DOCKERFILE = path.resolve(__dirname, '..', '..', '..', 'Dockerfile');

/** The NODE_OPTIONS the image runs the service with, so the benchmark runs it the same way. */
export function imageNodeOptions(): string | undefined {
  try {
    return /^ENV NODE_OPTIONS=(.+)$/m.exec(readFileSync(DOCKERFILE, 'utf8'))?.[1]?.trim();
  } catch {
    return undefined;
  }
}
const TICKS_PER_SECOND = 100;
const MAX_RELAYED = 20;

export interface ServiceProcess {
  role: string;
  pid: number;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Starts `lifecycle-sync <role>`; resolves once it logs that it is running. */
export async function startService(role: 'worker' | 'api', env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [CLI, role], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...(imageNodeOptions() ? { NODE_OPTIONS: imageNodeOptions()! } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role} did not start within 60 s:\n${log.slice(-2000)}`)), 60_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('lifecycle-sync running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${role} exited (${String(code)}) before it was running:\n${log.slice(-2000)}`));
    });
  });
  // Keep only the first warnings and errors from here on (the service logs JSON lines).
  let relayed = 0;
  const relay = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!/"level":(40|50|60)/.test(line) || relayed++ >= MAX_RELAYED) continue;
      process.stderr.write(`[${role} ${child.pid}] ${line.slice(0, 400)}\n`);
    }
  };
  child.stdout!.removeAllListeners('data').on('data', relay);
  child.stderr!.removeAllListeners('data').on('data', (c: Buffer) => process.stderr.write(`[${role} ${child.pid}] ${c.toString().slice(0, 400)}`));
  return {
    role, pid: child.pid!, child, exited,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resident set size and its high-water mark of a process, in MB. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSecondsOf(pid: number): number {
  try {
    // Fields after the command name (which may contain spaces): state is field 3, utime 14, stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}
