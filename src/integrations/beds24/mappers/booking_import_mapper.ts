import { createHash } from 'node:crypto';
import type { GuestRow } from '../../../pms/guests/guest_schemas.ts';
import { isOccupying } from '../../../pms/common_schemas.ts';
import { MAX_STAY_NIGHTS } from '../../../pms/reservations/reservation_rules.ts';
import type { ReservationRow, ReservationStatus } from '../../../pms/reservations/reservation_schemas.ts';
import { daysBetween } from '../../../utils/dates.ts';
import type { Beds24Booking } from '../client/beds24_schemas.ts';
import { fromBeds24Guest, importedText, type GuestPlaceholders, type PmsGuestFields } from './guest_mapper.ts';
import { reservationIdFromMarker } from './reservation_mapper.ts';

/*
 * What a Beds24 booking becomes in the PMS (pure: the import service reads, calls this, and writes).
 *
 * - One reservation per booked unit: roomQty N gives units 1..N (`beds24_unit`). Guests are split over
 *   the units (numAdult 5 over 2 units: 3 and 2; at least 1 adult each); the whole price is on unit 1 and
 *   the other units have none, so the PMS's total is exactly the booking's. A roomQty that shrinks cancels
 *   the units above it.
 * - Status: new and confirmed → confirmed, request → pending, cancelled → cancelled. An inquiry is not
 *   imported; one the PMS already holds is cancelled (it no longer holds a room). black (a room closed in
 *   Beds24 without a guest) is imported as a confirmed reservation for "Blocked Beds24" with a note: it
 *   takes a unit in Beds24, so the PMS must not sell it either.
 * - Front-desk work is not undone: a unit that is checked_in, checked_out or no_show keeps that status
 *   while Beds24 says new, confirmed or request; only a Beds24 cancellation overrides it.
 * - Notes belong to staff: a new reservation starts with the booking's comments and Beds24 notes (and the
 *   black note); later imports never touch them. Channel and channel reference have their own columns.
 * - The guest is created with the first unit and updated from every later version (Beds24 holds the truth
 *   for a channel guest); all units share it.
 */

export const MAX_IMPORT_UNITS = 100;
const NOTES_MAX = 2000;
const CHANNEL_MAX = 100;
const BLACK_PLACEHOLDERS: GuestPlaceholders = { firstName: 'Blocked', lastName: 'Beds24' };
const BLACK_NOTE = 'Closed in Beds24 without a guest (status black): the unit is not for sale.';

const FRONT_DESK: ReadonlySet<ReservationStatus> = new Set(['checked_in', 'checked_out', 'no_show']);

/** A reservation the PMS holds for the booking (one per imported unit). */
export type HeldUnit = Pick<
  ReservationRow,
  | 'id'
  | 'guest_id'
  | 'room_id'
  | 'status'
  | 'check_in'
  | 'check_out'
  | 'adults'
  | 'children'
  | 'total_price'
  | 'booked_beds24_room_id'
  | 'beds24_channel'
  | 'beds24_api_reference'
> & { beds24_unit: number };

/** What the PMS already holds for a booking: its units and the guest they share. */
export interface HeldBooking {
  guest: GuestRow;
  units: HeldUnit[];
}

/** The fields an import owns on a reservation (notes only when it is created). */
export interface ImportedStayFields {
  status: ReservationStatus;
  check_in: string;
  check_out: string;
  adults: number;
  children: number;
  total_price: number | null;
  booked_beds24_room_id: number;
  beds24_channel: string | null;
  beds24_api_reference: string | null;
}

export interface NewImportedReservation extends ImportedStayFields {
  source: 'beds24';
  beds24_booking_id: number;
  beds24_unit: number;
  notes: string | null;
}

/**
 * What the caller does about the room:
 * - `assign`: the unit occupies and has no room: assignRoom (null keeps it unassigned: an overbooking);
 *   an unassigned unit asks for a room at every import, so a room freed meanwhile is taken;
 * - `recheck`: the unit occupies a room but its nights or Beds24 room changed, or it occupies again:
 *   assignRoom with `preferRoomId` = the room it has (null leaves it unassigned);
 * - `keep`: the room (or its absence) stays as it is;
 * - `none`: a new unit that occupies nothing (cancelled): no room.
 */
