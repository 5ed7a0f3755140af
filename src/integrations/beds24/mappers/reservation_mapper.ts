import type { GuestRow } from '../../../pms/guests/guest_schemas.ts';
import type { ReservationRow, ReservationSource, ReservationStatus } from '../../../pms/reservations/reservation_schemas.ts';
import type { Beds24Booking, BookingWrite } from '../client/beds24_schemas.ts';
import { toBeds24Guest } from './guest_mapper.ts';

export type Beds24Status = NonNullable<BookingWrite['status']>;

const STATUS_TO_BEDS24: Record<ReservationStatus, Beds24Status> = {
  pending: 'request',
  confirmed: 'confirmed',
  checked_in: 'confirmed',
  checked_out: 'confirmed',
  cancelled: 'cancelled',
  no_show: 'cancelled',
};

export function toBeds24Status(status: ReservationStatus): Beds24Status {
  return STATUS_TO_BEDS24[status];
}

/** Beds24 statuses as PMS statuses; `black` and `inquiry` do not describe a guest's stay and map to nothing. */
export function fromBeds24Status(status: string | undefined): ReservationStatus | undefined {
  switch (status) {
    case 'confirmed':
    case 'new':
      return 'confirmed';
    case 'request':
      return 'pending';
    case 'cancelled':
      return 'cancelled';
    default:
      return undefined;
  }
}

const SOURCE_TO_REFERER: Record<Exclude<ReservationSource, 'beds24'>, string> = {
  direct: 'PMS direct',
  phone: 'PMS phone',
  email: 'PMS email',
  walk_in: 'PMS walk-in',
  website: 'PMS website',
};

export function toBeds24Referer(source: ReservationSource): string {
  return source === 'beds24' ? 'Beds24' : SOURCE_TO_REFERER[source];
}

/** Anything that Beds24 holds came from Beds24 unless it is one of our own referers. */
export function fromBeds24Referer(referer: string | undefined): ReservationSource {
  const match = Object.entries(SOURCE_TO_REFERER).find(([, text]) => text === referer);
  return (match?.[0] as ReservationSource | undefined) ?? 'beds24';
}

/** The PMS reservation id written into every booking we create, so a lost answer can be recovered. */
export const MARKER_FIELD = 'custom10';
export const MARKER_PREFIX = 'PMS:';

export function markerFor(reservationId: string): string {
  return `${MARKER_PREFIX}${reservationId}`;
}

export function reservationIdFromMarker(booking: Beds24Booking): string | undefined {
  const value = booking[MARKER_FIELD];
  return typeof value === 'string' && value.startsWith(MARKER_PREFIX) ? value.slice(MARKER_PREFIX.length) : undefined;
}

export interface ReservationSnapshot {
  reservation: Pick<
    ReservationRow,
    'id' | 'check_in' | 'check_out' | 'adults' | 'children' | 'status' | 'source' | 'total_price' | 'notes' | 'beds24_booking_id'
  >;
  guest: GuestRow;
  /** The Beds24 room of the reservation's PMS room; null when that room is not mapped. */
  beds24RoomId: number | null;
}

/** Every field we own, sent in full on create and on every update: Beds24 updates are partial. */
export function toBeds24Booking({ reservation, guest, beds24RoomId }: ReservationSnapshot & { beds24RoomId: number }): BookingWrite {
  const booking: BookingWrite = {
    roomId: beds24RoomId,
    status: toBeds24Status(reservation.status),
    arrival: reservation.check_in,
    departure: reservation.check_out,
    numAdult: reservation.adults,
    numChild: reservation.children,
    ...toBeds24Guest(guest),
    notes: (reservation.notes ?? '').slice(0, 2000),
    refererEditable: toBeds24Referer(reservation.source),
    [MARKER_FIELD]: markerFor(reservation.id),
  };
  if (reservation.total_price !== null) booking.price = reservation.total_price;
  return booking;
}

export type BookingPlan =
  | { action: 'skip'; reason: 'from_beds24' | 'not_in_beds24' }
  | { action: 'create'; booking: BookingWrite }
  | { action: 'update'; booking: BookingWrite & { id: number } }
  | { action: 'cancel'; booking: { id: number; status: 'cancelled' } };

/**
 * What the reservation's current state asks of Beds24. Bookings from Beds24 are never sent back; a
 * reservation that is cancelled, or whose room is not mapped, is cancelled there if it exists there and
 * otherwise left alone; anything else is created, or updated in place (a room change moves the booking).
 */
export function planBookingPush(snapshot: ReservationSnapshot): BookingPlan {
  const { reservation, beds24RoomId } = snapshot;
  const bookingId = reservation.beds24_booking_id;
  if (reservation.source === 'beds24') return { action: 'skip', reason: 'from_beds24' };
  const gone = toBeds24Status(reservation.status) === 'cancelled' || beds24RoomId === null;
  if (gone) {
    return bookingId === null ? { action: 'skip', reason: 'not_in_beds24' } : { action: 'cancel', booking: { id: bookingId, status: 'cancelled' } };
  }
  const booking = toBeds24Booking({ ...snapshot, beds24RoomId });
  return bookingId === null ? { action: 'create', booking } : { action: 'update', booking: { ...booking, id: bookingId } };
}
