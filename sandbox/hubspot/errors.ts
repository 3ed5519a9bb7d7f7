/** HubSpot's error bodies: `{status:"error", message, correlationId, category, ...}`. */
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { setOutcome } from '../common';

export interface HubSpotErrorBody {
  status: 'error';
  message: string;
  correlationId: string;
  category: string;
  subCategory?: string;
  errors?: Array<{ message: string; code?: string; in?: string; context?: Record<string, string[]> }>;
  context?: Record<string, string[]>;
  [extra: string]: unknown;
}

export function errorBody(message: string, category: string, extra: Partial<HubSpotErrorBody> = {}): HubSpotErrorBody {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

/** Sends an error body and names the outcome in the request accounting. */
export function sendError(res: Response, status: number, body: HubSpotErrorBody): void {
  setOutcome(res, body.category);
  res.status(status).json(body);
}

export function notFound(res: Response): void {
  sendError(res, 404, errorBody('resource not found', 'OBJECT_NOT_FOUND'));
}

export function validationError(res: Response, message: string, extra: Partial<HubSpotErrorBody> = {}): void {
  sendError(res, 400, errorBody(message, 'VALIDATION_ERROR', extra));
}

/** The 400 HubSpot answers when a batch is over its input limit. */
export function batchTooLarge(res: Response, max: number, got: number): void {
  validationError(res, `Batch input limit exceeded. Max ${max}, got ${got}.`, {
    errors: [{ message: `size must be between 1 and ${max}`, code: 'INVALID_LIMIT', in: 'inputs' }],
  });
}
