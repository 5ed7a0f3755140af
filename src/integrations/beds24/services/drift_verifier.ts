import type { Clock } from '../../../clock.ts';
import type { Knex } from '../../../db.ts';
import type { Logger } from '../../../logger.ts';
import type { GuestRow } from '../../../pms/guests/guest_schemas.ts';
import type { ReservationRow } from '../../../pms/reservations/reservation_schemas.ts';
import { addDays, todayIn } from '../../../utils/dates.ts';
import type { Beds24Client } from '../client/beds24_client.ts';
import { BOOKING_STATUSES, type Beds24Booking } from '../client/beds24_schemas.ts';
import type { Beds24Priority } from '../client/priority.ts';
import { compareBookingVersion } from '../mappers/booking_import_mapper.ts';
import { differingBookingFields, planBookingPush, reservationIdFromMarker } from '../mappers/reservation_mapper.ts';
import type { SyncQueue } from '../queue/sync_queue.ts';
import { replaceCalendarDrift } from '../store/calendar_drift_store.ts';
import { forgetCells, forgetPublishedRooms } from '../store/calendar_state_store.ts';
import { isPushEnabled, loadConfig, type Beds24Config } from '../store/config_store.ts';
import { openCalendarFailures } from '../store/failures_store.ts';
import { SETTLED_OUTCOMES, importedBookings } from '../store/imported_bookings_store.ts';
import { hasPendingChanges, recordChanges, type Change } from '../store/outbox_store.ts';
import type { AvailabilityPushService } from './availability_push_service.ts';
import type { Beds24Connections } from './beds24_connections.ts';
import type { BookingImportService } from './booking_import_service.ts';
import { currentAndFutureStays } from './current_stays.ts';
import { compareCalendar, needsRoomStayLimits, readActual, type RoomStayLimits } from './drift_compare.ts';
import {
  driftCause,
  groupCalendarDrift,
  type CalendarDrift,
  type CalendarDriftRange,
  type DriftContext,
} from './drift_ranges.ts';

export type { CalendarDrift, CalendarDriftRange } from './drift_ranges.ts';

export interface BookingDrift {
  reservation_id: string | null;
  beds24_booking_id: number | null;
  /** `not_imported`: a Beds24 booking of a mapped room that the PMS does not hold in its current version. */
  problem: 'missing' | 'different' | 'not_cancelled' | 'duplicate' | 'unknown_reservation' | 'not_imported';
  fields: string[];
}

export interface DriftReport {
  property_id: string;
  checked: { calendar_cells: number; bookings: number };
  calendar: CalendarDrift[];
  /** The same nights grouped per Beds24 room and run of equal values, with why they differ. */
  calendar_ranges: CalendarDriftRange[];
  bookings: BookingDrift[];
  repaired: boolean;
}

export interface DriftVerifierDeps {
  db: Knex;
  connections: Beds24Connections;
  availability: AvailabilityPushService;
  /** Bookings the PMS has not imported are imported before the calendar is compared. */
  imports: Pick<BookingImportService, 'importRead'>;
  queue: Pick<SyncQueue, 'wakeAfterCommit'>;
  clock: Clock;
  logger: Logger;
  found?: { inc(labels: { kind: string }, value: number): void };
}

/** Statuses in which a Beds24 booking holds a unit. */
const BLOCKING = new Set(['confirmed', 'new', 'request', 'black']);

/**
 * Reads Beds24 back (in one call the property's bookings; in another the calendar of every Beds24 room the
 * property ever published, mapped now or not: a former room is expected closed) and compares it with what
 * the PMS says. Every differing night and booking is reported; with `repair`, the wrong nights are
 * forgotten and the pushes queued, so Beds24 is put back to the PMS's truth, hand edits included.
 *
 * A night Beds24 shows lower than the PMS may be a booking the PMS has not imported (a lost webhook), not
 * drift: pushing the PMS's count back would reopen a sold room. So the bookings are read first; those the
 * PMS does not hold are reported (`not_imported`) and, with `repair`, imported before the calendar is
 * compared. A night over such a booking that could not be imported is never repaired upward.
 */
export class DriftVerifier {
  private readonly deps: DriftVerifierDeps;

  constructor(deps: DriftVerifierDeps) {
    this.deps = deps;
  }

