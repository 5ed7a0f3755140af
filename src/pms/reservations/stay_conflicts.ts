import type { Db } from '../../db.ts';
import { ConflictError } from '../../errors.ts';
import { OCCUPYING_STATUSES } from '../common_schemas.ts';
import type { RoomRow } from '../rooms/room_schemas.ts';

export interface Stay {
  start: string;
  end: string;
}

/**
 * What makes a room unable to hold a stay: being inactive, another occupying reservation, or a maintenance
 * block over any of its nights. The caller holds the room lock (lockRoom), so nothing can slip in meanwhile.
 */
export async function assertRoomCanHost(
  db: Db,
  room: RoomRow,
  stay: Stay,
  ignoreReservationId?: string,
): Promise<void> {
  if (room.status !== 'active') throw new ConflictError(`room ${room.number} is inactive`);
  await assertNoOccupyingReservation(db, room, stay, ignoreReservationId);
  const block = await db('maintenance_blocks')
    .where({ room_id: room.id })
    .where('start_date', '<', stay.end)
    .where('end_date', '>', stay.start)
    .first('id', 'start_date', 'end_date');
  if (block) {
    throw new ConflictError(
      `room ${room.number} has a maintenance block from ${block.start_date} to ${block.end_date} (maintenance ${block.id})`,
    );
  }
}

export async function assertNoOccupyingReservation(
  db: Db,
  room: RoomRow,
  stay: Stay,
  ignoreReservationId?: string,
): Promise<void> {
  const query = db('reservations')
    .where({ room_id: room.id })
    .whereIn('status', OCCUPYING_STATUSES)
    .where('check_in', '<', stay.end)
    .where('check_out', '>', stay.start)
    .first('id', 'check_in', 'check_out');
  if (ignoreReservationId !== undefined) query.whereNot({ id: ignoreReservationId });
  const clash = await query;
  if (clash) {
    throw new ConflictError(
      `room ${room.number} is already booked from ${clash.check_in} to ${clash.check_out} (reservation ${clash.id})`,
    );
  }
}
