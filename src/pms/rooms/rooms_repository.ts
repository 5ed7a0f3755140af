import type { Db } from '../../db.ts';
import { ConflictError } from '../../errors.ts';
import { applyCursor, toPage, type Page } from '../../http/pagination.ts';
import type { CreateRoomInput, RoomRow, UpdateRoomInput } from './room_schemas.ts';

export function findRoom(db: Db, id: string): Promise<RoomRow | undefined> {
  return db<RoomRow>('rooms').where({ id }).first();
}

/**
 * Locks the room row for the rest of the transaction. Every write that could double-book a room
 * (reservations, maintenance blocks) takes this lock first, so their overlap checks cannot race.
 */
export function lockRoom(db: Db, id: string): Promise<RoomRow | undefined> {
  return db<RoomRow>('rooms').where({ id }).forUpdate().first();
}

export async function insertRoom(db: Db, input: CreateRoomInput): Promise<RoomRow> {
  await assertNumberFree(db, input.property_id, input.number);
  const [row] = await db<RoomRow>('rooms').insert(input).returning('*');
  return row as RoomRow;
}

export async function updateRoom(
  db: Db,
  room: RoomRow,
  changes: UpdateRoomInput | Pick<RoomRow, 'housekeeping_status'>,
): Promise<RoomRow> {
  if ('number' in changes && changes.number !== undefined && changes.number !== room.number) {
    await assertNumberFree(db, room.property_id, changes.number);
  }
  const [row] = await db<RoomRow>('rooms').where({ id: room.id }).update(changes).returning('*');
  return row as RoomRow;
}

export async function listRooms(
  db: Db,
  propertyId: string | undefined,
  limit: number,
  cursor: string | undefined,
): Promise<Page<RoomRow>> {
  const query = db('rooms').select('*');
  if (propertyId !== undefined) query.where({ property_id: propertyId });
  const rows = await applyCursor<RoomRow>(query, 'rooms', limit, cursor);
  return toPage(rows, limit, (row) => row);
}

async function assertNumberFree(db: Db, propertyId: string, number: string): Promise<void> {
  const clash = await db('rooms').where({ property_id: propertyId, number }).first<{ id: string } | undefined>('id');
  if (clash) throw new ConflictError(`room number ${number} already exists in this property (room ${clash.id})`);
}

/** The Beds24 rooms that rooms of the property (any status) are mapped to. */
export async function mappedBeds24Rooms(db: Db, propertyId: string): Promise<Set<number>> {
  const rows: Array<{ beds24_room_id: number }> = await db('rooms')
    .where({ property_id: propertyId })
    .whereNotNull('beds24_room_id')
    .distinct('beds24_room_id');
  return new Set(rows.map((row) => row.beds24_room_id));
}
