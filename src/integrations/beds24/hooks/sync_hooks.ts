import type { Clock } from '../../../clock.ts';
import type { Knex } from '../../../db.ts';
import type { ReservationRow } from '../../../pms/reservations/reservation_schemas.ts';
import type { RoomRow } from '../../../pms/rooms/room_schemas.ts';
import { isOccupying } from '../../../pms/common_schemas.ts';
import { footprintCells, movedCells, type BookingFootprint } from '../mappers/reservation_mapper.ts';
import type { SyncQueue } from '../queue/sync_queue.ts';
import { currentAndFutureStays } from '../services/current_stays.ts';
import { forgetCells } from '../store/calendar_state_store.ts';
import { probeConnection as probe } from '../store/config_store.ts';
import { recordChanges, type Change } from '../store/outbox_store.ts';

type Trx = Knex.Transaction;

/**
 * What the PMS controllers call, inside the transaction of the edit. Each hook decides whether the edit
 * can change what Beds24 shows and, if so, records it; the worker re-checks everything when it runs
 * (toggles flipped in SQL meanwhile, mappings changed), so a hook may err on the side of queueing.
 * A hook costs the edit two short statements: one look-up, one outbox write (and, when a booking of ours
 * comes, goes or moves, one per Beds24 room to forget the nights it touched).
 *
 * A connected property whose pushes are switched off (paused) still gets its outbox rows, without a job:
 * they wait there, visible in the status, and go out when the toggles are back on.
 */
export interface SyncHooks {
  queueReservationSyncHook(trx: Trx, reservation: ReservationRow, previous?: ReservationRow): Promise<void>;
  queueReservationCancelHook(trx: Trx, reservation: ReservationRow): Promise<void>;
  queueRoomAvailabilitySyncHook(trx: Trx, room: RoomRow, previous?: RoomRow): Promise<void>;
  queueRoomRatesSyncHook(trx: Trx, room: RoomRow, previous?: RoomRow): Promise<void>;
  /**
   * Restrictions travel in the calendar write with rates: recorded as a rates change. A stop-sell closes
   * nights, so it is recorded as an availability change instead: its job runs at the closings' priority and
   * is not held behind a rates job waiting for credits.
   */
  queueRestrictionsSyncHook(trx: Trx, propertyId: string, roomType: string, edit: { stopSell: boolean }): Promise<void>;
  queueGuestSyncHook(trx: Trx, guestId: string): Promise<void>;
  /**
   * Refuses (400 `beds24_room_id`) a mapping to a Beds24 room that the property's connected Beds24 account
   * does not have. May ask Beds24: call it before the edit's transaction, never inside one.
   */
  assertBeds24RoomMappable(db: Knex, propertyId: string, beds24RoomId: number): Promise<void>;
}

export interface RoomMappingCheck {
  assertMappable(db: Knex, propertyId: string, beds24RoomId: number): Promise<void>;
}

const mapped = (room: Pick<RoomRow, 'beds24_room_id'> | undefined): boolean => room?.beds24_room_id != null;

/**
 * The calendar nights where the PMS's own booking takes or leaves a unit in Beds24 with this edit. Beds24
 * may move a written count itself when a booking comes, goes or moves (undocumented), even where the PMS's
 * own count does not move (a room out of service): so these nights are sent again after the booking write,
 * whatever the PMS believes Beds24 holds.
 */
function movedNights(
  versions: ReservationRow[],
  mapping: Record<string, number | null>,
): Array<{ beds24RoomId: number; date: string }> {
  const footprints = versions.map((r): BookingFootprint | null => {
    const beds24RoomId = r.room_id === null ? null : (mapping[r.room_id] ?? null);
    // A single version is a booking made or cancelled: its nights, whatever the status it ends in.
    if (beds24RoomId === null || (versions.length === 2 && !isOccupying(r.status))) return null;
    return { beds24RoomId, arrival: r.check_in, departure: r.check_out };
  });
  const [before, after] = footprints;
  return footprints.length === 2 ? movedCells(before ?? null, after ?? null) : footprintCells(footprints);
}

export interface SyncHooksDeps {
  queue: Pick<SyncQueue, 'wakeAfterCommit'>;
  rooms: RoomMappingCheck;
  clock: Clock;
}

