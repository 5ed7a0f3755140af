import type { Clock } from '../../../clock.ts';
import type { Knex } from '../../../db.ts';
import type { Logger } from '../../../logger.ts';
import type { GuestRow } from '../../../pms/guests/guest_schemas.ts';
import type { ReservationRow } from '../../../pms/reservations/reservation_schemas.ts';
import { addDays } from '../../../utils/dates.ts';
import type { Beds24Booking, CalendarRoom } from '../client/beds24_schemas.ts';
import type { Beds24Priority } from '../client/priority.ts';
import { differingBookingFields, planBookingPush, reservationIdFromMarker } from '../mappers/reservation_mapper.ts';
import type { SyncQueue } from '../queue/sync_queue.ts';
import { forgetCells, forgetPublishedRooms } from '../store/calendar_state_store.ts';
import { isPushEnabled, loadConfig } from '../store/config_store.ts';
import { openCalendarFailures } from '../store/failures_store.ts';
import { hasPendingChanges, recordChanges, type Change } from '../store/outbox_store.ts';
import type { AvailabilityPushService } from './availability_push_service.ts';
import type { Beds24Connections } from './beds24_connections.ts';
import { currentAndFutureStays } from './current_stays.ts';
import { groupCalendarDrift, type CalendarDrift, type CalendarDriftRange, type DriftContext } from './drift_ranges.ts';

export type { CalendarDrift, CalendarDriftRange } from './drift_ranges.ts';

export interface BookingDrift {
  reservation_id: string | null;
  beds24_booking_id: number | null;
  problem: 'missing' | 'different' | 'not_cancelled' | 'duplicate' | 'unknown_reservation';
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
  queue: Pick<SyncQueue, 'wakeAfterCommit'>;
  clock: Clock;
  logger: Logger;
  found?: { inc(labels: { kind: string }, value: number): void };
}

const ALL_STATUSES = ['confirmed', 'request', 'new', 'cancelled', 'black', 'inquiry'] as const;

/**
 * Reads Beds24 back (in one call the calendar of every Beds24 room the property ever published, mapped now
 * or not: a former room is expected closed; in another the property's bookings) and compares it with what
 * the PMS says. Every differing night and booking is reported; with `repair`, the wrong nights are
 * forgotten and the pushes queued, so Beds24 is put back to the PMS's truth, hand edits included.
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

    const { desired, remembered, formerRoomIds } = await availability.snapshot(propertyId);
    const roomIds = [...desired.cells.keys()];
    const last = addDays(desired.from, desired.nights - 1);
    const actualRooms =
      roomIds.length > 0 && desired.nights > 0
        ? await client.getCalendar(
            { startDate: desired.from, endDate: last, roomId: roomIds, includeNumAvail: true, includePrices: true },
            { priority },
          )
        : [];
    const calendar = compareCalendar(desired.from, desired.cells, actualRooms);
    const answered = new Set(actualRooms.map((room) => room.roomId));
    const unknownRoomIds = new Set(desired.nights > 0 ? roomIds.filter((id) => !answered.has(id)) : []);
    const context = await this.driftContext(propertyId, unknownRoomIds, new Set(formerRoomIds), remembered);
    const calendarRanges = groupCalendarDrift(calendar, context);

    const bookings = await client.getBookings(
      { propertyId: [config.beds24_property_id], departureFrom: desired.from, status: [...ALL_STATUSES] },
      { priority },
    );
    const bookingDrift = await this.compareBookings(propertyId, bookings);

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
      await forgetCells(
        db,
        propertyId,
        calendar.map((c) => ({ beds24RoomId: c.beds24_room_id, date: c.date })),
      );
      const changes: Change[] = calendar.length > 0 ? [{ kind: 'availability', entityId: 'calendar' }] : [];
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

function compareCalendar(
  from: string,
  desired: Map<number, Array<{ numAvail: number; price1: number | null }>>,
  actualRooms: CalendarRoom[],
): CalendarDrift[] {
  const actual = new Map<string, { numAvail: number | null; price1: number | null }>();
  for (const room of actualRooms) {
    for (const range of room.calendar) {
      for (let date = range.from; date <= range.to; date = addDays(date, 1)) {
        const price1 = range.price1;
        actual.set(`${room.roomId}|${date}`, {
          numAvail: range.numAvail ?? null,
          price1: typeof price1 === 'number' ? price1 : null,
        });
      }
    }
  }
  const drift: CalendarDrift[] = [];
  for (const [beds24RoomId, cells] of desired) {
    cells.forEach((cell, i) => {
      const date = addDays(from, i);
      const seen = actual.get(`${beds24RoomId}|${date}`) ?? { numAvail: null, price1: null };
      const priceDiffers = cell.price1 !== null && seen.price1 !== cell.price1;
      if (seen.numAvail !== cell.numAvail || priceDiffers) {
        drift.push({
          beds24_room_id: beds24RoomId,
          date,
          expected: { num_avail: cell.numAvail, price1: cell.price1 },
          actual: { num_avail: seen.numAvail, price1: seen.price1 },
        });
      }
    });
  }
  return drift;
}
