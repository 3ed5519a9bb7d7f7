/** `lifecycle-sync evaluate --input FILE.json`: score contacts from a file or stdin. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { evaluate } from '../../domain/evaluate';
import { ACTIVITY_TYPES, type Contact } from '../../domain/types';
import { loadDefinition } from '../../mappings/load-definition';
import { inputError, UsageError } from '../errors';

const isoInstant = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'expected an ISO-8601 date-time');
const text = z.string().nullable().optional();

const contactInput = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  email: text,
  firstName: text,
  lastName: text,
  jobTitle: text,
  jobFunction: text,
  company: text,
  organizationType: text,
  employees: z.number().nullable().optional(),
  country: text,
  serviceLine: text,
  properties: z.record(z.string(), z.string().nullable()).optional(),
});

const activityInput = z.object({
  type: z.enum(ACTIVITY_TYPES),
  at: isoInstant,
  id: z.string().optional(),
  title: z.string().optional(),
  url: z.string().optional(),
  formId: z.string().optional(),
  category: z.string().optional(),
});

const caseInput = z.object({ contact: contactInput, activities: z.array(activityInput).default([]), now: isoInstant.optional() });

function toContact(c: z.infer<typeof contactInput>): Contact {
  return {
    id: c.id,
    email: c.email ?? null,
    firstName: c.firstName ?? null,
    lastName: c.lastName ?? null,
    jobTitle: c.jobTitle ?? null,
    jobFunction: c.jobFunction ?? null,
    company: c.company ?? null,
    organizationType: c.organizationType ?? null,
    employees: c.employees ?? null,
    country: c.country ?? null,
    serviceLine: c.serviceLine ?? null,
    properties: c.properties ?? {},
  };
}

function readInput(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('score contacts with the MQL definition and print the results as JSON')
    .requiredOption('-i, --input <file>', 'JSON file with {contact, activities, now?} or an array of them; - for stdin')
    .option('-d, --definition <path>', 'definition file (default: the shipped life-sciences definition)')
    .option('--now <iso>', 'evaluate as of this instant (default: each case\'s "now", else the current time)')
    .action((opts: { input: string; definition?: string; now?: string }) => {
      if (opts.now !== undefined && !Number.isFinite(Date.parse(opts.now))) throw new UsageError(`--now: expected an ISO-8601 date-time (got "${opts.now}")`);
      const raw = readInput(opts.input);
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch (error) {
        throw new UsageError(`${opts.input}: not valid JSON (${(error as Error).message})`);
      }
      const parsed = (Array.isArray(json) ? z.array(caseInput) : caseInput).safeParse(json);
      if (!parsed.success) throw inputError(opts.input, parsed.error);
      const definition = loadDefinition(opts.definition);
      const cases = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
      const results = cases.map((c) => evaluate(definition, toContact(c.contact), c.activities, opts.now ?? c.now ?? new Date()));
      process.stdout.write(`${JSON.stringify(Array.isArray(parsed.data) ? results : results[0], null, 2)}\n`);
    });
}
