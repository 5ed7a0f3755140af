import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import type { Clock } from '../../../clock.ts';
import type { Knex } from '../../../db.ts';
import { AppError, UnauthorizedError } from '../../../errors.ts';
import { BODY_LIMIT } from '../../../http/error_handler.ts';
import type { SyncQueue } from '../queue/sync_queue.ts';
import { storeDelivery } from '../store/inbox_store.ts';
import { parseDelivery } from './webhook_schemas.ts';

export type WebhookOutcome = 'accepted' | 'unauthorized' | 'invalid' | 'ignored';

export interface WebhookRouterDeps {
  db: Knex;
  /** BEDS24_WEBHOOK_TOKEN; without one (a process that serves no webhooks) every delivery is refused. */
  token: string | undefined;
  queue: Pick<SyncQueue, 'wakeAfterCommit'>;
  clock: Clock;
  counter?: { inc(labels: { outcome: WebhookOutcome }): void };
}

export const WEBHOOK_TOKEN_HEADER = 'x-webhook-token';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * `POST /webhooks/beds24`, mounted before the /api bearer auth: Beds24 sends no bearer token but the
 * custom header we configured (`X-Webhook-Token`), or the token in the URL's query. The token is checked
 * before the body is read; a delivery is stored in the inbox (one statement) and answered 202 at once,
 * with no Beds24 call on this path: the import job, woken after the commit, reads Beds24.
 */
export function createWebhookRouter({ db, token, queue, clock, counter }: WebhookRouterDeps): Router {
  const expected = token === undefined ? undefined : digest(token);

  const authenticate: RequestHandler = (req, _res, next) => {
    const query = req.query.token;
    const presented = req.get(WEBHOOK_TOKEN_HEADER) ?? (typeof query === 'string' ? query : undefined);
    if (expected === undefined || presented === undefined || !timingSafeEqual(expected, digest(presented))) {
      next(new UnauthorizedError('missing or invalid webhook token'));
      return;
    }
    next();
  };

  const receive: RequestHandler = async (req, res) => {
    const delivery = parseDelivery(req.body);
    const properties = await storeDelivery(db, delivery, clock.now());
    for (const propertyId of properties) queue.wakeAfterCommit(db, propertyId, ['import']);
    counter?.inc({ outcome: properties.length > 0 ? 'accepted' : 'ignored' });
    res.status(202).json({ status: 'accepted' });
  };

  const countRefusal: ErrorRequestHandler = (error: unknown, _req, _res, next) => {
    if (error instanceof UnauthorizedError) counter?.inc({ outcome: 'unauthorized' });
    else if (isClientError(error)) counter?.inc({ outcome: 'invalid' });
    next(error);
  };

  // Whatever the content type Beds24 declares, the body is read as JSON.
  const json = express.json({ limit: BODY_LIMIT, type: () => true });
  return Router().post('/', authenticate, json, receive).use(countRefusal);
}

/** A refusal of the request itself (a bad or oversized body), as opposed to a failure of ours. */
function isClientError(error: unknown): boolean {
  if (error instanceof AppError) return error.status < 500;
  const status = typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
  return typeof status === 'number' && status >= 400 && status < 500;
}
