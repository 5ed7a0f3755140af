import { isOccupying } from '../../../pms/common_schemas.ts';
import { addDays, daysBetween, type CalendarDate } from '../../../utils/dates.ts';
import type { CalendarWrite } from '../client/beds24_schemas.ts';
import {
  foldRestrictions,
  indexRestrictions,
  isUnrestricted,
  restrictionsOf,
  sameRestrictions,
  type Override,
  type RestrictionIndex,
  type RestrictionInput,
} from './restriction_mapper.ts';

export interface RoomInput {
  id: string;
  beds24_room_id: number | null;
  status: string;
  housekeeping_status: string;
  base_price: number;
  /** The room's PMS room type: needed only to apply `restrictions`. */
  room_type?: string;
}

export interface StayInput {
  room_id: string;
  check_in: CalendarDate;
  check_out: CalendarDate;
  status: string;
}

/**
 * An imported reservation that got no room (an overbooking): it still takes a unit of the Beds24 room it
 * was booked in.
 */
export interface UnassignedStayInput {
  booked_beds24_room_id: number;
  check_in: CalendarDate;
  check_out: CalendarDate;
  status: string;
}

export interface BlockInput {
  room_id: string;
  start_date: CalendarDate;
  end_date: CalendarDate;
}

export interface RateInput {
  room_id: string;
  date: CalendarDate;
  price: number;
}

export interface AvailabilityInput {
  /** First and last night asked for (inclusive); clipped to today .. today + horizonDays - 1. */
  from: CalendarDate;
  to: CalendarDate;
  /** Today in the property's time zone. */
  today: CalendarDate;
  horizonDays: number;
  rooms: RoomInput[];
  stays: StayInput[];
  /** Imported reservations without a room, by the Beds24 room they were booked in. */
  unassigned?: UnassignedStayInput[];
  blocks: BlockInput[];
  rates: RateInput[];
  /** Stay restrictions per PMS room type and night; rooms need their `room_type` for them to apply. */
  restrictions?: RestrictionInput[];
  /** Beds24 rooms the property published that no PMS room maps to any more: they are closed. */
  formerBeds24RoomIds?: number[];
}

export interface Cell {
  numAvail: number;
  /**
   * Lowest positive nightly price among the active rooms; null when there is none (no active room, or only
   * complimentary prices of 0): then no price is sent and Beds24 keeps the one it has.
   */
  price1: number | null;
  /**
   * Restrictions: absent (or null) means none, that is no calendar stay limits (Beds24 applies the room's own)
   * and override `none`. A desired cell carries all three when any is set. In what Beds24 accepted, a null
   * override is one never sent, which Beds24 holds as `none`.
   */
  minStay?: number | null;
  maxStay?: number | null;
  override?: Override | null;
}

export interface DesiredCalendar {
  /** First night of `cells[i][0]`; empty range when nothing of the request lies inside the horizon. */
  from: CalendarDate;
  nights: number;
  /** Beds24 room id → one cell per night from `from`. */
  cells: Map<number, Cell[]>;
}

/**
 * The contract's rule, night by night: for Beds24 room R, the units are the active PMS rooms mapped to R
 * that no occupying stay and no maintenance block covers (nights are [start, end)), and that are not out
 * of order tonight; the price is the lowest nightly price among R's active rooms. A price of 0 is a
 * complimentary stay, not what R sells at: it is left out of the minimum, and a night where every active
 * room of R is at 0 gets no price. One pass over the property's data: each stay and block marks its nights
 * in its room's bitmap, then rooms fold into R. Then each occupying unassigned reservation takes one unit of
 * its booked R on each of its nights: the guest holds a unit there even though staff have not found the room
 * yet; the count never goes below 0 (an overbooking has nothing more to take).
 */
