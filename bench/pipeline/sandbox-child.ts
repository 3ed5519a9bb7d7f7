/**
 * The sandbox in its own process: the simulators are CPU-heavy, and in the benchmark
 * process their work would share one event loop with the sampling and the driving. The
 * parent (sandbox-client.ts) calls the methods of SandboxHost over the IPC channel.
 */
import { SandboxHost, type SandboxApi, type SandboxStart } from './sandbox-host';

type Call = { id: number; method: keyof SandboxApi | 'start'; args: unknown[] };

let host: SandboxHost | undefined;

process.on('message', (message: Call) => {
  void (async () => {
    try {
      let result: unknown;
      if (message.method === 'start') {
        host = await SandboxHost.start(message.args[0] as SandboxStart);
      } else {
        if (!host) throw new Error('sandbox not started');
        result = await (host[message.method] as (...args: unknown[]) => Promise<unknown>).apply(host, message.args);
      }
      process.send?.({ id: message.id, result });
      if (message.method === 'close') process.disconnect();
    } catch (error) {
      process.send?.({ id: message.id, error: (error as Error).stack ?? String(error) });
    }
  })();
});
