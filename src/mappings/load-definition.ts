/** Reads a definition file from disk; parsing and validation are the domain's. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CompiledDefinition } from '../domain/definition/compile';
import { parseDefinition } from '../domain/definition/parse';
import { DefinitionError } from '../domain/errors';

/** The shipped life-sciences default, found relative to the package root (works from src and dist). */
export const DEFAULT_DEFINITION_PATH = path.resolve(__dirname, '..', '..', ...(__dirname.includes(`${path.sep}dist${path.sep}`) ? ['..'] : []), 'mappings', 'mql-definition.yaml');

export function loadDefinition(file: string = DEFAULT_DEFINITION_PATH): CompiledDefinition {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DefinitionError(displayPath(file), '', code === 'ENOENT' ? 'file not found: check the path (or MQL_DEFINITION_PATH)' : `cannot read the file (${code ?? 'error'})`);
  }
  return parseDefinition(text, displayPath(file));
}

/** Paths in messages: relative to the working directory when inside it, else as given. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
