import type { RequestHandler } from 'express';
import { inTransaction } from '../../db/transaction.ts';
import type { Knex } from '../../db.ts';
import type { SyncHooks } from '../../integrations/beds24/hooks/sync_hooks.ts';
import { NotFoundError } from '../../errors.ts';
import { parse } from '../../http/validate.ts';
import { IdParams } from '../common_schemas.ts';
import { CreateGuestBody, UpdateGuestBody } from './guest_schemas.ts';
import { findGuest, insertGuest, lockGuest, updateGuest } from './guests_repository.ts';

export interface GuestsControllerDeps {
  db: Knex;
  hooks: SyncHooks;
}

export function createGuestsController({ db, hooks }: GuestsControllerDeps) {
  const createGuestHandler: RequestHandler = async (req, res) => {
    const input = parse(CreateGuestBody, req.body);
    res.status(201).json(await insertGuest(db, input));
  };

  const getGuestHandler: RequestHandler = async (req, res) => {
    const { id } = parse(IdParams, req.params, 'path');
    const guest = await findGuest(db, id);
    if (!guest) throw new NotFoundError('guest', id);
    res.json(guest);
  };

  const updateGuestHandler: RequestHandler = async (req, res) => {
    const { id } = parse(IdParams, req.params, 'path');
    const changes = parse(UpdateGuestBody, req.body);
    const guest = await inTransaction(db, async (trx) => {
      if (!(await lockGuest(trx, id))) throw new NotFoundError('guest', id);
      const updated = await updateGuest(trx, id, changes);
      await hooks.queueGuestSyncHook(trx, id);
      return updated;
    });
    res.json(guest);
  };

  return { createGuestHandler, getGuestHandler, updateGuestHandler };
}
