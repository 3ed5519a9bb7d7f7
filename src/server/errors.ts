/** HTTP errors: a status and a message for the client; never a stack trace. */
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Redis refused or is unreachable: nothing was stored, so the caller must retry. */
export function isRedisDown(error: unknown): boolean {
  const e = error as { code?: string; message?: string; name?: string };
  return (
    e?.name === 'MaxRetriesPerRequestError' ||
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND'].includes(e?.code ?? '') ||
    /Stream isn't writeable|Connection is closed|enableOfflineQueue/.test(e?.message ?? '')
  );
}

export function errorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = error as { status?: number; statusCode?: number; type?: string; message?: string };
    if (error instanceof HttpError) return void res.status(error.status).json({ error: error.message });
    if (e.type === 'entity.too.large') return void res.status(413).json({ error: 'body too large' });
    if (e.type === 'entity.parse.failed') return void res.status(400).json({ error: 'malformed JSON body' });
    if (isRedisDown(error)) {
      logger.warn({ path: req.path }, 'redis unavailable: answering 503');
      return void res.status(503).set('Retry-After', '5').json({ error: 'temporarily unavailable (queue storage unreachable); retry' });
    }
    const status = e.status ?? e.statusCode;
    if (status && status >= 400 && status < 500) return void res.status(status).json({ error: e.message ?? 'bad request' });
    logger.error({ err: error, path: req.path }, 'request failed');
    res.status(500).json({ error: 'internal error' });
  };
}
