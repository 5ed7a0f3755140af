import type { Clock } from '../../../clock.ts';
import type { Knex } from '../../../db.ts';
import { ValidationError } from '../../../errors.ts';
import { addDays, daysBetween, todayIn, type CalendarDate } from '../../../utils/dates.ts';
import { diffCalendar, type Cell } from '../mappers/availability_mapper.ts';
import { restrictionsOf } from '../mappers/restriction_mapper.ts';
import { calendarDrift } from '../store/calendar_drift_store.ts';
import { loadConfig } from '../store/config_store.ts';
import { openCalendarFailures } from '../store/failures_store.ts';
import { hasPendingChanges } from '../store/outbox_store.ts';
import type { DriftValues } from '../store/tables.ts';
import type { AvailabilityPushService } from './availability_push_service.ts';

/** The nights the grid shows by default, and at most. */
export const GRID_DEFAULT_NIGHTS = 30;
export const GRID_MAX_NIGHTS = 90;

export interface GridValues {
  num_avail: number;
  price1: number | null;
  min_stay: number | null;
  max_stay: number | null;
  override: string;
}

export interface GridCell {
  date: CalendarDate;
  /** What Beds24 should show; null outside today .. the horizon's last night (never pushed). */
  desired: GridValues | null;
  /** What Beds24 last accepted from us; null when unknown (never accepted, or a write in flight). */
  accepted: GridValues | null;
  /** The next push sends this night (desired differs from what Beds24 accepted). */
  pending: boolean;
  /** Beds24 refused the room's last calendar write and this night is still to be sent. */
  refused: boolean;
  /** What the last drift check found here, when it found this night different in Beds24. */
  drift: { expected: DriftValues; actual: DriftValues; cause: string } | null;
}

export interface GridRoom {
  beds24_room_id: number;
  /** PMS rooms mapped to it, by number (none: a former room, closed by every push). */
  room_numbers: string[];
  /** Every write of the room carries its restrictions (the PMS manages them). */
  restrictions_managed: boolean;
  /** Beds24's message when it refused the room's last calendar write. */
  refused_message: string | null;
  cells: GridCell[];
}

export interface CalendarGrid {
  property_id: string;
  connected: boolean;
  timezone: string;
  from: CalendarDate;
  to: CalendarDate;
  /** Today in the hotel's time zone and the last night pushed: the range that may be paged. */
  today: CalendarDate;
  last_night: CalendarDate;
  /** Calendar changes still in the outbox (the push is on its way). */
  changes_waiting: boolean;
  /** When the drift check that found the flagged nights ran; null when none of the range's nights is flagged. */
  drift_checked_at: Date | null;
  rooms: GridRoom[];
}

export interface CalendarGridDeps {
  db: Knex;
  availability: Pick<AvailabilityPushService, 'snapshot'>;
  clock: Clock;
  horizonDays: number;
}

function gridValues(cell: Cell): GridValues {
  const restrictions = restrictionsOf(cell);
  return {
    num_avail: cell.numAvail,
    price1: cell.price1,
    min_stay: restrictions.minStay,
    max_stay: restrictions.maxStay,
    override: restrictions.override,
  };
}

/**
 * The range the grid answers: `from` defaults to today in the hotel's time zone, `to` to 30 nights from
 * `from`. Refuses (400 `to`) a range that ends before it starts or covers more than 90 nights.
 */
export async function gridRange(
  deps: Pick<CalendarGridDeps, 'db' | 'clock'>,
  propertyId: string,
  range: { from?: CalendarDate; to?: CalendarDate },
): Promise<{ from: CalendarDate; to: CalendarDate }> {
  const from = range.from ?? todayIn(await timezoneOf(deps.db, propertyId), deps.clock.now());
  const to = range.to ?? addDays(from, GRID_DEFAULT_NIGHTS - 1);
  const nights = daysBetween(from, to) + 1;
  if (nights < 1) throw ValidationError.field('to', `must not be before from (${from})`);
  if (nights > GRID_MAX_NIGHTS) throw ValidationError.field('to', `range must cover at most ${GRID_MAX_NIGHTS} nights`);
  return { from, to };
}