export function createSyncHooks({ queue, rooms, clock }: SyncHooksDeps): SyncHooks {
  const currentAndFuture = (trx: Trx) =>
    currentAndFutureStays(trx, clock.now()).select<Array<{ id: string; property_id: string }>>('r.id', 'r.property_id');

  /** Paused: the rows wait in the outbox, and the sweeper sends their jobs once the property resumes. */
  async function record(trx: Trx, propertyId: string, changes: Change[], paused: boolean): Promise<void> {
    await recordChanges(trx, propertyId, changes);
    if (!paused)
      queue.wakeAfterCommit(
        trx,
        propertyId,
        changes.map((change) => change.kind),
      );
  }

  async function reservationChanges(
    trx: Trx,
    reservation: ReservationRow,
    previous: ReservationRow | undefined,
  ): Promise<void> {
    const versions = previous ? [reservation, previous] : [reservation];
    const roomIds = [...new Set(versions.map((r) => r.room_id).filter((id) => id !== null))];
    const { connected, paused, mapping } = await probe(trx, reservation.property_id, roomIds);
    if (!connected) return;
    // An imported reservation without a room still takes a unit of the Beds24 room it was booked for.
    const unassignedUnit = versions.some((r) => r.room_id === null && r.booked_beds24_room_id !== null);
    const touchesMappedRoom = unassignedUnit || roomIds.some((id) => mapping[id] != null);
    const changes: Change[] = [];
    if (touchesMappedRoom) changes.push({ kind: 'availability', entityId: 'calendar' });
    if (reservation.source !== 'beds24')
      await forgetCells(trx, reservation.property_id, movedNights(versions, mapping));
    if (reservation.source !== 'beds24' && (touchesMappedRoom || reservation.beds24_booking_id !== null)) {
      changes.push({ kind: 'reservations', entityId: reservation.id });
    }
    await record(trx, reservation.property_id, changes, paused);
  }

  return {
    queueReservationSyncHook: (trx, reservation, previous) => reservationChanges(trx, reservation, previous),

    queueReservationCancelHook: (trx, reservation) => reservationChanges(trx, reservation, undefined),

    async queueRoomAvailabilitySyncHook(trx, room, previous) {
      if (!mapped(room) && !mapped(previous)) return;
      const { connected, paused } = await probe(trx, room.property_id);
      if (!connected) return;
      const changes: Change[] = [{ kind: 'availability', entityId: 'calendar' }];
      if (previous !== undefined && previous.beds24_room_id !== room.beds24_room_id) {
        // The room's bookings move with its mapping: to the new Beds24 room, or cancelled when unmapped.
        const stays = await currentAndFuture(trx).where('r.room_id', room.id);
        for (const stay of stays) changes.push({ kind: 'reservations', entityId: stay.id });
      }
      await record(trx, room.property_id, changes, paused);
    },

    async queueRoomRatesSyncHook(trx, room, previous) {
      if (!mapped(room) && !mapped(previous)) return;
      const { connected, paused } = await probe(trx, room.property_id);
      if (!connected) return;
      await record(trx, room.property_id, [{ kind: 'rates', entityId: 'calendar' }], paused);
    },

    async queueRestrictionsSyncHook(trx, propertyId, roomType, { stopSell }) {
      const mappedRoom = await trx('rooms')
        .where({ property_id: propertyId, room_type: roomType })
        .whereNotNull('beds24_room_id')
        .first<{ id: string } | undefined>('id');
      if (!mappedRoom) return;
      const { connected, paused } = await probe(trx, propertyId);
      if (!connected) return;
      await record(trx, propertyId, [{ kind: stopSell ? 'availability' : 'rates', entityId: 'calendar' }], paused);
    },

    async queueGuestSyncHook(trx, guestId) {
      const stays = await currentAndFuture(trx).where('r.guest_id', guestId);
      for (const [propertyId, list] of Map.groupBy(stays, (stay) => stay.property_id)) {
        const { connected, paused } = await probe(trx, propertyId);
        if (!connected) continue;
        const changes = list.map((stay): Change => ({ kind: 'reservations', entityId: stay.id }));
        await record(trx, propertyId, changes, paused);
      }
    },

    assertBeds24RoomMappable: (db, propertyId, beds24RoomId) => rooms.assertMappable(db, propertyId, beds24RoomId),
  };
}
