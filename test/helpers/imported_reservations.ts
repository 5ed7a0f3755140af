import type { Knex } from '../../src/db.ts';
import type { ReservationStatus } from '../../src/pms/reservations/reservation_schemas.ts';

export interface ImportedReservationSpec {
  propertyId: string;
  /** Null: imported without a free room (an overbooking). */
  roomId: string | null;
  bookedBeds24RoomId: number;
  bookingId: number;
  unit?: number;
  status?: ReservationStatus;
  checkIn?: string;
  checkOut?: string;
  adults?: number;
  children?: number;
  totalPrice?: number | null;
  channel?: string | null;
  apiReference?: string | null;
  notes?: string | null;
}

let bookingCounter = 0;

/** A Beds24 booking id no other test of the run uses. */
export function nextBookingId(): number {
  bookingCounter += 1;
  return 80_000_000 + (process.pid % 1000) * 10_000 + bookingCounter;
}

/**
 * A reservation as the Beds24 import writes it (source beds24, its booking, unit and booked Beds24 room),
 * with its guest, written in SQL: the way to have imported reservations before an importer runs.
 */
export async function insertImportedReservation(db: Knex, spec: ImportedReservationSpec): Promise<string> {
  return db.transaction(async (trx) => {
    const [guest] = await trx('guests')
      .insert({ first_name: 'Chan', last_name: 'Nel', email: 'chan@example.org' })
      .returning('id');
    const [row] = await trx('reservations')
      .insert({
        property_id: spec.propertyId,
        room_id: spec.roomId,
        guest_id: (guest as { id: string }).id,
        check_in: spec.checkIn ?? '2027-06-10',
        check_out: spec.checkOut ?? '2027-06-13',
        adults: spec.adults ?? 2,
        children: spec.children ?? 0,
        status: spec.status ?? 'confirmed',
        source: 'beds24',
        total_price: spec.totalPrice === undefined ? 300 : spec.totalPrice,
        notes: spec.notes ?? null,
        beds24_booking_id: spec.bookingId,
        beds24_unit: spec.unit ?? 1,
        booked_beds24_room_id: spec.bookedBeds24RoomId,
        beds24_channel: spec.channel === undefined ? 'booking' : spec.channel,
        beds24_api_reference: spec.apiReference === undefined ? 'BDC-4711' : spec.apiReference,
      })
      .returning('id');
    return (row as { id: string }).id;
  });
}
