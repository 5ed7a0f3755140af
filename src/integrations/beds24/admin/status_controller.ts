import type { RequestHandler } from 'express';
import type { Knex } from '../../../db.ts';
import { NotFoundError } from '../../../errors.ts';
import { parse } from '../../../http/validate.ts';
import type { Beds24Sync } from '../beds24_sync.ts';
import { StatusQuery } from './admin_schemas.ts';

export interface StatusControllerDeps {
  db: Knex;
  sync: Pick<Beds24Sync, 'status'>;
}

export function createStatusController({ db, sync }: StatusControllerDeps) {
  const statusHandler: RequestHandler = async (req, res) => {
    const { property_id } = parse(StatusQuery, req.query, 'query');
    if (property_id !== undefined && !(await db('properties').where({ id: property_id }).first('id')))
      throw new NotFoundError('property', property_id);
    res.json(await sync.status(property_id));
  };

  return { statusHandler };
}
