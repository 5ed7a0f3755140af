import type { RequestHandler } from 'express';
import { inTransaction } from '../../db/transaction.ts';
import type { Knex } from '../../db.ts';
import type { SyncHooks } from '../../integrations/beds24/hooks/sync_hooks.ts';
import { NotFoundError } from '../../errors.ts';
import { parse } from '../../http/validate.ts';
import { IdParams } from '../common_schemas.ts';
import { findRoom, lockRoom } from '../rooms/rooms_repository.ts';
import { RatesQuery, SetRatesBody } from './rate_schemas.ts';
import { nightlyRates, upsertRates } from './rates_repository.ts';

export interface RatesControllerDeps {
  db: Knex;
  hooks: SyncHooks;
}

export function createRatesController({ db, hooks }: RatesControllerDeps) {
  const setRoomRatesHandler: RequestHandler = async (req, res) => {
    const { id } = parse(IdParams, req.params, 'path');
    const input = parse(SetRatesBody, req.body);
    await inTransaction(db, async (trx) => {
      const room = await lockRoom(trx, id);
      if (!room) throw new NotFoundError('room', id);
      await upsertRates(trx, id, input);
      await hooks.queueRoomRatesSyncHook(trx, room);
    });
    res.json({ room_id: id, from: input.from, to: input.to, price: input.price });
  };

  const getRoomRatesHandler: RequestHandler = async (req, res) => {
    const { id } = parse(IdParams, req.params, 'path');
    const { from, to } = parse(RatesQuery, req.query, 'query');
    if (!(await findRoom(db, id))) throw new NotFoundError('room', id);
    res.json(await nightlyRates(db, id, from, to));
  };

  return { setRoomRatesHandler, getRoomRatesHandler };
}
