/** Starts a Salesforce simulator on an ephemeral port and hands out jsforce connections. */
import * as jsforce from 'jsforce';
import { startServer, type RunningServer } from '../../sandbox/common/server';
import type { SeedSalesforceRecord } from '../../sandbox/dataset/types';
import { createSalesforceSimulator, to18, type SalesforceSimulator, type SalesforceSimulatorOptions } from '../../sandbox/salesforce';

export interface Harness extends SalesforceSimulator {
  server: RunningServer;
  url: string;
  /** A connection with a static token, API 60.0. */
  connect(accessToken?: string): jsforce.Connection;
  close(): Promise<void>;
}

export async function startSalesforce(options: SalesforceSimulatorOptions = {}): Promise<Harness> {
  const sim = createSalesforceSimulator(options);
  const server = await startServer(sim.app);
  return {
    ...sim,
    server,
    url: server.url,
    connect: (accessToken = 'test-token') => new jsforce.Connection({ instanceUrl: server.url, accessToken, version: '60.0' }),
    async close() {
      sim.control.close();
      await server.close();
    },
  };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: PromiseLike<unknown>): Promise<Error & { errorCode?: string; data?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { errorCode?: string; data?: unknown };
  }
  throw new Error('expected the call to fail');
}

/** Seed Leads with ids `00Q7z...`, one per `i`, a minute apart from `start` (some sharing a stamp). */
export function seedLeads(count: number, start = Date.UTC(2026, 9, 1)): SeedSalesforceRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    sobject: 'Lead' as const,
    id: to18(`00Q7z${String(i).padStart(10, '0')}`),
    fields: {
      FirstName: `First${i}`,
      LastName: `Last${i}`,
      Company: `Company ${i % 97}`,
      Email: `lead${i}@bio${i % 13}.example`,
      HubSpot_Contact_Id__c: String(100000 + i),
      MQL__c: i % 3 === 0,
      CreatedDate: new Date(start + Math.floor(i / 2) * 60_000).toISOString(),
      SystemModstamp: new Date(start + Math.floor(i / 2) * 60_000).toISOString(),
    },
  }));
}
