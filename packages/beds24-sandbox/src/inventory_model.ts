import { addDays } from './dates.ts';
import type { Booking, BookingStatus, DayValues, InventoryModel, Room } from './sandbox_model.ts';

/** What the inventory rules read from the sandbox's state; SandboxState provides it. */
export interface InventoryState {
  readonly bookings: ReadonlyMap<number, Booking>;
  /** roomId → date → values. */
  readonly calendar: ReadonlyMap<number, ReadonlyMap<string, DayValues>>;
  inventoryModelOf(accountId: number): InventoryModel;
  changed(): void;
}

/** Statuses that take a unit: `inquiry` never blocks, `cancelled` does not (request blocks by default). */
export const BLOCKING_STATUSES: ReadonlySet<BookingStatus> = new Set(['confirmed', 'new', 'request', 'black']);

/** Where a booking holds units: its room, nights and unit count; null when its status blocks nothing. */
export interface Footprint {
  roomId: number;
  arrival: string;
  departure: string;
  units: number;
}

export function roomQtyOf(booking: Booking): number {
  const qty = booking.fields.roomQty;
  return typeof qty === 'number' && qty > 0 ? qty : 1;
}

export function footprintOf(booking: Booking): Footprint | null {
  if (!BLOCKING_STATUSES.has(booking.status)) return null;
  return { roomId: booking.roomId, arrival: booking.arrival, departure: booking.departure, units: roomQtyOf(booking) };
}

/** Units a footprint holds on one room and night. */
export function unitsOn(footprint: Footprint | null, roomId: number, date: string): number {
  if (footprint === null || footprint.roomId !== roomId) return 0;
  return footprint.arrival <= date && date < footprint.departure ? footprint.units : 0;
}

/** Blocking bookings of the room staying on `date`, by id. */
export function bookingsOnNight(state: InventoryState, roomId: number, date: string): Booking[] {
  return [...state.bookings.values()]
    .filter((b) => unitsOn(footprintOf(b), roomId, date) > 0)
    .sort((a, b) => a.id - b.id);
}

export function blockingUnits(state: InventoryState, roomId: number, date: string, excludeBookingId?: number): number {
  let used = 0;
  for (const booking of state.bookings.values()) {
    if (booking.id !== excludeBookingId) used += unitsOn(footprintOf(booking), roomId, date);
  }
  return used;
}

/** numAvail as written (and, under `decrement`, moved by bookings since); undefined for a night never written. */
export function writtenNumAvail(state: InventoryState, roomId: number, date: string): number | undefined {
  const value = state.calendar.get(roomId)?.get(date)?.numAvail;
  return typeof value === 'number' ? value : undefined;
}

/** What Beds24 reports for a night under the account's model; a night never written reads qty − blocking units. */
export function effectiveNumAvail(state: InventoryState, room: Room, date: string): number {
  const written = writtenNumAvail(state, room.id, date);
  const trulyFree = room.qty - blockingUnits(state, room.id, date);
  if (written === undefined) return trulyFree;
  return state.inventoryModelOf(room.accountId) === 'cap' ? Math.min(written, trulyFree) : written;
}

/** A stored numAvail as GET /inventory/rooms/calendar shows it: only `cap` differs from the stored number. */
export function shownNumAvail(state: InventoryState, room: Room, date: string, stored: number): number {
  if (state.inventoryModelOf(room.accountId) !== 'cap') return stored;
  return Math.min(stored, room.qty - blockingUnits(state, room.id, date));
}

/**
 * Units a channel could still sell on a night to `booking` (undefined for a new one): the effective
 * numAvail as if the booking were not there, and nothing on a blackout night.
 */
export function sellableUnits(state: InventoryState, room: Room, date: string, booking: Booking | undefined): number {
  if (state.calendar.get(room.id)?.get(date)?.override === 'blackout') return 0;
  const own = booking === undefined ? 0 : unitsOn(footprintOf(booking), room.id, date);
  const written = writtenNumAvail(state, room.id, date);
  const freeWithoutIt = room.qty - blockingUnits(state, room.id, date, booking?.id);
  if (written === undefined) return freeWithoutIt;
  const model: InventoryModel = state.inventoryModelOf(room.accountId);
  if (model === 'cap') return Math.min(written, freeWithoutIt);
  // Under `decrement` the written value already paid for this booking's units; `stored` never moved.
  return model === 'decrement' ? written + own : written;
}

/**
 * `decrement`: every night that gains blocking units loses as many from its written numAvail, and every
 * night that loses units gets them back. Nights never written are left alone (they read qty − blocking).
 */
export function applyDecrement(
  state: InventoryState,
  accountId: number,
  before: Footprint | null,
  after: Footprint | null,
): void {
  if (state.inventoryModelOf(accountId) !== 'decrement') return;
  const nights = new Set<string>();
  for (const fp of [before, after]) {
    if (fp === null) continue;
    for (let date = fp.arrival; date < fp.departure; date = addDays(date, 1)) nights.add(`${fp.roomId}|${date}`);
  }
  let changed = false;
  for (const key of nights) {
    const [roomText, date = ''] = key.split('|');
    const roomId = Number(roomText);
    const delta = unitsOn(after, roomId, date) - unitsOn(before, roomId, date);
    const day = state.calendar.get(roomId)?.get(date);
    if (delta === 0 || day === undefined || typeof day.numAvail !== 'number') continue;
    // Beds24: "numAvail may be negative ... if a room is overbooked", so no floor at 0.
    day.numAvail -= delta;
    changed = true;
  }
  if (changed) state.changed();
}

export interface NightAvailability {
  date: string;
  qty: number;
  /** Units held by blocking bookings that night (roomQty counted). */
  blockingUnits: number;
  /** qty − blockingUnits: what a channel could really still sell. */
  trulyFree: number;
  /** The stored numAvail (after decrements under `decrement`); null for a night never written. */
  written: number | null;
  /** What GET /inventory/rooms/calendar reports (or would, for a night never written). */
  effective: number;
  override: string | null;
}

/**
 * A night offers more than is free. A night already overbooked (trulyFree below 0) is at its safest when
 * closed: 0 sells nothing, so only a positive numAvail is an excess there.
 */
export function isOverPublished(night: Pick<NightAvailability, 'effective' | 'trulyFree'>): boolean {
  return night.effective > Math.max(0, night.trulyFree);
}

export function nightAvailability(state: InventoryState, room: Room, date: string): NightAvailability {
  const blocking = blockingUnits(state, room.id, date);
  const override = state.calendar.get(room.id)?.get(date)?.override;
  return {
    date,
    qty: room.qty,
    blockingUnits: blocking,
    trulyFree: room.qty - blocking,
    written: writtenNumAvail(state, room.id, date) ?? null,
    effective: effectiveNumAvail(state, room, date),
    override: typeof override === 'string' ? override : null,
  };
}
