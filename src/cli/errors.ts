/** Errors the CLI reports as one line with exit code 2 (bad input), never a stack trace. */
import { ZodError } from 'zod';
import { DefinitionError } from '../domain/errors';
import { formatPath } from '../domain/definition/parse';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Formats a zod error on user input as `where: path: problem`. */
export function inputError(where: string, error: ZodError): UsageError {
  const issue = error.issues[0]!;
  const path = formatPath(issue.path);
  return new UsageError(`${where}${path ? ` at ${path}` : ''}: ${issue.message.replace(/^Invalid input: /, '')}`);
}

export function exitCodeFor(error: unknown): number {
  return error instanceof UsageError || error instanceof DefinitionError ? 2 : 1;
}
