/**
 * Parses definition text into a compiled definition, or throws one DefinitionError that
 * names the file, the line, the path inside it, the offending value and what was expected.
 * Pure: the caller reads the file.
 */
import { LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';
import { DefinitionError } from '../errors';
import { compileDefinition, SemanticError } from './compile';
import type { CompiledDefinition } from './compile';
import { PatternError } from './conditions';
import { definitionSchema } from './schema';

type PathKey = string | number;

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

/** `engagement.refinements[0].when` -> ['engagement', 'refinements', 0, 'when'] */
function parsePath(path: string): PathKey[] {
  const keys: PathKey[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) return keys;
    if (match[1]) keys.push(match[1]);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) keys.push(Number(index[1]));
  }
  return keys;
}

function lineOf(doc: Document, counter: LineCounter, path: PathKey[]): number | undefined {
  for (let depth = path.length; depth > 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

function located(file: string, doc: Document, counter: LineCounter, path: PathKey[], problem: string, value?: unknown, more = 0) {
  const line = lineOf(doc, counter, path);
  return new DefinitionError(line === undefined ? file : `${file}:${line}`, formatPath(path), problem, value, more);
}

function problemOf(message: string, input: unknown): string {
  if (input === undefined && message.startsWith('Invalid input: expected')) {
    return `missing; ${message.slice('Invalid input: '.length).replace(/, received undefined$/, '')}`;
  }
  return message.replace(/^Invalid input: /, '');
}

/**
 * Parses YAML text against a schema. Errors name the file, the line, the path inside it,
 * the offending value and what was expected. Used for the definition and every mappings file.
 */
export function parseYaml<T>(text: string, file: string, schema: z.ZodType<T>): { data: T; locate: (path: string, problem: string, value?: unknown) => DefinitionError } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = counter.linePos(yamlError.pos[0]);
    throw new DefinitionError(`${file}:${pos.line}:${pos.col}`, '', `YAML syntax error: ${yamlError.message.split('\n')[0]}`);
  }
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (error) {
    // e.g. an alias to an anchor that does not exist
    throw new DefinitionError(file, '', `YAML error: ${(error as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new DefinitionError(file, '', 'expected a mapping of keys to values at the top level', raw);
  }
  const parsed = schema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.filter((k): k is PathKey => typeof k !== 'symbol');
    const value = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.input;
    throw located(file, doc, counter, path, problemOf(issue.message, issue.input), value, parsed.error.issues.length - 1);
  }
  return { data: parsed.data, locate: (path, problem, value) => located(file, doc, counter, parsePath(path), problem, value) };
}

export function parseDefinition(text: string, file: string): CompiledDefinition {
  const { data, locate } = parseYaml(text, file, definitionSchema);
  try {
    return compileDefinition(data);
  } catch (error) {
    if (error instanceof SemanticError) throw locate(error.path, error.message, error.value);
    if (error instanceof PatternError) throw locate(error.path, error.message, error.pattern);
    throw error;
  }
}
