/** What a unit of work needs: the two systems (ports), the mappings, the store and a clock. */
import type { Logger } from 'pino';
import type { HubSpotPort, SalesforcePort } from '../connectors/ports';
import type { CompiledDefinition } from '../src/domain/definition/compile';
import type { PlanContext } from '../src/domain/plan';
import type { Mappings } from '../src/mappings/load';
import type { History } from './history';
import type { Store } from './store';

/** Which definition is live, and which candidates run in shadow mode (history only). */
export interface DefinitionSource {
  live(): Promise<CompiledDefinition>;
  shadows(): Promise<CompiledDefinition[]>;
}

/** The file's definition, live, and no candidates. */
export function staticDefinitions(definition: CompiledDefinition): DefinitionSource {
  return { live: async () => definition, shadows: async () => [] };
}

export interface Runtime {
  hubspot: HubSpotPort;
  salesforce: SalesforcePort;
  mappings: Mappings;
  definitions: DefinitionSource;
  store: Store;
  history: History;
  logger: Logger;
  now(): Date;
}

export async function planContext(rt: Pick<Runtime, 'mappings' | 'definitions'>): Promise<PlanContext> {
  const m = rt.mappings;
  return { definition: await rt.definitions.live(), fields: m.fields, reasons: m.reasons, routing: m.routing };
}

/** Job triggers, recorded on every run so health pages can tell them apart. */
export type Trigger = 'scheduled' | 'backfill' | 'webhook' | 'reevaluate' | 'retry' | 'outcomes' | 'manual';
