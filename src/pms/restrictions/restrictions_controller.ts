import type { RequestHandler } from 'express';
import { inTransaction } from '../../db/transaction.ts';
import type { Knex } from '../../db.ts';
import type { SyncHooks } from '../../integrations/beds24/hooks/sync_hooks.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { parse } from '../../http/validate.ts';
import { IdParams } from '../common_schemas.ts';
import { findProperty } from '../properties/properties_repository.ts';
import { RestrictionsQuery, SetRestrictionsBody, restrictionChanges } from './restriction_schemas.ts';
import {
  assertStayOrderKept,
  lockPropertyForRestrictions,
  nightlyRestrictions,
  propertyHasRoomType,
  upsertRestrictions,
} from './restrictions_repository.ts';

export interface RestrictionsControllerDeps {
  db: Knex;
  hooks: SyncHooks;
}

const unknownRoomType = (roomType: string): ValidationError =>
  ValidationError.field('room_type', `no room of this property has the room type "${roomType}"`);

export function createRestrictionsController({ db, hooks }: RestrictionsControllerDeps) {
  const setRestrictionsHandler: RequestHandler = async (req, res) => {
    const { id } = parse(IdParams, req.params, 'path');
    const input = parse(SetRestrictionsBody, req.body);
    const changes = restrictionChanges(input);
    const target = { propertyId: id, roomType: input.room_type, from: input.from, to: input.to };
    await inTransaction(db, async (trx) => {
      if (!(await lockPropertyForRestrictions(trx, id))) throw new NotFoundError('property', id);
      if (!(await propertyHasRoomType(trx, id, input.room_type))) throw unknownRoomType(input.room_type);
      await assertStayOrderKept(trx, target, changes);
      await upsertRestrictions(trx, target, changes);
      await hooks.queueRestrictionsSyncHook(trx, id, input.room_type, { stopSell: changes.stop_sell === true });
    });
    res.json({ property_id: id, room_type: input.room_type, from: input.from, to: input.to, ...changes });
  };

  const getRestrictionsHandler: RequestHandler = async (req, res) => {
    const { id } = parse(IdParams, req.params, 'path');
    const { room_type: roomType, from, to } = parse(RestrictionsQuery, req.query, 'query');
    if (!(await findProperty(db, id))) throw new NotFoundError('property', id);
    if (roomType !== undefined && !(await propertyHasRoomType(db, id, roomType))) throw unknownRoomType(roomType);
    res.json(await nightlyRestrictions(db, id, roomType, from, to));
  };

  return { setRestrictionsHandler, getRestrictionsHandler };
}
