/** Mounts the admin console on the API's express app (through `createApp`'s `extra` hook). */
import type { Express } from 'express';
import { consoleApiRouter, type ConsoleApiDeps } from './console-api';
import { consoleRouter, type ConsoleRoutesOptions } from './console-routes';

export type ConsoleOptions = ConsoleApiDeps & ConsoleRoutesOptions;

/**
 * The pages at /console, and the console's data routes under /admin: `createApp` has already
 * put the token check and the JSON body parser in front of every /admin path.
 */
export function mountConsole(app: Express, options: ConsoleOptions): void {
  app.use(consoleRouter(options));
  app.use('/admin', consoleApiRouter(options));
}
