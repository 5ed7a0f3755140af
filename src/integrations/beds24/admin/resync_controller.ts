import type { RequestHandler } from 'express';
import { inTransaction } from '../../../db/transaction.ts';
import type { Knex } from '../../../db.ts';
import { ConflictError, ValidationError } from '../../../errors.ts';
import { parse } from '../../../http/validate.ts';
import { isPushEnabled, loadConfig } from '../store/config_store.ts';
import { ResyncBody } from './admin_schemas.ts';
import type { PropertyResync } from '../services/property_resync.ts';

export interface ResyncControllerDeps {
  db: Knex;
  resync: PropertyResync;
}

export function createResyncController({ db, resync }: ResyncControllerDeps) {
  const resyncHandler: RequestHandler = async (req, res) => {
    const input = parse(ResyncBody, req.body);
    const jobId = await inTransaction(db, async (trx) => {
      if (!(await trx('properties').where({ id: input.property_id }).first('id'))) {
        throw ValidationError.field('property_id', 'no property with this id');
      }
      const config = await loadConfig(trx, input.property_id);
      if (!isPushEnabled(config)) {
        throw new ConflictError(
          config === undefined || config.refresh_token === null
            ? 'property is not connected to Beds24'
            : 'push sync is disabled for this property (sync_enabled or push_sync_enabled is false)',
        );
      }
      return resync.queue(trx, input.property_id, input.from, input.to);
    });
    res.status(202).json({ job_id: jobId });
  };

  return { resyncHandler };
}
