import type { RequestHandler } from 'express';
import { inTransaction } from '../../db/transaction.ts';
import type { Knex } from '../../db.ts';
import type { SyncHooks } from '../../integrations/beds24/hooks/sync_hooks.ts';
import { NotFoundError } from '../../errors.ts';
import { parse } from '../../http/validate.ts';
import { IdParams } from '../common_schemas.ts';
import { assertNoOccupyingReservation } from '../reservations/stay_conflicts.ts';
import { findRoom, lockRoom } from '../rooms/rooms_repository.ts';
import { CreateMaintenanceBody, ListMaintenanceQuery } from './maintenance_schemas.ts';
import { deleteMaintenance, findMaintenance, insertMaintenance, listMaintenance } from './maintenance_repository.ts';

export interface MaintenanceControllerDeps {
  db: Knex;
  hooks: SyncHooks;
}

export function createMaintenanceController({ db, hooks }: MaintenanceControllerDeps) {
  const createMaintenanceHandler: RequestHandler = async (req, res) => {
    const { id } = parse(IdParams, req.params, 'path');
    const input = parse(CreateMaintenanceBody, req.body);
    const block = await inTransaction(db, async (trx) => {
      const room = await lockRoom(trx, id);
      if (!room) throw new NotFoundError('room', id);
      await assertNoOccupyingReservation(trx, room, { start: input.start_date, end: input.end_date });
      const created = await insertMaintenance(trx, room.id, input);
      await hooks.queueRoomAvailabilitySyncHook(trx, room);
      return created;
    });
    res.status(201).json(block);
  };

  const listMaintenanceHandler: RequestHandler = async (req, res) => {
    const { id } = parse(IdParams, req.params, 'path');
    const { limit, cursor } = parse(ListMaintenanceQuery, req.query, 'query');
    if (!(await findRoom(db, id))) throw new NotFoundError('room', id);
    res.json(await listMaintenance(db, id, limit, cursor));
  };

  const deleteMaintenanceHandler: RequestHandler = async (req, res) => {
    const { id } = parse(IdParams, req.params, 'path');
    await inTransaction(db, async (trx) => {
      const block = await findMaintenance(trx, id);
      if (!block) throw new NotFoundError('maintenance block', id);
      const room = await lockRoom(trx, block.room_id);
      await deleteMaintenance(trx, id);
      if (room) await hooks.queueRoomAvailabilitySyncHook(trx, room);
    });
    res.status(204).end();
  };

  return { createMaintenanceHandler, listMaintenanceHandler, deleteMaintenanceHandler };
}
