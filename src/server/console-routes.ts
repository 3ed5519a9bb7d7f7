/**
 * The admin console's pages: `/console` (one HTML shell, no data in it), its bundled assets
 * from `dist/console`, and sign-in / sign-out. Signing in checks the admin token and keeps it
 * in an http-only, SameSite=Strict cookie, so the page's API calls carry no token in a URL or
 * in script-readable storage. Data comes only from the token-protected admin API.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import { SESSION_COOKIE, tokensEqual } from './auth';

/** Where `npm run build` puts the bundle: beside the compiled server, or under dist/ when running from source. */
export function defaultConsoleDir(): string {
  const candidates = [path.resolve(__dirname, '../../console'), path.resolve(__dirname, '../../dist/console')];
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? candidates[0]!;
}

export const SESSION_MAX_AGE_MS = 12 * 3_600_000;

/**
 * helmet's default policy plus `upgrade-insecure-requests`, which would send the page's own
 * scripts to https on a plain-http deployment (an internal host): only asked for over https.
 * No inline script or style: everything comes from files on this origin.
 */
function contentSecurityPolicy(req: Request): string {
  const directives = [
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'", "connect-src 'self'",
    "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
  ];
  if (req.secure) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}

export interface ConsoleRoutesOptions {
  adminToken: string | undefined;
  /** @defaultValue {@link defaultConsoleDir} */
  dir?: string;
}

export function consoleRouter(options: ConsoleRoutesOptions): Router {
  const dir = options.dir ?? defaultConsoleDir();
  const router = Router();
  router.use('/console', (req, res, next) => {
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(req));
    // The shell is tiny and the bundle's names carry no hash: revalidate (ETag) every time.
    res.setHeader('Cache-Control', 'no-cache');
    next();
  });

  const shell = (_req: Request, res: Response) => {
    const index = path.join(dir, 'index.html');
    if (!existsSync(index)) return void res.status(503).json({ error: 'the console is not built: run npm run build' });
    res.sendFile(index);
  };
  router.get('/console', shell);
  router.get('/console/', shell);
  router.use('/console/assets', express.static(path.join(dir, 'assets'), { index: false, fallthrough: true, cacheControl: false }));

  const body = [express.json({ limit: '4kb' }), express.urlencoded({ extended: false, limit: '4kb' })];
  router.post('/console/login', ...body, (req, res) => {
    const token = options.adminToken;
    if (!token) return void res.status(503).json({ error: 'the admin API is disabled: set ADMIN_TOKEN (16+ characters)' });
    const given = (req.body as { token?: unknown } | undefined)?.token;
    if (typeof given !== 'string' || given.length === 0 || !tokensEqual(given, token)) return void res.status(401).json({ error: 'That token was not accepted.' });
    res.cookie(SESSION_COOKIE, given, { httpOnly: true, sameSite: 'strict', path: '/', secure: req.secure, maxAge: SESSION_MAX_AGE_MS });
    res.status(204).end();
  });
  router.post('/console/logout', (req, res) => {
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/', secure: req.secure });
    res.status(204).end();
  });
  return router;
}