export function computeDesiredCalendar(input: AvailabilityInput): DesiredCalendar {
  const lastNight = addDays(input.today, input.horizonDays - 1);
  const from = input.from > input.today ? input.from : input.today;
  const to = input.to < lastNight ? input.to : lastNight;
  const nights = Math.max(0, daysBetween(from, to) + 1);
  const cells = new Map<number, Cell[]>();
  if (nights === 0) return { from, nights, cells };

  const mapped = input.rooms.filter((room) => room.beds24_room_id !== null);
  const busy = new Map<string, Uint8Array>(mapped.map((room) => [room.id, new Uint8Array(nights)]));
  const mark = (roomId: string, start: CalendarDate, end: CalendarDate): void => {
    const bitmap = busy.get(roomId);
    if (!bitmap) return;
    const first = Math.max(0, daysBetween(from, start));
    const stop = Math.min(nights, daysBetween(from, end));
    for (let i = first; i < stop; i += 1) bitmap[i] = 1;
  };
  for (const stay of input.stays) if (isOccupying(stay.status)) mark(stay.room_id, stay.check_in, stay.check_out);
  for (const block of input.blocks) mark(block.room_id, block.start_date, block.end_date);

  const overrides = new Map<string, Map<number, number>>();
  for (const rate of input.rates) {
    const offset = daysBetween(from, rate.date);
    if (offset < 0 || offset >= nights) continue;
    let byNight = overrides.get(rate.room_id);
    if (!byNight) overrides.set(rate.room_id, (byNight = new Map<number, number>()));
    byNight.set(offset, rate.price);
  }

  const tonight = from === input.today ? 0 : -1;
  for (const room of mapped) {
    const beds24RoomId = room.beds24_room_id as number;
    let row = cells.get(beds24RoomId);
    if (!row) cells.set(beds24RoomId, (row = Array.from({ length: nights }, () => ({ numAvail: 0, price1: null }))));
    if (room.status !== 'active') continue;
    const bitmap = busy.get(room.id) as Uint8Array;
    const roomRates = overrides.get(room.id);
    for (let i = 0; i < nights; i += 1) {
      const cell = row[i] as Cell;
      const price = roomRates?.get(i) ?? room.base_price;
      if (price > 0 && (cell.price1 === null || price < cell.price1)) cell.price1 = price;
      const outOfOrder = i === tonight && room.housekeeping_status === 'out_of_order';
      if (bitmap[i] === 0 && !outOfOrder) cell.numAvail += 1;
    }
  }
  for (const stay of input.unassigned ?? []) {
    const row = cells.get(stay.booked_beds24_room_id);
    if (!row || !isOccupying(stay.status)) continue;
    const first = Math.max(0, daysBetween(from, stay.check_in));
    const stop = Math.min(nights, daysBetween(from, stay.check_out));
    for (let i = first; i < stop; i += 1) {
      const cell = row[i] as Cell;
      if (cell.numAvail > 0) cell.numAvail -= 1;
    }
  }
  if (input.restrictions !== undefined && input.restrictions.length > 0) {
    applyRestrictions(cells, mapped, indexRestrictions(input.restrictions, from, nights), nights);
  }
  for (const former of input.formerBeds24RoomIds ?? []) {
    if (!cells.has(former))
      cells.set(
        former,
        Array.from({ length: nights }, () => ({ numAvail: 0, price1: null })),
      );
  }
  return { from, nights, cells };
}

/** Per Beds24 room, the strictest restrictions of the room types of its active rooms (inactive ones never sell). */
function applyRestrictions(
  cells: Map<number, Cell[]>,
  mapped: RoomInput[],
  index: RestrictionIndex,
  nights: number,
): void {
  const typesByBeds24Room = new Map<number, Set<string>>();
  for (const room of mapped) {
    if (room.status !== 'active' || room.room_type === undefined) continue;
    const beds24RoomId = room.beds24_room_id as number;
    let types = typesByBeds24Room.get(beds24RoomId);
    if (!types) typesByBeds24Room.set(beds24RoomId, (types = new Set()));
    types.add(room.room_type);
  }
  for (const [beds24RoomId, types] of typesByBeds24Room) {
    const row = cells.get(beds24RoomId) as Cell[];
    foldRestrictions(types, index, nights).forEach((restrictions, i) => {
      if (restrictions) Object.assign(row[i] as Cell, restrictions);
    });
  }
}

/** What Beds24 last accepted: Beds24 room id → date → cell. */
export type RememberedCalendar = Map<number, Map<CalendarDate, Cell>>;

/**
 * One night to write, and what Beds24 holds once it is accepted. The restriction fields are either all absent
 * (this write leaves them alone: neither side has any) or all present, `null` stays clearing Beds24's.
 */
export interface ChangedCell extends Cell {
  beds24RoomId: number;
  date: CalendarDate;
  override?: Override;
  /**
   * True: only the price or stay limits change, so the write leaves Beds24's numAvail as it is. Under an
   * inventory model where Beds24 moves a written count with bookings, sending the count we last wrote would
   * undo the bookings made since (reopening a sold unit).
   */
  keepsNumAvail?: boolean;
}

/**
 * The cells whose desired value differs from what Beds24 holds (units, price or restrictions); a price we
 * cannot name is left as it is, and so are the units when only the price or stay limits change. Once the
 * PMS restricts a night, or has to clear what it set there, the cell carries all three restriction fields,
 * so a partial update can never leave a stale one behind; nights that neither side restricts carry none,
 * exactly as without restrictions. Every write of a room in
 * `restrictionRooms` (the PMS manages its restrictions) carries them: a night whose state was forgotten
 * reads as unrestricted, and must not go out without the fields that clear what Beds24 may still hold.
 */
