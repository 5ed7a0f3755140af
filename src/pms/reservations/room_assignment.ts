import type { Db } from '../../db.ts';
import { OCCUPYING_STATUSES } from '../common_schemas.ts';

export interface RoomAssignmentRequest {
  propertyId: string;
  /** The Beds24 room the booking is for: only PMS rooms mapped to it can hold the stay. */
  beds24RoomId: number;
  checkIn: string;
  checkOut: string;
  /** The reservation being (re)assigned: its own stay does not make a room busy. */
  ignoreReservationId?: string;
  /** The room the reservation has: kept when it still qualifies, so a changed stay does not move the guest. */
  preferRoomId?: string;
}

const DIGITS = /^\d+$/;

/** "101A" → ["101", "A"]: runs of digits and runs of anything else. */
function chunks(value: string): string[] {
  return value.match(/\d+|\D+/g) ?? [];
}

function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareText(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Room numbers as people read them: digit runs compare as numbers ("9" before "10"), digits before
 * letters ("101" before "A1"), letters without regard to case first. Numbers of any length compare
 * exactly (no float rounding); equal readings ("07" and "7") fall back to the raw text, so the order is total.
 */
export function compareRoomNumbers(a: string, b: string): number {
  const left = chunks(a);
  const right = chunks(b);
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    const x = left[i] as string;
    const y = right[i] as string;
    const xDigits = DIGITS.test(x);
    const yDigits = DIGITS.test(y);
    let order: number;
    if (xDigits && yDigits) order = compareDigits(x, y);
    else if (xDigits !== yDigits) order = xDigits ? -1 : 1;
    else order = compareText(x, y);
    if (order !== 0) return order;
  }
  if (left.length !== right.length) return left.length - right.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Candidate {
  id: string;
  number: string;
}

/**
 * The room an imported booking gets: among the active rooms of the property mapped to its Beds24 room,
 * the one with the lowest number (compareRoomNumbers) that is free on every night of the stay (no
 * occupying reservation, no maintenance block), or `preferRoomId` when it is one of them; null when
 * none is. Call it inside the transaction that
 * writes the reservation: the candidate rooms are locked (in id order, the same for every caller, so two
 * imports cannot deadlock), which is the lock every reservation write on a room takes, so the room cannot
 * be taken between this answer and the commit.
 */
export async function assignRoom(trx: Db, request: RoomAssignmentRequest): Promise<string | null> {
  const candidates: Candidate[] = await trx('rooms')
    .where({ property_id: request.propertyId, beds24_room_id: request.beds24RoomId, status: 'active' })
    .orderBy('id')
    .forUpdate()
    .select('id', 'number');
  if (candidates.length === 0) return null;
  const ids = candidates.map((room) => room.id);
  const stays = trx('reservations')
    .whereIn('room_id', ids)
    .whereIn('status', OCCUPYING_STATUSES)
    .where('check_in', '<', request.checkOut)
    .where('check_out', '>', request.checkIn)
    .distinct<Array<{ id: string }>>('room_id as id');
  if (request.ignoreReservationId !== undefined) stays.whereNot('id', request.ignoreReservationId);
  const blocks = trx('maintenance_blocks')
    .whereIn('room_id', ids)
    .where('start_date', '<', request.checkOut)
    .where('end_date', '>', request.checkIn)
    .distinct<Array<{ id: string }>>('room_id as id');
  const busyStays = await stays;
  const busyBlocks = await blocks;
  const busy = new Set([...busyStays, ...busyBlocks].map((row) => row.id));
  const free = candidates.filter((room) => !busy.has(room.id));
  if (free.some((room) => room.id === request.preferRoomId)) return request.preferRoomId as string;
  free.sort((a, b) => compareRoomNumbers(a.number, b.number));
  return free[0]?.id ?? null;
}