export type RoomAction = 'assign' | 'recheck' | 'keep' | 'none';

export type UnitPlan =
  | { op: 'create'; unit: number; fields: NewImportedReservation; room: 'assign' | 'none' }
  | { op: 'update'; unit: number; reservationId: string; changes: Partial<ImportedStayFields>; room: RoomAction }
  | { op: 'keep'; unit: number; reservationId: string };

export type GuestPlan =
  | { op: 'create'; fields: PmsGuestFields }
  | { op: 'update'; guestId: string; changes: Partial<PmsGuestFields> }
  | { op: 'keep'; guestId: string };

/**
 * - `ignore`: nothing to do (`ours`: a booking the PMS pushed; `inquiry`: not a stay; `invalid`: a booking
 *   the PMS cannot hold, with the reason, for the log);
 * - `cancel`: an imported booking became an inquiry: its units are cancelled, nothing else changes;
 * - `upsert`: the guest and every unit, created or updated in place.
 */
export type ImportPlan =
  | { action: 'ignore'; reason: 'ours' | 'inquiry' }
  | { action: 'ignore'; reason: 'invalid'; problem: string }
  | { action: 'cancel'; beds24BookingId: number; units: UnitPlan[] }
  | { action: 'upsert'; beds24BookingId: number; beds24RoomId: number; guest: GuestPlan; units: UnitPlan[] };

/** Beds24 status → PMS status for an import; undefined for an inquiry (not a stay) or an unknown value. */
export function importedStatus(status: string | undefined): ReservationStatus | undefined {
  switch (status) {
    case 'new':
    case 'confirmed':
    case 'black':
      return 'confirmed';
    case 'request':
      return 'pending';
    case 'cancelled':
      return 'cancelled';
    default:
      return undefined;
  }
}

/** The status a held unit gets: front-desk statuses survive anything but a cancellation. */
export function nextStatus(held: ReservationStatus | undefined, fromBeds24: ReservationStatus): ReservationStatus {
  if (held !== undefined && FRONT_DESK.has(held) && fromBeds24 !== 'cancelled') return held;
  return fromBeds24;
}

/** `total` split over `units`, the first ones taking the remainder, each at least `min`, at most 99. */
export function splitCount(total: number, units: number, unit: number, min: number): number {
  const base = Math.floor(total / units);
  const share = base + (unit <= total % units ? 1 : 0);
  return Math.min(99, Math.max(min, share));
}

/** A price as the PMS stores it: 2 decimals, 0 to 99,999,999.99; anything else is no price. */
export function importedPrice(price: number | null | undefined): number | null {
  if (price === null || price === undefined || !Number.isFinite(price) || price < 0) return null;
  const rounded = Math.round(price * 100) / 100;
  return rounded > 99_999_999.99 ? null : rounded;
}

function creationNotes(booking: Beds24Booking, black: boolean): string | null {
  const lines = [
    black ? BLACK_NOTE : null,
    prefixed('Guest comments', importedText(booking.comments, NOTES_MAX)),
    prefixed('Beds24 notes', importedText(booking.notes, NOTES_MAX)),
  ].filter((line) => line !== null);
  return importedText(lines.join('\n'), NOTES_MAX);
}

function prefixed(label: string, text: string | null): string | null {
  return text === null ? null : `${label}: ${text}`;
}

function invalid(problem: string): ImportPlan {
  return { action: 'ignore', reason: 'invalid', problem };
}

interface ValidBooking {
  roomId: number;
  arrival: string;
  departure: string;
  units: number;
}

function validate(booking: Beds24Booking): ValidBooking | string {
  const { roomId, arrival, departure } = booking;
  if (roomId === undefined || roomId < 1) return 'roomId is missing';
  if (arrival === undefined) return 'arrival is missing or not a date';
  if (departure === undefined) return 'departure is missing or not a date';
  const nights = daysBetween(arrival, departure);
  if (nights < 1) return `departure ${departure} is not after arrival ${arrival}`;
  if (nights > MAX_STAY_NIGHTS) return `the stay is ${nights} nights, over the PMS's ${MAX_STAY_NIGHTS}`;
  const units = booking.roomQty === undefined || booking.roomQty < 1 ? 1 : booking.roomQty;
  if (units > MAX_IMPORT_UNITS) return `roomQty ${units} is over ${MAX_IMPORT_UNITS}`;
  return { roomId, arrival, departure, units };
}