export function diffCalendar(
  desired: DesiredCalendar,
  remembered: RememberedCalendar,
  restrictionRooms: ReadonlySet<number> = new Set(),
): ChangedCell[] {
  const changed: ChangedCell[] = [];
  for (const [beds24RoomId, row] of desired.cells) {
    const known = remembered.get(beds24RoomId);
    const managed = restrictionRooms.has(beds24RoomId);
    row.forEach((cell, i) => {
      const date = addDays(desired.from, i);
      const before = known?.get(date);
      const priceDiffers = cell.price1 !== null && cell.price1 !== before?.price1;
      const wanted = restrictionsOf(cell);
      const held = restrictionsOf(before);
      const restrictionsDiffer = !sameRestrictions(wanted, held);
      const unitsDiffer = before === undefined || before.numAvail !== cell.numAvail;
      if (unitsDiffer || priceDiffers || restrictionsDiffer) {
        const price1 = cell.price1 ?? before?.price1 ?? null;
        const write: ChangedCell = { beds24RoomId, date, numAvail: cell.numAvail, price1 };
        if (managed || !isUnrestricted(wanted) || !isUnrestricted(held)) Object.assign(write, wanted);
        // A new override needs numAvail with it: Beds24 resets the units of a night leaving a blackout.
        if (!unitsDiffer && wanted.override === held.override) write.keepsNumAvail = true;
        changed.push(write);
      }
    });
  }
  return changed;
}

export interface CalendarBodyLimits {
  /** Ranges per request: keeps each body far below Beds24's 1 MB. */
  maxRangesPerRequest: number;
  /** Top-level room items per request (Beds24 allows 10,000). */
  maxRoomsPerRequest: number;
}

export const DEFAULT_CALENDAR_LIMITS: CalendarBodyLimits = { maxRangesPerRequest: 5000, maxRoomsPerRequest: 1000 };

/**
 * Changed cells as `POST /inventory/rooms/calendar` bodies: per Beds24 room, consecutive nights with equal
 * values merged into one inclusive from/to range, every room of the property in one body, split only when
 * a body would pass the limits.
 */
export function toCalendarBodies(
  changed: ChangedCell[],
  limits: CalendarBodyLimits = DEFAULT_CALENDAR_LIMITS,
): CalendarWrite[][] {
  const byRoom = Map.groupBy(changed, (cell) => cell.beds24RoomId);
  const bodies: CalendarWrite[][] = [];
  let body: CalendarWrite[] = [];
  let ranges = 0;
  const flush = (): void => {
    if (body.length > 0) bodies.push(body);
    body = [];
    ranges = 0;
  };
  for (const [roomId, cells] of [...byRoom].sort(([a], [b]) => a - b)) {
    const runs = mergeRuns(cells.sort((a, b) => (a.date < b.date ? -1 : 1)));
    for (let start = 0; start < runs.length;) {
      if (ranges >= limits.maxRangesPerRequest || body.length >= limits.maxRoomsPerRequest) flush();
      const take = Math.min(runs.length - start, limits.maxRangesPerRequest - ranges);
      body.push({ roomId, calendar: runs.slice(start, start + take) });
      ranges += take;
      start += take;
    }
  }
  flush();
  return bodies;
}

type CalendarRange = CalendarWrite['calendar'][number];

/**
 * A night's write: `numAvail` unless only the price or stay limits change (a write that changes `override`,
 * leaving a blackout included, always has it, so Beds24 never resets the units), `price1` when known, the
 * restrictions when the cell carries them.
 */
function toRange(cell: ChangedCell): CalendarRange {
  const range: CalendarRange = { from: cell.date, to: cell.date };
  if (cell.keepsNumAvail !== true) range.numAvail = cell.numAvail;
  if (cell.price1 !== null) range.price1 = cell.price1;
  if (cell.override !== undefined) {
    range.minStay = cell.minStay ?? null;
    range.maxStay = cell.maxStay ?? null;
    range.override = cell.override;
  }
  return range;
}

/** Two nights merge into one range only when their writes would be identical, field for field. */
function sameWrite(a: ChangedCell, b: ChangedCell): boolean {
  return (
    a.numAvail === b.numAvail &&
    (a.keepsNumAvail === true) === (b.keepsNumAvail === true) &&
    a.price1 === b.price1 &&
    (a.override === undefined) === (b.override === undefined) &&
    sameRestrictions(restrictionsOf(a), restrictionsOf(b))
  );
}

function mergeRuns(cells: ChangedCell[]): CalendarWrite['calendar'] {
  const runs: CalendarWrite['calendar'] = [];
  let previous: ChangedCell | undefined;
  for (const cell of cells) {
    const last = runs.at(-1);
    const next = previous !== undefined && addDays(previous.date, 1) === cell.date;
    const continues = last !== undefined && previous !== undefined && next && sameWrite(previous, cell);
    if (continues) last.to = cell.date;
    else runs.push(toRange(cell));
    previous = cell;
  }
  return runs;
}
