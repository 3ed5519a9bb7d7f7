/**
 * POST /webhooks/hubspot. Verifies signature v3 over the raw bytes as received, then hands
 * the events to the queue; 2xx only once they are stored, 503 (HubSpot retries) when Redis
 * is unreachable, 401 for bad or stale signatures, 413 for oversized bodies.
 */
import express, { Router, type Request } from 'express';
import type { Logger } from 'pino';
import { acceptWebhookEvents, webhookBatchSchema } from '../../jobs/webhooks';
import type { Queues } from '../../jobs/queues';
import type { Store } from '../../jobs/store';
import { HttpError } from './errors';

export type VerifyWebhook = (input: { method: string; uri: string; rawBody: Buffer; signature: string | undefined; timestamp: string | undefined }) => { valid: true } | { valid: false; reason: string };

export interface WebhookRouteOptions {
  store: Store;
  queues: Queues;
  verify: VerifyWebhook;
  /** The full URL HubSpot calls, when a proxy sits in front; else the request's own URL. */
  publicUrl?: string;
  ownProperties: ReadonlySet<string>;
  maxBodyBytes: number;
  logger: Logger;
}

export function webhookRouter(options: WebhookRouteOptions): Router {
  const router = Router();
  router.post(
    '/webhooks/hubspot',
    (req, _res, next) => {
      if (!req.is('application/json')) return next(new HttpError(415, 'expected Content-Type: application/json'));
      next();
    },
    express.raw({ type: 'application/json', limit: options.maxBodyBytes }),
    async (req: Request, res) => {
      const rawBody: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const uri = options.publicUrl ?? `${req.protocol}://${req.get('host')}${req.originalUrl}`;
      const check = options.verify({
        method: req.method,
        uri,
        rawBody,
        signature: req.get('X-HubSpot-Signature-v3'),
        timestamp: req.get('X-HubSpot-Request-Timestamp'),
      });
      if (!check.valid) {
        options.logger.warn({ reason: check.reason }, 'webhook refused');
        throw new HttpError(401, `signature rejected: ${check.reason}`);
      }
      let json: unknown;
      try {
        json = JSON.parse(rawBody.toString('utf8'));
      } catch {
        throw new HttpError(400, 'malformed JSON body');
      }
      const parsed = webhookBatchSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new HttpError(400, `not a HubSpot webhook batch: ${issue.path.join('.') || 'body'}: ${issue.message}`);
      }
      const result = await acceptWebhookEvents(options.store, options.queues, parsed.data, options.ownProperties);
      res.status(200).json(result);
    },
  );
  return router;
}