function stayFields(
  booking: Beds24Booking,
  valid: ValidBooking,
  unit: number,
  status: ReservationStatus,
): ImportedStayFields {
  return {
    status,
    check_in: valid.arrival,
    check_out: valid.departure,
    adults: splitCount(booking.numAdult ?? 1, valid.units, unit, 1),
    children: splitCount(Math.max(0, booking.numChild ?? 0), valid.units, unit, 0),
    total_price: unit === 1 ? importedPrice(booking.price) : null,
    booked_beds24_room_id: valid.roomId,
    beds24_channel: importedText(booking.channel, CHANNEL_MAX),
    beds24_api_reference: importedText(booking.apiReference, CHANNEL_MAX),
  };
}

/** The fields of `wanted` whose value differs from what is held. */
function differences<T extends object>(held: { [K in keyof T]?: unknown }, wanted: T): Partial<T> {
  const changes: Partial<T> = {};
  for (const key of Object.keys(wanted) as Array<keyof T>) {
    if (held[key] !== wanted[key]) changes[key] = wanted[key];
  }
  return changes;
}

function planGuest(booking: Beds24Booking, held: HeldBooking | null, black: boolean): GuestPlan {
  const fields = fromBeds24Guest(booking, black ? BLACK_PLACEHOLDERS : undefined);
  if (held === null) return { op: 'create', fields };
  const changes = differences<PmsGuestFields>(held.guest, fields);
  return Object.keys(changes).length === 0
    ? { op: 'keep', guestId: held.guest.id }
    : { op: 'update', guestId: held.guest.id, changes };
}

function roomAction(held: HeldUnit, wanted: ImportedStayFields): RoomAction {
  if (!isOccupying(wanted.status)) return 'keep';
  if (held.room_id === null) return 'assign';
  const moved =
    held.check_in !== wanted.check_in ||
    held.check_out !== wanted.check_out ||
    held.booked_beds24_room_id !== wanted.booked_beds24_room_id;
  return moved || !isOccupying(held.status) ? 'recheck' : 'keep';
}

function planHeldUnit(held: HeldUnit, wanted: ImportedStayFields): UnitPlan {
  const changes = differences<ImportedStayFields>(held, wanted);
  const room = roomAction(held, wanted);
  if (Object.keys(changes).length === 0 && room === 'keep') {
    return { op: 'keep', unit: held.beds24_unit, reservationId: held.id };
  }
  return { op: 'update', unit: held.beds24_unit, reservationId: held.id, changes, room };
}

/** A held unit the booking no longer has (roomQty shrank, or it became an inquiry): cancelled, nothing else. */
function planDroppedUnit(held: HeldUnit): UnitPlan {
  if (held.status === 'cancelled') return { op: 'keep', unit: held.beds24_unit, reservationId: held.id };
  return {
    op: 'update',
    unit: held.beds24_unit,
    reservationId: held.id,
    changes: { status: 'cancelled' },
    room: 'keep',
  };
}

/**
 * The plan for one Beds24 booking, given what the PMS holds for it (null: nothing yet). Bookings carrying
 * our marker are ours (`ignore`, reason `ours`); the caller also checks our own `beds24_booking_id`s.
 */
