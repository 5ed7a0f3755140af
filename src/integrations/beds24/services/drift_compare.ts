import { addDays, type CalendarDate } from '../../../utils/dates.ts';
import type { CalendarRoom } from '../client/beds24_schemas.ts';
import type { Cell } from '../mappers/availability_mapper.ts';
import { isUnrestricted, restrictionsOf } from '../mappers/restriction_mapper.ts';
import type { CalendarDrift } from './drift_ranges.ts';

/** One night as Beds24's GET calendar showed it; null where the answer had no value. */
export interface ActualNight {
  numAvail: number | null;
  price1: number | null;
  minStay: number | null;
  maxStay: number | null;
  override: string | null;
}

/** A Beds24 room's own stay limits (its settings, outside the calendar). */
export interface RoomStayLimits {
  minStay: number | null;
  maxStay: number | null;
}

export interface CalendarComparison {
  from: CalendarDate;
  /** Beds24 room id → one desired cell per night from `from`. */
  desired: Map<number, Cell[]>;
  /** Beds24 room id → date → night, from `readActual`. */
  actual: Map<number, Map<CalendarDate, ActualNight>>;
  /** Rooms whose restrictions the PMS manages: compared on every night. Others only where the PMS restricts. */
  restrictionRooms: ReadonlySet<number>;
  /** Needed only when `needsRoomStayLimits` says so; a room missing here has none. */
  roomStayLimits?: ReadonlyMap<number, RoomStayLimits>;
}

const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);

/** The GET answer's ranges as one night each. */
export function readActual(rooms: CalendarRoom[]): Map<number, Map<CalendarDate, ActualNight>> {
  const actual = new Map<number, Map<CalendarDate, ActualNight>>();
  for (const room of rooms) {
    const nights = actual.get(room.roomId) ?? new Map<CalendarDate, ActualNight>();
    actual.set(room.roomId, nights);
    for (const range of room.calendar) {
      const night: ActualNight = {
        numAvail: num(range.numAvail),
        price1: num(range.price1),
        minStay: num(range.minStay),
        maxStay: num(range.maxStay),
        override: typeof range.override === 'string' ? range.override : null,
      };
      for (let date = range.from; date <= range.to; date = addDays(date, 1)) nights.set(date, { ...night });
    }
  }
  return actual;
}

function comparesRestrictions(input: CalendarComparison, beds24RoomId: number, cell: Cell): boolean {
  return input.restrictionRooms.has(beds24RoomId) || !isUnrestricted(restrictionsOf(cell));
}

/**
 * Beds24 shows a room's own minStay / maxStay on a day whose calendar has none, so a stay limit the PMS
 * leaves unset can read as a number. Only then are the room's settings needed to tell that from a hand edit.
 */
export function needsRoomStayLimits(input: Omit<CalendarComparison, 'roomStayLimits'>): boolean {
  for (const [beds24RoomId, cells] of input.desired) {
    const nights = input.actual.get(beds24RoomId);
    if (nights === undefined) continue;
    for (const [i, cell] of cells.entries()) {
      if (!comparesRestrictions(input, beds24RoomId, cell)) continue;
      const seen = nights.get(addDays(input.from, i));
      const wanted = restrictionsOf(cell);
      if ((wanted.minStay === null && seen?.minStay != null) || (wanted.maxStay === null && seen?.maxStay != null)) {
        return true;
      }
    }
  }
  return false;
}

/**
 * Every night whose units, price (when the PMS names one) or compared restrictions differ from what Beds24
 * shows. Restrictions the hotel set by hand on a room whose restrictions the PMS does not manage, on a night
 * the PMS does not restrict, are the hotel's own and are not compared. A room Beds24 did not answer for
 * shows nothing at all; a night of an answered room without override shows `none`.
 */
export function compareCalendar(input: CalendarComparison): CalendarDrift[] {
  const drift: CalendarDrift[] = [];
  for (const [beds24RoomId, cells] of input.desired) {
    const nights = input.actual.get(beds24RoomId);
    const limits = input.roomStayLimits?.get(beds24RoomId);
    cells.forEach((cell, i) => {
      const date = addDays(input.from, i);
      const seen = nights?.get(date);
      const numAvail = seen?.numAvail ?? null;
      const price1 = seen?.price1 ?? null;
      const differs = numAvail !== cell.numAvail || (cell.price1 !== null && price1 !== cell.price1);
      const expected: CalendarDrift['expected'] = { num_avail: cell.numAvail, price1: cell.price1 };
      const actual: CalendarDrift['actual'] = { num_avail: numAvail, price1 };
      let restrictionsDiffer = false;
      if (comparesRestrictions(input, beds24RoomId, cell)) {
        const wanted = restrictionsOf(cell);
        const roomOwn = (value: number | null, own: number | null | undefined, want: number | null) =>
          want === null && value !== null && value === own ? null : value;
        const shown = {
          min_stay: roomOwn(seen?.minStay ?? null, limits?.minStay, wanted.minStay),
          max_stay: roomOwn(seen?.maxStay ?? null, limits?.maxStay, wanted.maxStay),
          override: nights === undefined ? null : (seen?.override ?? 'none'),
        };
        Object.assign(expected, { min_stay: wanted.minStay, max_stay: wanted.maxStay, override: wanted.override });
        Object.assign(actual, shown);
        restrictionsDiffer =
          shown.min_stay !== wanted.minStay || shown.max_stay !== wanted.maxStay || shown.override !== wanted.override;
      }
      if (differs || restrictionsDiffer) drift.push({ beds24_room_id: beds24RoomId, date, expected, actual });
    });
  }
  return drift;
}
