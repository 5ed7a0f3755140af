import type { Db, Knex } from '../../../db.ts';
import type { GuestRow } from '../../../pms/guests/guest_schemas.ts';
import type { ReservationRow } from '../../../pms/reservations/reservation_schemas.ts';
import type { BookingFootprint } from '../mappers/reservation_mapper.ts';
import type { ReservationSyncTable } from './tables.ts';

export type SyncStateFields = Partial<
  Pick<
    ReservationSyncTable,
    | 'state'
    | 'last_pushed_at'
    | 'last_error'
    | 'create_sent_at'
    | 'pushed_beds24_room_id'
    | 'pushed_arrival'
    | 'pushed_departure'
  >
>;

/** Sets these fields of the reservations' sync state (a reservation seen for the first time starts as pending). */
export async function setSyncState(
  db: Db,
  reservationIds: string[],
  fields: SyncStateFields,
  now: Date,
): Promise<void> {
  if (reservationIds.length === 0) return;
  const rows = reservationIds.map((reservation_id) => ({
    reservation_id,
    state: 'pending' as const,
    ...fields,
    updated_at: now,
  }));
  const merged = [...Object.keys(fields), 'updated_at'] as Array<keyof ReservationSyncTable>;
  await db('beds24_reservation_sync').insert(rows).onConflict('reservation_id').merge(merged);
}

/** A reservation as a push needs it: its guest, its room's Beds24 room id and whether a create went out. */
export interface ReservationToPush {
  reservation: ReservationRow;
  guest: GuestRow;
  beds24RoomId: number | null;
  createSentAt: Date | null;
  /** Where its booking takes a unit in Beds24 as last written; null: nowhere, or not known. */
  pushedFootprint: BookingFootprint | null;
}

type PushedColumns = Pick<ReservationSyncTable, 'pushed_beds24_room_id' | 'pushed_arrival' | 'pushed_departure'>;

function pushedFootprintOf(row: PushedColumns): BookingFootprint | null {
  const { pushed_beds24_room_id: beds24RoomId, pushed_arrival: arrival, pushed_departure: departure } = row;
  return beds24RoomId === null || arrival === null || departure === null ? null : { beds24RoomId, arrival, departure };
}

export async function reservationsToPush(db: Db, reservationIds: string[]): Promise<ReservationToPush[]> {
  if (reservationIds.length === 0) return [];
  type Row = ReservationRow & { guest: GuestRow; room_beds24_id: number | null } & PushedColumns &
    Pick<ReservationSyncTable, 'create_sent_at'>;
  const rows: Row[] = await db('reservations as r')
    .join('guests as g', 'g.id', 'r.guest_id')
    // Left join: an unassigned reservation (imported, so never pushed) is loaded and skipped, not lost.
    .leftJoin('rooms as rm', 'rm.id', 'r.room_id')
    .leftJoin('beds24_reservation_sync as s', 's.reservation_id', 'r.id')
    .whereIn('r.id', reservationIds)
    .select(
      'r.*',
      'rm.beds24_room_id as room_beds24_id',
      's.create_sent_at',
      's.pushed_beds24_room_id',
      's.pushed_arrival',
      's.pushed_departure',
      db.raw('row_to_json(g.*) as guest'),
    );
  return rows.map(
    ({
      guest,
      room_beds24_id,
      create_sent_at,
      pushed_beds24_room_id,
      pushed_arrival,
      pushed_departure,
      ...reservation
    }) => ({
      reservation,
      guest,
      beds24RoomId: room_beds24_id,
      createSentAt: create_sent_at,
      pushedFootprint: pushedFootprintOf({ pushed_beds24_room_id, pushed_arrival, pushed_departure }),
    }),
  );
}

/**
 * Adds `beds24_sync` (`{state, last_pushed_at, last_error}`, null until the sync first looked at the
 * reservation) to a query on `reservations`, for the PMS's reservation answers.
 */
export function withSyncState(db: Db, query: Knex.QueryBuilder): Knex.QueryBuilder {
  return query.leftJoin('beds24_reservation_sync as s', 's.reservation_id', 'reservations.id').select(
    db.raw(`case when s.reservation_id is null then null else json_build_object(
        'state', s.state, 'last_pushed_at', s.last_pushed_at, 'last_error', s.last_error) end as beds24_sync`),
  );
}

/**
 * Where the property's bookings that have a booking write waiting still take their units in Beds24 (as
 * last written): each Beds24 room with its nights.
 */
export async function waitingBookingFootprints(db: Db, propertyId: string): Promise<BookingFootprint[]> {
  const rows: PushedColumns[] = await db('beds24_pending_changes as p')
    .joinRaw('join beds24_reservation_sync as s on s.reservation_id::text = p.entity_id')
    .where({ 'p.property_id': propertyId, 'p.kind': 'reservations' })
    .whereNotNull('s.pushed_beds24_room_id')
    .select('s.pushed_beds24_room_id', 's.pushed_arrival', 's.pushed_departure');
  return rows.flatMap((row) => pushedFootprintOf(row) ?? []);
}
