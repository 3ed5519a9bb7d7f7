/** Starts a HubSpot simulator on an ephemeral port with an `@hubspot/api-client` pointed at it. */
import { Client } from '@hubspot/api-client';
import { startServer, type RunningServer } from '../../sandbox/common';
import { createHubSpotSimulator, type HubSpotSimulator, type HubSpotSimulatorOptions } from '../../sandbox/hubspot';

export const ANCHOR = '2026-11-20T00:00:00.000Z';

export interface HubSpotHarness {
  sim: HubSpotSimulator;
  server: RunningServer;
  client: Client;
  /** Another client on the same portal, with a token of its own (separate rate-limit buckets). */
  clientWith(token: string, numberOfApiCallRetries?: number): Client;
  close(): Promise<void>;
}

export async function startHubSpot(options: Partial<HubSpotSimulatorOptions> = {}): Promise<HubSpotHarness> {
  const sim = createHubSpotSimulator({ contacts: 1000, seed: 42, anchor: ANCHOR, ...options });
  const server = await startServer(sim.app);
  const clientWith = (token: string, numberOfApiCallRetries?: number): Client =>
    new Client({ accessToken: token, basePath: server.url, ...(numberOfApiCallRetries ? { numberOfApiCallRetries } : {}) });
  return {
    sim, server, client: clientWith('test-token'), clientWith,
    close: async () => {
      sim.control.close();
      await server.close();
    },
  };
}

/** The ApiException (or other error) a promise rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<{ code: number; body: any; headers: Record<string, string> }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: number; body: any; headers: Record<string, string> };
  }
  throw new Error('expected the call to fail');
}
