/**
 * A private redis-server for the chaos run: its own port and data directory, never the shared
 * Redis. It runs with an append-only file fsynced on every write (`appendfsync always`),
 * because the run kills it with SIGKILL and expects the queues back afterwards: that is the
 * persistence production Redis must have (DESIGN: "Production Redis runs with persistence"),
 * and without it a Redis crash loses every waiting job, which no worker can make up for.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import IORedis from 'ioredis';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

export class PrivateRedis {
  private child: ChildProcess | undefined;
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'lsync-chaos-redis-'));
  restarts = 0;

  private constructor(readonly port: number) {}

  /** Starts it, or only reserves a port (`launch: false`) for a test that starts it later. */
  static async start(options: { launch?: boolean } = {}): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    if (options.launch !== false) await redis.launch();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts redis-server on its port and data directory (again, after a crash); a no-op while it runs. */
  async launch(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) return;
    const args = [
      '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always',
      '--maxmemory-policy', 'noeviction', '--daemonize', 'no', '--logfile', path.join(this.dir, 'redis.log'),
    ];
    this.child = spawn('redis-server', args, { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new IORedis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        // Loading the append-only file answers LOADING until done.
        if ((await probe.ping()) === 'PONG') return;
      } catch {
        if (Date.now() > deadline) throw new Error(`private redis-server on port ${this.port} did not start`);
      } finally {
        probe.disconnect();
      }
      await sleep(50);
    }
  }

  /** A crash: SIGKILL, no shutdown save (the append-only file has every acknowledged write). */
  crash(): Promise<void> {
    return this.kill('SIGKILL');
  }

  /** A crash, down for `downMs`, then the same port and data directory again. */
  async crashAndRestart(downMs: number): Promise<void> {
    await this.crash();
    await sleep(downMs);
    await this.launch();
    this.restarts++;
  }

  private kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  async stop(): Promise<void> {
    await this.kill('SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
