/**
 * Listening helper for simulators and their tests: an ephemeral port on the loopback
 * interface and a close that does not wait for held (timed-out) or keep-alive connections.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface RunningServer {
  server: Server;
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

export interface StartOptions {
  /**
   * Largest request line plus headers Node accepts. Node's own default (16 KiB) would answer
   * 431 before a simulator could give the real API's answer to a long URL (Salesforce: 414).
   * @defaultValue 131072
   */
  maxHeaderSize?: number;
}

/**
 * Listens on `port` (0 = ephemeral) and `host`.
 * @param port @defaultValue 0
 * @param host @defaultValue '127.0.0.1'
 */
export function startServer(app: Express, port = 0, host = '127.0.0.1', options: StartOptions = {}): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = createServer({ maxHeaderSize: options.maxHeaderSize ?? 131_072 }, app);
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve({
        server,
        port: address.port,
        url: `http://${host}:${address.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((closeError) => (closeError ? fail(closeError) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}