export function planBookingImport(booking: Beds24Booking, held: HeldBooking | null): ImportPlan {
  if (reservationIdFromMarker(booking) !== undefined) return { action: 'ignore', reason: 'ours' };
  const holding = held !== null && held.units.length > 0 ? held : null;
  const heldUnits = [...(holding?.units ?? [])].sort((a, b) => a.beds24_unit - b.beds24_unit);
  if (booking.status === 'inquiry') {
    if (holding === null) return { action: 'ignore', reason: 'inquiry' };
    return { action: 'cancel', beds24BookingId: booking.id, units: heldUnits.map(planDroppedUnit) };
  }
  const fromBeds24 = importedStatus(booking.status);
  if (fromBeds24 === undefined) {
    return invalid(`status ${JSON.stringify(booking.status ?? null)} is not a Beds24 booking status`);
  }
  const valid = validate(booking);
  if (typeof valid === 'string') return invalid(valid);
  const black = booking.status === 'black';
  const heldByUnit = new Map(heldUnits.map((unit) => [unit.beds24_unit, unit]));
  const units: UnitPlan[] = [];
  for (let unit = 1; unit <= valid.units; unit += 1) {
    const current = heldByUnit.get(unit);
    const wanted = stayFields(booking, valid, unit, nextStatus(current?.status, fromBeds24));
    if (current !== undefined) {
      units.push(planHeldUnit(current, wanted));
      continue;
    }
    const fields: NewImportedReservation = {
      ...wanted,
      source: 'beds24',
      beds24_booking_id: booking.id,
      beds24_unit: unit,
      notes: creationNotes(booking, black),
    };
    units.push({ op: 'create', unit, fields, room: isOccupying(wanted.status) ? 'assign' : 'none' });
  }
  for (const dropped of heldUnits.filter((unit) => unit.beds24_unit > valid.units))
    units.push(planDroppedUnit(dropped));
  return {
    action: 'upsert',
    beds24BookingId: booking.id,
    beds24RoomId: valid.roomId,
    guest: planGuest(booking, holding, black),
    units,
  };
}

/** True when applying the plan changes nothing in the PMS. */
export function isNoOp(plan: ImportPlan): boolean {
  if (plan.action === 'ignore') return true;
  const unitsKept = plan.units.every((unit) => unit.op === 'keep');
  return plan.action === 'cancel' ? unitsKept : unitsKept && plan.guest.op === 'keep';
}

const VERSION_FIELDS = [
  'status',
  'roomId',
  'roomQty',
  'arrival',
  'departure',
  'numAdult',
  'numChild',
  'price',
  'firstName',
  'lastName',
  'email',
  'phone',
  'mobile',
  'address',
  'city',
  'postcode',
  'country2',
  'lang',
  'notes',
  'comments',
  'channel',
  'apiReference',
  'masterId',
  'custom10',
] as const satisfies ReadonlyArray<keyof Beds24Booking>;

/** A digest of everything an import reads from a booking: equal digests import the same. */
export function bookingFingerprint(booking: Beds24Booking): string {
  const values = VERSION_FIELDS.map((field) => booking[field] ?? null);
  return createHash('sha256').update(JSON.stringify(values)).digest('hex');
}

/** Beds24's `modifiedTime` in whole seconds since the epoch; a time without a zone is UTC. */
export function modifiedSeconds(value: string | null | undefined): number | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value?.trim() ?? '');
  if (match === null) return undefined;
  const zone =
    match[3] === undefined ? 'Z' : match[3].length === 5 ? `${match[3].slice(0, 3)}:${match[3].slice(3)}` : match[3];
  const ms = Date.parse(`${match[1]}T${match[2]}${zone}`);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/** What the PMS remembers of the last version it imported. */
export interface HeldVersion {
  modifiedTime: string | null;
  fingerprint: string;
}

export type VersionOrder = 'newer' | 'same' | 'older';

/**
 * Whether a booking version should be applied over what the PMS holds. `modifiedTime` has one-second
 * resolution, so two changes within a second carry the same time: then the content decides (a different
 * fingerprint is applied). That is only safe for content read from Beds24's current state (a pull or a
 * read by id), which is what the import applies; an older time is never applied.
 */
export function compareBookingVersion(booking: Beds24Booking, held: HeldVersion | null): VersionOrder {
  if (held === null) return 'newer';
  const incoming = modifiedSeconds(booking.modifiedTime);
  const known = modifiedSeconds(held.modifiedTime);
  if (incoming !== undefined && known !== undefined && incoming !== known) return incoming > known ? 'newer' : 'older';
  return bookingFingerprint(booking) === held.fingerprint ? 'same' : 'newer';
}
