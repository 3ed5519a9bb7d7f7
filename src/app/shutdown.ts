/** One shutdown path: on SIGTERM/SIGINT stop HTTP, close workers, close Redis, flush logs, exit. */
import type { Logger } from 'pino';

export function onShutdown(close: () => Promise<void>, logger: Logger): void {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    // A second signal, or a stuck close, must still end the process.
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    close()
      .then(() => logger.info('stopped'))
      .catch((error) => logger.error({ err: error }, 'error while stopping'))
      .finally(() => {
        logger.flush?.();
        process.exit(0);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
}
