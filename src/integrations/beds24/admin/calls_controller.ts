import type { RequestHandler } from 'express';
import type { Knex } from '../../../db.ts';
import { parse } from '../../../http/validate.ts';
import { CallsQuery } from './admin_schemas.ts';

export interface CallsControllerDeps {
  db: Knex;
}

/** The most recent Beds24 calls from beds24_sync_log (already stripped of personal data and secrets). */
export function createCallsController({ db }: CallsControllerDeps) {
  const listCallsHandler: RequestHandler = async (req, res) => {
    const { property_id, limit } = parse(CallsQuery, req.query, 'query');
    const query = db('beds24_sync_log')
      .orderBy('id', 'desc')
      .limit(limit)
      .select('id', 'created_at', 'property_id', 'method', 'path', 'status', 'cost', 'remaining', 'duration_ms', 'outcome', 'error');
    if (property_id) query.where({ property_id });
    res.json({ data: await query, next_cursor: null });
  };

  return { listCallsHandler };
}