  async verify(
    propertyId: string,
    { repair = true, priority = 'low' }: { repair?: boolean; priority?: Beds24Priority } = {},
  ): Promise<DriftReport | undefined> {
    const { db, connections, availability, queue } = this.deps;
    const config = await loadConfig(db, propertyId);
    if (!isPushEnabled(config)) return undefined;
    const client = connections.clientFor(config);

    const { timezone }: { timezone: string } = await db('properties').where({ id: propertyId }).first('timezone');
    const readAt = this.deps.clock.now();
    const bookings = await client.getBookings(
      {
        propertyId: [config.beds24_property_id],
        departureFrom: todayIn(timezone, readAt),
        status: [...BOOKING_STATUSES],
      },
      { priority },
    );
    const notImported = await this.notImported(propertyId, bookings);
    let unimported = notImported;
    if (repair && notImported.length > 0) {
      await this.deps.imports.importRead(propertyId, notImported, readAt);
      unimported = await this.notImported(propertyId, notImported);
    }

    const { desired, remembered, formerRoomIds, restrictionRooms } = await availability.snapshot(propertyId);
    const roomIds = [...desired.cells.keys()];
    const last = addDays(desired.from, desired.nights - 1);
    const query = {
      startDate: desired.from,
      endDate: last,
      roomId: roomIds,
      includeNumAvail: true,
      includePrices: true,
      includeMinStay: true,
      includeMaxStay: true,
      includeOverride: true,
    };
    const actualRooms = roomIds.length > 0 && desired.nights > 0 ? await client.getCalendar(query, { priority }) : [];
    const actual = readActual(actualRooms);
    const comparison = { from: desired.from, desired: desired.cells, actual, restrictionRooms };
    const roomStayLimits = needsRoomStayLimits(comparison)
      ? await this.roomStayLimits(client, config, priority)
      : undefined;
    const calendar = compareCalendar({ ...comparison, roomStayLimits });
    const answered = new Set(actualRooms.map((room) => room.roomId));
    const unknownRoomIds = new Set(desired.nights > 0 ? roomIds.filter((id) => !answered.has(id)) : []);
    const context = await this.driftContext(propertyId, unknownRoomIds, new Set(formerRoomIds), remembered);
    const calendarRanges = groupCalendarDrift(calendar, context);
    const nights = calendar.map((cell) => ({
      beds24RoomId: cell.beds24_room_id,
      date: cell.date,
      expected: cell.expected,
      actual: cell.actual,
      cause: driftCause(cell, context),
    }));
    const checkedAt = this.deps.clock.now();
    await db.transaction((trx) => replaceCalendarDrift(trx, propertyId, nights, checkedAt));

    const bookingDrift = [
      ...notImported.map((booking): BookingDrift => ({
        reservation_id: null,
        beds24_booking_id: booking.id,
        problem: 'not_imported',
        fields: [],
      })),
      ...(await this.compareBookings(propertyId, bookings)),
    ];

    this.deps.found?.inc({ kind: 'calendar' }, calendar.length);
    this.deps.found?.inc({ kind: 'booking' }, bookingDrift.length);
    // A former room Beds24 does not know holds nothing of ours: there is nothing left to close.
    if (repair)
      await forgetPublishedRooms(
        db,
        propertyId,
        formerRoomIds.filter((id) => unknownRoomIds.has(id)),
      );
    if (repair && (calendar.length > 0 || bookingDrift.length > 0)) {
      const repairable = calendar.filter((cell) => !raisesOverUnimported(cell, unimported));
      await forgetCells(
        db,
        propertyId,
        repairable.map((c) => ({ beds24RoomId: c.beds24_room_id, date: c.date })),
      );
      const changes: Change[] = repairable.length > 0 ? [{ kind: 'availability', entityId: 'calendar' }] : [];
      const ids = new Set(bookingDrift.map((b) => b.reservation_id).filter((id): id is string => id !== null));
      for (const id of ids) changes.push({ kind: 'reservations', entityId: id });
      await recordChanges(db, propertyId, changes);
      queue.wakeAfterCommit(
        db,
        propertyId,
        changes.map((change) => change.kind),
      );
    }
    if (calendar.length > 0 || bookingDrift.length > 0) {
      this.deps.logger.warn(
        { property_id: propertyId, calendar: calendar.length, bookings: bookingDrift.length, repair },
        'drift found in Beds24',
      );
    }
    return {
      property_id: propertyId,
      checked: { calendar_cells: roomIds.length * desired.nights, bookings: bookings.length },
      calendar,
      calendar_ranges: calendarRanges,
      bookings: bookingDrift,
      repaired: repair,
    };
  }

  /**
   * The Beds24 rooms' own stay limits (one more call), asked only when a stay limit the PMS leaves unset
   * reads as a number: Beds24 shows the room's own there, which is no drift.
   */
  private async roomStayLimits(
    client: Beds24Client,
    config: Beds24Config,
    priority: Beds24Priority,
  ): Promise<Map<number, RoomStayLimits>> {
    const properties = await client.getProperties([config.beds24_property_id], { priority });
    const rooms = properties.flatMap((property) => property.roomTypes ?? []);
    return new Map(rooms.map((room) => [room.id, { minStay: room.minStay ?? null, maxStay: room.maxStay ?? null }]));
  }

  /** Read before any repair is queued, so the causes describe the state the report was taken in. */
  private async driftContext(
    propertyId: string,
    unknownRoomIds: Set<number>,
    formerRoomIds: Set<number>,
    remembered: DriftContext['remembered'],
  ): Promise<DriftContext> {
    const { db } = this.deps;
    const [failedRooms, calendarChangesPending] = await Promise.all([
      openCalendarFailures(db, propertyId),
      hasPendingChanges(db, propertyId, ['availability', 'rates', 'resync']),
    ]);
    return {
      unknownRoomIds,
      failedRooms,
      calendarChangesPending,
      formerRoomIds,
      remembered,
    };
  }

