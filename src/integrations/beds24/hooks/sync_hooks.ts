import type { Clock } from '../../../clock.ts';
import type { Knex } from '../../../db.ts';
import type { ReservationRow } from '../../../pms/reservations/reservation_schemas.ts';
import type { RoomRow } from '../../../pms/rooms/room_schemas.ts';
import type { Change, SyncJobs } from '../queue/sync_jobs.ts';
import { currentAndFutureStays } from '../services/current_stays.ts';

type Trx = Knex.Transaction;

/**
 * What the PMS controllers call, inside the transaction of the edit. Each hook decides whether the edit
 * can change what Beds24 shows and, if so, records it; the worker re-checks everything when it runs
 * (toggles flipped in SQL meanwhile, mappings changed), so a hook may err on the side of queueing.
 * A hook costs the edit two short statements: one look-up, one outbox write.
 */
export interface SyncHooks {
  queueReservationSyncHook(trx: Trx, reservation: ReservationRow, previous?: ReservationRow): Promise<void>;
  queueReservationCancelHook(trx: Trx, reservation: ReservationRow): Promise<void>;
  queueRoomAvailabilitySyncHook(trx: Trx, room: RoomRow, previous?: RoomRow): Promise<void>;
  queueRoomRatesSyncHook(trx: Trx, room: RoomRow, previous?: RoomRow): Promise<void>;
  queueAllRoomsAvailabilitySyncHook(trx: Trx, propertyId: string, from: string, to: string): Promise<void>;
  queueGuestSyncHook(trx: Trx, guestId: string): Promise<void>;
}

interface Probe {
  enabled: boolean;
  /** Room id → its Beds24 room id (null when unmapped), for the rooms asked about. */
  mapping: Record<string, number | null>;
}

const mapped = (room: Pick<RoomRow, 'beds24_room_id'> | undefined): boolean => room?.beds24_room_id != null;

/** The property's push toggles and the mapping of the given rooms, in one round trip. */
async function probe(trx: Trx, propertyId: string, roomIds: string[] = []): Promise<Probe> {
  const { rows }: { rows: Array<{ enabled: boolean; mapping: Record<string, number | null> }> } = await trx.raw(
    `select c.sync_enabled and c.push_sync_enabled and c.refresh_token is not null as enabled,
            coalesce((select json_object_agg(r.id, r.beds24_room_id) from rooms r where r.id = any(?::uuid[])), '{}'::json) as mapping
     from beds24_config c where c.property_id = ?`,
    [roomIds, propertyId],
  );
  return rows[0] ?? { enabled: false, mapping: {} };
}

export function createSyncHooks(jobs: SyncJobs, clock: Clock): SyncHooks {
  const currentAndFuture = (trx: Trx) => currentAndFutureStays(trx, clock.now()).select('r.id', 'r.property_id');

  async function reservationChanges(trx: Trx, reservation: ReservationRow, previous: ReservationRow | undefined): Promise<void> {
    const roomIds = previous && previous.room_id !== reservation.room_id ? [reservation.room_id, previous.room_id] : [reservation.room_id];
    const { enabled, mapping } = await probe(trx, reservation.property_id, roomIds);
    if (!enabled) return;
    const touchesMappedRoom = roomIds.some((id) => mapping[id] != null);
    const changes: Change[] = [];
    if (touchesMappedRoom) changes.push({ kind: 'availability', entityId: 'calendar' });
    if (reservation.source !== 'beds24' && (touchesMappedRoom || reservation.beds24_booking_id !== null)) {
      changes.push({ kind: 'reservation', entityId: reservation.id });
    }
    await jobs.record(trx, reservation.property_id, changes);
  }

  return {
    queueReservationSyncHook: (trx, reservation, previous) => reservationChanges(trx, reservation, previous),

    queueReservationCancelHook: (trx, reservation) => reservationChanges(trx, reservation, undefined),

    async queueRoomAvailabilitySyncHook(trx, room, previous) {
      if (!mapped(room) && !mapped(previous)) return;
      if (!(await probe(trx, room.property_id)).enabled) return;
      const changes: Change[] = [{ kind: 'availability', entityId: 'calendar' }];
      if (previous !== undefined && previous.beds24_room_id !== room.beds24_room_id) {
        // The room's bookings move with its mapping: to the new Beds24 room, or cancelled when unmapped.
        const stays: Array<{ id: string }> = await currentAndFuture(trx).where('r.room_id', room.id);
        for (const stay of stays) changes.push({ kind: 'reservation', entityId: stay.id });
      }
      await jobs.record(trx, room.property_id, changes);
    },

    async queueRoomRatesSyncHook(trx, room, previous) {
      if (!mapped(room) && !mapped(previous)) return;
      if ((await probe(trx, room.property_id)).enabled) await jobs.queueRatesSync(trx, room.property_id);
    },

    async queueAllRoomsAvailabilitySyncHook(trx, propertyId, from, to) {
      if ((await probe(trx, propertyId)).enabled) await jobs.queuePropertyResync(trx, propertyId, from, to);
    },

    async queueGuestSyncHook(trx, guestId) {
      const stays: Array<{ id: string; property_id: string }> = await currentAndFuture(trx)
        .where('r.guest_id', guestId);
      for (const [propertyId, list] of Map.groupBy(stays, (stay) => stay.property_id)) {
        if ((await probe(trx, propertyId)).enabled) await jobs.queueReservationSync(trx, propertyId, list.map((s) => s.id), 'update');
      }
    },
  };
}
