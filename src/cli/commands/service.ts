/** `lifecycle-sync run | worker | api`: the long-running processes (one image, a command argument). */
import type { Command } from 'commander';
import { onShutdown } from '../../app/shutdown';
import { buildServices, type Role } from '../../app/services';
import { parseEnv } from '../../config/env';
import { createLogger } from '../../logger';
import { UsageError } from '../errors';

export async function runService(role: Role): Promise<void> {
  const env = parseEnv();
  const logger = createLogger({ level: env.LOG_LEVEL, base: { role } });
  if (env.sandbox) {
    throw new UsageError('no HubSpot or Salesforce credentials are set (see README "Configuration"); to try the service against the built-in sandbox run `npm start`');
  }
  const services = await buildServices(env, logger, { role });
  onShutdown(() => services.close(), logger);
  logger.info({ role, port: services.port, definition: (await services.runtime.definitions.live()).version }, 'lifecycle-sync running');
}

export function registerService(program: Command): void {
  program.command('run').description('run the worker and the API in one process (the default of the image)').action(() => runService('both'));
  program.command('worker').description('run only the worker (scale these out on one Redis)').action(() => runService('worker'));
  program.command('api').description('run only the API: webhooks, admin API, health, metrics').action(() => runService('api'));
}
