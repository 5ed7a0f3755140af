import type { RequestHandler } from 'express';
import type { Knex } from '../../../db.ts';
import { ConflictError, ValidationError } from '../../../errors.ts';
import { parse } from '../../../http/validate.ts';
import type { Beds24Sync } from '../beds24_sync.ts';
import { VerifyBody } from './admin_schemas.ts';

export interface VerifyControllerDeps {
  db: Knex;
  sync: Pick<Beds24Sync, 'verify'>;
}

export function createVerifyController({ db, sync }: VerifyControllerDeps) {
  /** Reads Beds24 back now (two calls) and answers with every difference; `repair` (default) queues the fixes. */
  const verifyHandler: RequestHandler = async (req, res) => {
    const input = parse(VerifyBody, req.body);
    if (!(await db('properties').where({ id: input.property_id }).first('id')))
      throw ValidationError.field('property_id', 'no property with this id');
    const report = await sync.verify(input.property_id, { repair: input.repair, priority: 'normal' });
    if (!report) throw new ConflictError('property is not connected to Beds24, or its pushes are off');
    res.json(report);
  };

  return { verifyHandler };
}