async function timezoneOf(db: Knex, propertyId: string): Promise<string> {
  const { timezone }: { timezone: string } = await db('properties').where({ id: propertyId }).first('timezone');
  return timezone;
}

/**
 * The calendar of every Beds24 room of the property over [from, to] as the dashboard draws it: per night
 * what Beds24 should show next to what it last accepted from us, and whether the night waits to be sent,
 * was refused, or was found different by the last drift check. Reads only the database: no call to Beds24.
 */
export async function calendarGrid(
  deps: CalendarGridDeps,
  propertyId: string,
  range: { from: CalendarDate; to: CalendarDate },
): Promise<CalendarGrid> {
  const { db } = deps;
  const timezone = await timezoneOf(db, propertyId);
  const today = todayIn(timezone, deps.clock.now());
  const lastNight = addDays(today, deps.horizonDays - 1);
  const [snapshot, config, failures, waiting, drift, mapped] = await Promise.all([
    deps.availability.snapshot(propertyId, range),
    loadConfig(db, propertyId),
    openCalendarFailures(db, propertyId),
    hasPendingChanges(db, propertyId, ['availability', 'rates', 'resync']),
    calendarDrift(db, propertyId, range),
    db('rooms')
      .where({ property_id: propertyId })
      .whereNotNull('beds24_room_id')
      .orderBy('number')
      .select('beds24_room_id', 'number') as Promise<Array<{ beds24_room_id: number; number: string }>>,
  ]);
  const { desired, remembered, restrictionRooms } = snapshot;
  const inRange = (date: CalendarDate): boolean => date >= range.from && date <= range.to;
  const pending = new Set(
    diffCalendar(desired, remembered, restrictionRooms)
      .filter((cell) => inRange(cell.date))
      .map((cell) => `${cell.beds24RoomId}|${cell.date}`),
  );
  const driftAt = new Map(drift.map((night) => [`${night.beds24RoomId}|${night.date}`, night]));
  const roomIds = new Set<number>([...desired.cells.keys(), ...mapped.map((room) => room.beds24_room_id)]);
  const nights = daysBetween(range.from, range.to) + 1;
  const rooms = [...roomIds]
    .sort((a, b) => a - b)
    .map((beds24RoomId): GridRoom => {
      const row = desired.cells.get(beds24RoomId);
      const known = remembered.get(beds24RoomId);
      const refusedMessage = failures.get(beds24RoomId) ?? null;
      const cells = Array.from({ length: nights }, (_, i): GridCell => {
        const date = addDays(range.from, i);
        const offset = daysBetween(desired.from, date);
        const wanted = offset >= 0 && offset < desired.nights ? row?.[offset] : undefined;
        const held = known?.get(date);
        const key = `${beds24RoomId}|${date}`;
        const found = driftAt.get(key);
        return {
          date,
          desired: wanted ? gridValues(wanted) : null,
          accepted: held ? gridValues(held) : null,
          pending: pending.has(key),
          refused: refusedMessage !== null && pending.has(key),
          drift: found ? { expected: found.expected, actual: found.actual, cause: found.cause } : null,
        };
      });
      return {
        beds24_room_id: beds24RoomId,
        room_numbers: mapped.filter((room) => room.beds24_room_id === beds24RoomId).map((room) => room.number),
        restrictions_managed: restrictionRooms.has(beds24RoomId),
        refused_message: refusedMessage,
        cells,
      };
    });
  const checkedAt = drift.map((night) => night.checkedAt).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
  return {
    property_id: propertyId,
    connected: config?.refresh_token != null,
    timezone,
    from: range.from,
    to: range.to,
    today,
    last_night: lastNight,
    changes_waiting: waiting,
    drift_checked_at: checkedAt,
    rooms,
  };
}
