/** Bearer-token auth for the admin API and Bull Board, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Compares digests, so the comparison takes the same time whatever the lengths. */
export function tokensEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export const SESSION_COOKIE = 'lsync_session';

function cookieToken(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** Accepts `Authorization: Bearer <token>` or the console's http-only session cookie. */
export function requireToken(token: string | undefined) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!token) return void res.status(503).json({ error: 'the admin API is disabled: set ADMIN_TOKEN (16+ characters)' });
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : cookieToken(req);
    if (given === undefined) return void res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'missing bearer token' });
    if (!tokensEqual(given, token)) return void res.status(401).set('WWW-Authenticate', 'Bearer error="invalid_token"').json({ error: 'invalid token' });
    next();
  };
}
