/** A Salesforce simulator on an ephemeral port, for the connector's integration tests. */
import type { Express } from 'express';
import { startServer, type RunningServer } from '../../../sandbox/common/server';
import { createSalesforceSimulator, type SalesforceSimulator, type SalesforceSimulatorOptions } from '../../../sandbox/salesforce';

export interface RunningSimulator extends SalesforceSimulator {
  url: string;
  close(): Promise<void>;
}

/** `wrap` may put the simulator's app behind another (e.g. to alter an answer). */
export async function startSimulator(options: SalesforceSimulatorOptions = {}, wrap?: (app: Express) => Express): Promise<RunningSimulator> {
  const sim = createSalesforceSimulator(options);
  const server: RunningServer = await startServer(wrap ? wrap(sim.app) : sim.app);
  return {
    ...sim,
    url: server.url,
    async close() {
      sim.control.close();
      await server.close();
    },
  };
}

/** Calls per endpoint the simulator saw since the last reset. */
export function simCalls(sim: SalesforceSimulator): Record<string, number> {
  return sim.control.stats().requests.byEndpoint;
}
