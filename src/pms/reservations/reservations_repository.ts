import type { Db } from '../../db.ts';
import { applyCursor, toPage, type Page } from '../../http/pagination.ts';
import { withSyncState } from '../../integrations/beds24/store/reservation_sync_store.ts';
import { GUEST_COLUMNS } from '../guests/guest_schemas.ts';
import type { ListReservationsFilter, Reservation, ReservationRow } from './reservation_schemas.ts';

const guestJson = `json_build_object(${GUEST_COLUMNS.map((c) => `'${c}', g.${c}`).join(', ')}) as guest`;

function withGuest(db: Db) {
  const query = db('reservations')
    .join('guests as g', 'g.id', 'reservations.guest_id')
    .select('reservations.*', db.raw(guestJson));
  // Where the reservation stands with Beds24.
  return withSyncState(db, query);
}

export function findReservation(db: Db, id: string): Promise<Reservation | undefined> {
  return withGuest(db).where('reservations.id', id).first();
}

export function lockReservation(db: Db, id: string): Promise<ReservationRow | undefined> {
  return db<ReservationRow>('reservations').where({ id }).forUpdate().first();
}

export type NewReservation = Omit<ReservationRow, 'id' | 'created_at' | 'updated_at' | 'beds24_booking_id' | 'total_price' | 'notes'> &
  Partial<Pick<ReservationRow, 'beds24_booking_id' | 'total_price' | 'notes'>>;

export async function insertReservation(db: Db, row: NewReservation): Promise<string> {
  const [inserted] = await db('reservations').insert(row).returning('id');
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
  if (filter.from) query.where('reservations.check_out', '>', filter.from);
  if (filter.to) query.where('reservations.check_in', '<', filter.to);
  const rows: Reservation[] = await applyCursor(query, 'reservations', filter.limit, filter.cursor);
  return toPage(rows, filter.limit, (row) => row);
}
