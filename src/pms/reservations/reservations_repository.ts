import type { Db } from '../../db.ts';
import { applyCursor, toPage, type Page } from '../../http/pagination.ts';
import { OCCUPYING_STATUSES } from '../common_schemas.ts';
import { withSyncState } from '../../integrations/beds24/store/reservation_sync_store.ts';
import { GUEST_COLUMNS } from '../guests/guest_schemas.ts';
import type { ListReservationsFilter, Reservation, ReservationRow } from './reservation_schemas.ts';

const guestJson = `json_build_object(${GUEST_COLUMNS.map((c) => `'${c}', g.${c}`).join(', ')}) as guest`;

// An assigned reservation is in its room's Beds24 room; an unassigned one takes a unit of the booked one.
const beds24RoomJson = `case when reservations.room_id is null then reservations.booked_beds24_room_id
  else rm.beds24_room_id end as beds24_room_id`;

function withGuest(db: Db) {
  const query = db('reservations')
    .join('guests as g', 'g.id', 'reservations.guest_id')
    .leftJoin('rooms as rm', 'rm.id', 'reservations.room_id')
    .select('reservations.*', db.raw(guestJson), db.raw(beds24RoomJson));
  // Where the reservation stands with Beds24.
  return withSyncState(db, query);
}

export function findReservation(db: Db, id: string): Promise<Reservation | undefined> {
  return withGuest(db).where('reservations.id', id).first();
}

export function lockReservation(db: Db, id: string): Promise<ReservationRow | undefined> {
  return db<ReservationRow>('reservations').where({ id }).forUpdate().first();
}

type OptionalColumn =
  | 'beds24_booking_id'
  | 'total_price'
  | 'notes'
  | 'booked_beds24_room_id'
  | 'beds24_unit'
  | 'beds24_channel'
  | 'beds24_api_reference';

export type NewReservation = Omit<ReservationRow, 'id' | 'created_at' | 'updated_at' | OptionalColumn> &
  Partial<Pick<ReservationRow, OptionalColumn>>;

export async function insertReservation(db: Db, row: NewReservation): Promise<string> {
  const [inserted] = await db('reservations').insert(row).returning<Array<{ id: string }>>('id');
  return (inserted as { id: string }).id;
}

export async function updateReservationRow(db: Db, id: string, changes: Partial<ReservationRow>): Promise<void> {
  await db('reservations').where({ id }).update(changes);
}

export async function listReservations(db: Db, filter: ListReservationsFilter): Promise<Page<Reservation>> {
  const query = withGuest(db);
  if (filter.property_id) query.where('reservations.property_id', filter.property_id);
  if (filter.room_id) query.where('reservations.room_id', filter.room_id);
  if (filter.status) query.where('reservations.status', filter.status);
  // Unassigned and occupying: an overbooking to solve. A cancelled one holds nothing and is not listed.
  if (filter.unassigned === 'true') {
    query.whereNull('reservations.room_id').whereIn('reservations.status', OCCUPYING_STATUSES);
  }
  if (filter.from) query.where('reservations.check_out', '>', filter.from);
  if (filter.to) query.where('reservations.check_in', '<', filter.to);
  const rows = await applyCursor<Reservation>(query, 'reservations', filter.limit, filter.cursor);
  return toPage(rows, filter.limit, (row) => row);
}

/** The reservations (one per unit) imported for a Beds24 booking, locked until the transaction ends. */
export function lockImportedUnits(db: Db, propertyId: string, beds24BookingId: number): Promise<ReservationRow[]> {
  return db<ReservationRow>('reservations')
    .where({ property_id: propertyId, source: 'beds24', beds24_booking_id: beds24BookingId })
    .orderBy('beds24_unit')
    .forUpdate()
    .select('*');
}

/** A reservation of the PMS's own (not imported) that was pushed as this Beds24 booking. */
export async function isOwnBeds24Booking(db: Db, beds24BookingId: number): Promise<boolean> {
  const row = await db('reservations')
    .where({ beds24_booking_id: beds24BookingId })
    .whereNot({ source: 'beds24' })
    .first<{ id: string } | undefined>('id');
  return row !== undefined;
}

/** Those of these Beds24 bookings that the PMS pushed itself (a reservation of its own holds the id). */
export async function ownBeds24Bookings(db: Db, beds24BookingIds: number[]): Promise<Set<number>> {
  if (beds24BookingIds.length === 0) return new Set();
  const rows: Array<{ beds24_booking_id: number }> = await db('reservations')
    .whereIn('beds24_booking_id', beds24BookingIds)
    .whereNot({ source: 'beds24' })
    .select('beds24_booking_id');
  return new Set(rows.map((row) => row.beds24_booking_id));
}

/** The Beds24 bookings of the property with an occupying unit that has no room (an overbooking to solve). */
export async function bookingsWithUnassignedUnits(
  db: Db,
  propertyId: string,
  beds24BookingIds: number[],
): Promise<Set<number>> {
  if (beds24BookingIds.length === 0) return new Set();
  const rows: Array<{ beds24_booking_id: number }> = await db('reservations')
    .where({ property_id: propertyId, source: 'beds24' })
    .whereNull('room_id')
    .whereIn('status', OCCUPYING_STATUSES)
    .whereIn('beds24_booking_id', beds24BookingIds)
    .distinct('beds24_booking_id');
  return new Set(rows.map((row) => row.beds24_booking_id));
}

/** Per property, how many reservations are unassigned and occupying: overbookings staff must solve. */
export async function unassignedCounts(
  db: Db,
  propertyId?: string,
): Promise<Array<{ property_id: string; n: number }>> {
  const { rows }: { rows: Array<{ property_id: string; n: number }> } = await db.raw(
    `select property_id, count(*)::int as n from reservations
     where room_id is null and status = any(?::text[]) and (?::uuid is null or property_id = ?::uuid)
     group by property_id`,
    [[...OCCUPYING_STATUSES], propertyId ?? null, propertyId ?? null],
  );
  return rows;
}
