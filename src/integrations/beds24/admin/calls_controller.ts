import type { RequestHandler } from 'express';
import type { Knex } from '../../../db.ts';
import { parse } from '../../../http/validate.ts';
import { recentCalls } from '../store/sync_log_store.ts';
import { CallsQuery } from './admin_schemas.ts';

export interface CallsControllerDeps {
  db: Knex;
}

/** The most recent Beds24 calls from the sync log (already stripped of personal data and secrets). */
export function createCallsController({ db }: CallsControllerDeps) {
  const listCallsHandler: RequestHandler = async (req, res) => {
    const { property_id, limit } = parse(CallsQuery, req.query, 'query');
    res.json({ data: await recentCalls(db, { propertyId: property_id, limit }), next_cursor: null });
  };

  return { listCallsHandler };
}
