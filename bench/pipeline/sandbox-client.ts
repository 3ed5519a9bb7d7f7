/** Starts the benchmark's sandbox in the benchmark process or in a child process (same interface). */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { SandboxHost, type SandboxApi, type SandboxStart } from './sandbox-host';

export interface StartedSandbox {
  api: SandboxApi;
  /** The child's pid, for CPU and memory samples; the benchmark's own when in-process. */
  pid: number;
}

export async function startBenchSandbox(start: SandboxStart, inProcess: boolean): Promise<StartedSandbox> {
  if (inProcess) return { api: await SandboxHost.start(start), pid: process.pid };
  const child = fork(path.join(__dirname, 'sandbox-child.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=4096'] });
  const call = rpc(child);
  await call('start', start);
  const api = new Proxy({} as SandboxApi, { get: (_target, method: string) => (...args: unknown[]) => call(method, ...args) });
  return { api, pid: child.pid! };
}

function rpc(child: ChildProcess) {
  let next = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
    const w = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error !== undefined) w?.reject(new Error(`sandbox: ${message.error}`));
    else w?.resolve(message.result);
  });
  child.on('exit', (code) => {
    for (const w of waiting.values()) w.reject(new Error(`sandbox process exited (${String(code)})`));
    waiting.clear();
  });
  return <T>(method: string, ...args: unknown[]): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, method, args });
    });
}
