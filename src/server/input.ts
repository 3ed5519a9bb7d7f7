/** Request input checked with zod: a 400 that names the field and the problem. */
import type { Request } from 'express';
import { z } from 'zod';
import { windowOf, type Window } from '../domain/reports/history';
import { HttpError } from './errors';

export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new HttpError(400, `${what}${issue.path.length ? ` ${issue.path.join('.')}` : ''}: ${issue.message.replace(/^Invalid input: /, '')}`);
}

export const versionLabel = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'a definition version label');

/** Who acts: `by` in the body, else the X-Admin-User header. The admin token is shared, so the name is declared. */
export function actor(req: Request): string {
  const body = (req.body ?? {}) as { by?: unknown };
  const by = typeof body.by === 'string' ? body.by : req.get('x-admin-user');
  return parseInput(z.string().trim().min(1, 'say who acts: "by" in the body or an X-Admin-User header').max(80), by ?? '', 'by');
}

export function windowInput(since: string | undefined, until: string | undefined): Window {
  try {
    return windowOf(since, until);
  } catch (error) {
    throw new HttpError(400, (error as Error).message);
  }
}

/** `?format=text` asks for the report as a table. */
export const wantsText = (req: Request): boolean => req.query.format === 'text';