  /**
   * The bookings of `read` that the PMS would import and does not hold in this version: not its own (no
   * marker, no reservation of its own pushed as it), not an inquiry, on a Beds24 room a PMS room maps to.
   */
  private async notImported(propertyId: string, read: Beds24Booking[]): Promise<Beds24Booking[]> {
    const { db } = this.deps;
    const candidates = read.filter((b) => b.status !== 'inquiry' && reservationIdFromMarker(b) === undefined);
    if (candidates.length === 0) return [];
    const ids = candidates.map((b) => b.id);
    const [mapped, own, held] = await Promise.all([
      db('rooms').where({ property_id: propertyId }).whereNotNull('beds24_room_id').pluck('beds24_room_id'),
      db('reservations').whereIn('beds24_booking_id', ids).whereNot({ source: 'beds24' }).pluck('beds24_booking_id'),
      importedBookings(db, propertyId, ids),
    ]);
    const mappedRooms = new Set<number>(mapped);
    const ownIds = new Set<number>(own);
    return candidates.filter((booking) => {
      if (ownIds.has(booking.id) || !mappedRooms.has(booking.roomId ?? 0)) return false;
      const record = held.get(booking.id);
      if (record === undefined || record.fingerprint === null || !SETTLED_OUTCOMES.has(record.outcome)) {
        // A cancelled booking the PMS never held takes no unit: nothing is missing.
        return BLOCKING.has(booking.status ?? '');
      }
      const order = compareBookingVersion(booking, {
        modifiedTime: record.modified_time,
        fingerprint: record.fingerprint,
      });
      return order === 'newer';
    });
  }

  private async compareBookings(propertyId: string, bookings: Beds24Booking[]): Promise<BookingDrift[]> {
    type Row = ReservationRow & { guest: GuestRow; room_beds24_id: number | null };
    const rows: Row[] = await currentAndFutureStays(this.deps.db, this.deps.clock.now())
      .join('guests as g', 'g.id', 'r.guest_id')
      .join('rooms as rm', 'rm.id', 'r.room_id')
      .where('r.property_id', propertyId)
      .select('r.*', 'rm.beds24_room_id as room_beds24_id', this.deps.db.raw('row_to_json(g.*) as guest'));
    const byMarker = Map.groupBy(
      bookings.filter((b) => reservationIdFromMarker(b) !== undefined),
      (b) => reservationIdFromMarker(b) as string,
    );
    const drift: BookingDrift[] = [];
    for (const row of rows) {
      const { guest, room_beds24_id, ...reservation } = row;
      const plan = planBookingPush({ reservation, guest, beds24RoomId: room_beds24_id });
      const found = byMarker.get(reservation.id) ?? [];
      byMarker.delete(reservation.id);
      if (found.length > 1) {
        drift.push({
          reservation_id: reservation.id,
          beds24_booking_id: null,
          problem: 'duplicate',
          fields: found.map((b) => String(b.id)),
        });
      }
      const booking = found.find((b) => b.id === reservation.beds24_booking_id) ?? found[0];
      if (plan.action === 'skip') continue;
      if (!booking) {
        if (plan.action === 'cancel') continue;
        drift.push({ reservation_id: reservation.id, beds24_booking_id: null, problem: 'missing', fields: [] });
        continue;
      }
      // A cancel carries the last values too, so a cancelled booking is compared field by field as well.
      const fields = differingBookingFields(plan.booking, booking);
      if (fields.length === 0) continue;
      const problem = plan.action === 'cancel' && booking.status !== 'cancelled' ? 'not_cancelled' : 'different';
      drift.push({ reservation_id: reservation.id, beds24_booking_id: booking.id, problem, fields });
    }
    for (const [reservationId, orphans] of byMarker) {
      for (const orphan of orphans) {
        if (orphan.status === 'cancelled') continue;
        drift.push({
          reservation_id: null,
          beds24_booking_id: orphan.id,
          problem: 'unknown_reservation',
          fields: [reservationId],
        });
      }
    }
    return drift;
  }
}

/**
 * A night that Beds24 shows lower than the PMS while a booking the PMS has not imported stays that night in
 * that room: the lower count is the booking, and pushing the PMS's count would reopen the sold unit.
 */
function raisesOverUnimported(cell: CalendarDrift, unimported: Beds24Booking[]): boolean {
  const shown = cell.actual.num_avail;
  if (shown === null || shown >= cell.expected.num_avail) return false;
  return unimported.some(
    (booking) =>
      booking.roomId === cell.beds24_room_id &&
      booking.arrival !== undefined &&
      booking.departure !== undefined &&
      booking.arrival <= cell.date &&
      cell.date < booking.departure,
  );
}
