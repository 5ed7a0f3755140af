import type { RequestHandler } from 'express';
import type { Knex } from '../../../db.ts';
import { NotFoundError } from '../../../errors.ts';
import { parse } from '../../../http/validate.ts';
import type { CreditGate } from '../client/credit_gate.ts';
import type { SyncQueue } from '../queue/sync_queue.ts';
import { readSyncStatus } from '../services/sync_status.ts';
import { StatusQuery } from './admin_schemas.ts';

export interface StatusControllerDeps {
  db: Knex;
  queue: SyncQueue;
  gate: CreditGate;
}

export function createStatusController({ db, queue, gate }: StatusControllerDeps) {
  const statusHandler: RequestHandler = async (req, res) => {
    const { property_id } = parse(StatusQuery, req.query, 'query');
    if (property_id !== undefined && !(await db('properties').where({ id: property_id }).first('id'))) throw new NotFoundError('property', property_id);
    res.json(await readSyncStatus(db, queue, gate, property_id));
  };

  return { statusHandler };
}
