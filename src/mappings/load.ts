/**
 * Loads every mappings file once at start-up. A bad file stops start-up with a message that
 * names the file, the line, the path inside it, the value and what was expected.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { CompiledDefinition } from '../domain/definition/compile';
import { parseYaml } from '../domain/definition/parse';
import { DefinitionError } from '../domain/errors';
import { parseActivitiesMapping, type ActivitiesMapping } from './activities';
import { DEFAULT_DEFINITION_PATH, displayPath, loadDefinition } from './load-definition';
import { fieldsSchema, reasonsSchema, routingSchema, type FieldsMapping, type ReasonsMapping, type RoutingMapping } from './schema';

export const DEFAULT_MAPPINGS_DIR = path.dirname(DEFAULT_DEFINITION_PATH);

export interface Mappings {
  dir: string;
  definition: CompiledDefinition;
  fields: FieldsMapping;
  reasons: ReasonsMapping;
  routing: RoutingMapping;
  activities: ActivitiesMapping;
}

export function readMappingFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DefinitionError(displayPath(file), '', code === 'ENOENT' ? 'file not found: check MAPPINGS_DIR' : `cannot read the file (${code ?? 'error'})`);
  }
}

export function loadYamlFile<T>(file: string, schema: z.ZodType<T>): T {
  return parseYaml(readMappingFile(file), displayPath(file), schema).data;
}

export function loadMappings(options: { dir?: string; definitionPath?: string } = {}): Mappings {
  const dir = options.dir ?? DEFAULT_MAPPINGS_DIR;
  return {
    dir,
    definition: loadDefinition(options.definitionPath ?? path.join(dir, 'mql-definition.yaml')),
    fields: loadYamlFile(path.join(dir, 'fields.yaml'), fieldsSchema),
    reasons: loadYamlFile(path.join(dir, 'reasons.yaml'), reasonsSchema),
    routing: loadYamlFile(path.join(dir, 'routing.yaml'), routingSchema),
    activities: parseActivitiesMapping(readMappingFile(path.join(dir, 'activities.yaml')), displayPath(path.join(dir, 'activities.yaml'))),
  };
}
