import type { RequestHandler } from 'express';
import { inTransaction } from '../../db/transaction.ts';
import type { Knex } from '../../db.ts';
import type { SyncHooks } from '../../integrations/beds24/hooks/sync_hooks.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { parse } from '../../http/validate.ts';
import { IdParams } from '../common_schemas.ts';
import { findProperty } from '../properties/properties_repository.ts';
import { CreateRoomBody, ListRoomsQuery, UpdateHousekeepingBody, UpdateRoomBody } from './room_schemas.ts';
import { findRoom, insertRoom, listRooms, lockRoom, updateRoom } from './rooms_repository.ts';

export interface RoomsControllerDeps {
  db: Knex;
  hooks: SyncHooks;
}

export function createRoomsController({ db, hooks }: RoomsControllerDeps) {
  const createRoomHandler: RequestHandler = async (req, res) => {
    const input = parse(CreateRoomBody, req.body);
    // Outside the transaction: the check may ask Beds24, which must not happen while rows are locked.
    if (input.beds24_room_id != null) await hooks.assertBeds24RoomMappable(db, input.property_id, input.beds24_room_id);
    const room = await inTransaction(db, async (trx) => {
      if (!(await findProperty(trx, input.property_id)))
        throw ValidationError.field('property_id', 'no property with this id');
      const created = await insertRoom(trx, input);
      await hooks.queueRoomAvailabilitySyncHook(trx, created);
      return created;
    });
    res.status(201).json(room);
  };

  const listRoomsHandler: RequestHandler = async (req, res) => {
    const { property_id, limit, cursor } = parse(ListRoomsQuery, req.query, 'query');
    res.json(await listRooms(db, property_id, limit, cursor));
  };

  const getRoomHandler: RequestHandler = async (req, res) => {
    const { id } = parse(IdParams, req.params, 'path');
    const room = await findRoom(db, id);
    if (!room) throw new NotFoundError('room', id);
    res.json(room);
  };

  const updateRoomHandler: RequestHandler = async (req, res) => {
    const { id } = parse(IdParams, req.params, 'path');
    const changes = parse(UpdateRoomBody, req.body);
    if (changes.beds24_room_id != null) {
      // Outside the transaction, as on create; the room's property never changes.
      const existing = await findRoom(db, id);
      if (!existing) throw new NotFoundError('room', id);
      if (existing.beds24_room_id !== changes.beds24_room_id) {
        await hooks.assertBeds24RoomMappable(db, existing.property_id, changes.beds24_room_id);
      }
    }
    const room = await inTransaction(db, async (trx) => {
      const current = await lockRoom(trx, id);
      if (!current) throw new NotFoundError('room', id);
      const updated = await updateRoom(trx, current, changes);
      if (updated.status !== current.status || updated.beds24_room_id !== current.beds24_room_id) {
        await hooks.queueRoomAvailabilitySyncHook(trx, updated, current);
      }
      if (
        updated.base_price !== current.base_price ||
        updated.status !== current.status ||
        updated.beds24_room_id !== current.beds24_room_id
      ) {
        await hooks.queueRoomRatesSyncHook(trx, updated, current);
      }
      return updated;
    });
    res.json(room);
  };

  const updateRoomHousekeepingHandler: RequestHandler = async (req, res) => {
    const { id } = parse(IdParams, req.params, 'path');
    const changes = parse(UpdateHousekeepingBody, req.body);
    const room = await inTransaction(db, async (trx) => {
      const current = await lockRoom(trx, id);
      if (!current) throw new NotFoundError('room', id);
      const updated = await updateRoom(trx, current, changes);
      if (updated.housekeeping_status !== current.housekeeping_status)
        await hooks.queueRoomAvailabilitySyncHook(trx, updated);
      return updated;
    });
    res.json(room);
  };

  return { createRoomHandler, listRoomsHandler, getRoomHandler, updateRoomHandler, updateRoomHousekeepingHandler };
}
