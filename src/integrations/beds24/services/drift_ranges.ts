import { addDays, type CalendarDate } from '../../../utils/dates.ts';
import type { RememberedCalendar } from '../mappers/availability_mapper.ts';

export interface CalendarValues {
  num_avail: number;
  price1: number | null;
}

export interface CalendarDrift {
  beds24_room_id: number;
  date: CalendarDate;
  expected: CalendarValues;
  actual: { num_avail: number | null; price1: number | null };
}

/**
 * Why a night differs, most telling first:
 * - `unknown_room`: Beds24 returned no calendar for the room id (the account has no such room);
 * - `push_failed`: Beds24 refused the room's last calendar write (an open failed item);
 * - `pending`: calendar changes of the property are still in the outbox (the next push sends them);
 * - `former_room`: no PMS room maps to it any more, so it must be closed;
 * - `changed_in_beds24`: Beds24 accepted the expected value from us and shows another one now;
 * - `not_pushed`: we hold no record of Beds24 accepting the expected value (an edit made in SQL, or a
 *   push whose answer never came).
 */
export type DriftCause =
  'unknown_room' | 'push_failed' | 'pending' | 'former_room' | 'changed_in_beds24' | 'not_pushed';

export interface DriftContext {
  unknownRoomIds: ReadonlySet<number>;
  /** Beds24 room id → Beds24's message of its open calendar failure. */
  failedRooms: ReadonlyMap<number, string>;
  calendarChangesPending: boolean;
  formerRoomIds: ReadonlySet<number>;
  remembered: RememberedCalendar;
}

export interface CalendarDriftRange {
  beds24_room_id: number;
  from: CalendarDate;
  to: CalendarDate;
  nights: number;
  expected: CalendarDrift['expected'];
  actual: CalendarDrift['actual'];
  cause: DriftCause;
  /** Beds24's message when it refused the room's calendar; null otherwise. */
  message: string | null;
}

export function driftCause(cell: CalendarDrift, context: DriftContext): DriftCause {
  const room = cell.beds24_room_id;
  if (context.unknownRoomIds.has(room)) return 'unknown_room';
  if (context.failedRooms.has(room)) return 'push_failed';
  if (context.calendarChangesPending) return 'pending';
  if (context.formerRoomIds.has(room)) return 'former_room';
  const accepted = context.remembered.get(room)?.get(cell.date);
  const acceptedExpected =
    accepted !== undefined &&
    accepted.numAvail === cell.expected.num_avail &&
    (cell.expected.price1 === null || accepted.price1 === cell.expected.price1);
  return acceptedExpected ? 'changed_in_beds24' : 'not_pushed';
}

/**
 * The per-night drift as one line per Beds24 room and run of consecutive nights that share the same
 * expected and actual values and the same cause: what an operator reads instead of 365 lines.
 */
export function groupCalendarDrift(cells: CalendarDrift[], context: DriftContext): CalendarDriftRange[] {
  const sorted = [...cells].sort((a, b) => a.beds24_room_id - b.beds24_room_id || a.date.localeCompare(b.date));
  const ranges: CalendarDriftRange[] = [];
  for (const cell of sorted) {
    const cause = driftCause(cell, context);
    const refused = cause === 'unknown_room' || cause === 'push_failed';
    const message = refused ? (context.failedRooms.get(cell.beds24_room_id) ?? null) : null;
    const last = ranges.at(-1);
    const continues =
      last !== undefined &&
      last.beds24_room_id === cell.beds24_room_id &&
      addDays(last.to, 1) === cell.date &&
      last.cause === cause &&
      last.message === message &&
      sameValues(last.expected, cell.expected) &&
      sameValues(last.actual, cell.actual);
    if (continues) {
      last.to = cell.date;
      last.nights += 1;
    } else {
      const { beds24_room_id, date, expected, actual } = cell;
      ranges.push({ beds24_room_id, from: date, to: date, nights: 1, expected, actual, cause, message });
    }
  }
  return ranges;
}

function sameValues(a: CalendarDrift['actual'], b: CalendarDrift['actual']): boolean {
  return a.num_avail === b.num_avail && a.price1 === b.price1;
}
