import type { GuestRow } from '../../../pms/guests/guest_schemas.ts';
import type {
  ReservationRow,
  ReservationSource,
  ReservationStatus,
} from '../../../pms/reservations/reservation_schemas.ts';
import { addDays, type CalendarDate } from '../../../utils/dates.ts';
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
    | 'id'
    | 'check_in'
    | 'check_out'
    | 'adults'
    | 'children'
    | 'status'
    | 'source'
    | 'total_price'
    | 'notes'
    | 'beds24_booking_id'
  >;
  guest: GuestRow;
  /** The Beds24 room of the reservation's PMS room; null when that room is not mapped. */
  beds24RoomId: number | null;
}

/**
 * Every field we own, sent in full on create, update and cancel: Beds24 updates are partial, so a field
 * left out keeps its old value. A value cleared in the PMS goes out as the empty value Beds24 holds (price
 * 0, "" for text, country2 null); email and lang have none (see toBeds24Guest). Without a Beds24 room
 * (the reservation's room is not mapped) no roomId is sent: the booking stays in the room it is in.
 */
export function toBeds24Booking({ reservation, guest, beds24RoomId }: ReservationSnapshot): BookingWrite {
  const booking: BookingWrite = {
    status: toBeds24Status(reservation.status),
    arrival: reservation.check_in,
    departure: reservation.check_out,
    numAdult: reservation.adults,
    numChild: reservation.children,
    ...toBeds24Guest(guest),
    notes: (reservation.notes ?? '').slice(0, 2000),
    price: reservation.total_price ?? 0,
    refererEditable: toBeds24Referer(reservation.source),
    [MARKER_FIELD]: markerFor(reservation.id),
  };
  if (beds24RoomId !== null) booking.roomId = beds24RoomId;
  return booking;
}

export type BookingPlan =
  | { action: 'skip'; reason: 'from_beds24' | 'not_in_beds24' }
  | { action: 'create'; booking: BookingWrite }
  | { action: 'update'; booking: BookingWrite & { id: number } }
  | { action: 'cancel'; booking: BookingWrite & { id: number; status: 'cancelled' } };

/**
 * What the reservation's current state asks of Beds24. Bookings from Beds24 are never sent back; a
 * reservation that is cancelled, or whose room is not mapped, is cancelled there if it exists there and
 * otherwise left alone; anything else is created, or updated in place (a room change moves the booking).
 * A cancel carries the same full booking as an update, so edits made just before it reach Beds24 with it.
 */
export function planBookingPush(snapshot: ReservationSnapshot): BookingPlan {
  const { reservation, beds24RoomId } = snapshot;
  const bookingId = reservation.beds24_booking_id;
  if (reservation.source === 'beds24') return { action: 'skip', reason: 'from_beds24' };
  const gone = toBeds24Status(reservation.status) === 'cancelled' || beds24RoomId === null;
  if (gone) {
    if (bookingId === null) return { action: 'skip', reason: 'not_in_beds24' };
    return { action: 'cancel', booking: { ...toBeds24Booking(snapshot), id: bookingId, status: 'cancelled' } };
  }
  const booking = { ...toBeds24Booking(snapshot), roomId: beds24RoomId };
  return bookingId === null
    ? { action: 'create', booking }
    : { action: 'update', booking: { ...booking, id: bookingId } };
}

/**
 * The fields a drift check compares: every field we send that describes the stay or the guest; not the
 * referer (a label of origin) nor the marker (bookings are found by it).
 */
export const COMPARED_BOOKING_FIELDS = [
  'roomId',
  'status',
  'arrival',
  'departure',
  'numAdult',
  'numChild',
  'firstName',
  'lastName',
  'email',
  'phone',
  'address',
  'city',
  'postcode',
  'country2',
  'lang',
  'notes',
  'price',
] as const satisfies ReadonlyArray<keyof BookingWrite>;

/** Codes Beds24 may answer in another case than we sent them. */
const CASELESS_FIELDS: ReadonlySet<string> = new Set(['country2', 'lang']);

function comparable(field: string, value: unknown): unknown {
  // A cleared value is the same whether Beds24 holds "", null, 0 or nothing.
  if (field === 'price') {
    return value === null || value === undefined || value === '' ? 0 : Math.round(Number(value) * 100);
  }
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' && CASELESS_FIELDS.has(field)) return value.toUpperCase();
  return value;
}

/**
 * The fields where the booking Beds24 holds differs from the one we would send. Only fields we send are
 * compared: an email or language we cannot clear, or the room of a cancel we leave where it is, is not
 * drift but the documented limit.
 */
export function differingBookingFields(expected: BookingWrite, actual: Beds24Booking): string[] {
  const sent = expected as Record<string, unknown>;
  const held = actual as Record<string, unknown>;
  return COMPARED_BOOKING_FIELDS.filter(
    (field) => Object.hasOwn(sent, field) && comparable(field, sent[field]) !== comparable(field, held[field]),
  );
}

/** Where a booking takes a unit in Beds24: its room and nights; null when its status takes none. */
export interface BookingFootprint {
  beds24RoomId: number;
  arrival: CalendarDate;
  departure: CalendarDate;
}

/** The footprint a booking write leaves in Beds24: a cancel takes nothing, a create or update its stay. */
export function footprintOfPlan(plan: Exclude<BookingPlan, { action: 'skip' }>): BookingFootprint | null {
  const { roomId, arrival, departure } = plan.booking;
  if (plan.action === 'cancel' || roomId === undefined || arrival === undefined || departure === undefined) return null;
  return { beds24RoomId: roomId, arrival, departure };
}

/**
 * What one `POST /bookings` may carry. Beds24 takes about 1 MB and 10,000 items a request; a body stays at
 * half the bytes and a tenth of the items, whatever guests' names and notes hold.
 */
export const BOOKING_BODY_LIMITS = { maxItems: 1_000, maxBytes: 512 * 1024 };

/**
 * Booking writes split into request bodies within the limits, in order. An item over the byte limit on its
 * own still goes, alone: Beds24 then answers for it, and only it.
 */
export function toBookingBatches<T>(
  items: readonly T[],
  bodyOf: (item: T) => unknown,
  limits: { maxItems: number; maxBytes: number } = BOOKING_BODY_LIMITS,
): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let bytes = 2;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(bodyOf(item))) + 1;
    if (batch.length > 0 && (batch.length >= limits.maxItems || bytes + size > limits.maxBytes)) {
      batches.push(batch);
      batch = [];
      bytes = 2;
    }
    batch.push(item);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** The (Beds24 room, night) cells these footprints take, each once. */
export function footprintCells(
  footprints: Array<BookingFootprint | null>,
): Array<{ beds24RoomId: number; date: CalendarDate }> {
  const cells = new Map<string, { beds24RoomId: number; date: CalendarDate }>();
  for (const fp of footprints) {
    if (fp === null) continue;
    for (let date = fp.arrival; date < fp.departure; date = addDays(date, 1))
      cells.set(`${fp.beds24RoomId}|${date}`, { beds24RoomId: fp.beds24RoomId, date });
  }
  return [...cells.values()];
}

/**
 * The (Beds24 room, night) cells a booking write changed the units of: the nights it left and the nights
 * it took, none when it stays where it was.
 */
export function movedCells(
  before: BookingFootprint | null,
  after: BookingFootprint | null,
): Array<{ beds24RoomId: number; date: CalendarDate }> {
  const key = (fp: BookingFootprint | null): string =>
    fp === null ? '' : `${fp.beds24RoomId}|${fp.arrival}|${fp.departure}`;
  return key(before) === key(after) ? [] : footprintCells([before, after]);
}
