import type { Knex } from '../../../db.ts';
import type { ReservationRow } from '../../../pms/reservations/reservation_schemas.ts';
import type { RoomRow } from '../../../pms/rooms/room_schemas.ts';
import type { SyncJobs } from '../queue/sync_jobs.ts';
import { isPushEnabled, loadBeds24Config } from '../services/beds24_connections.ts';

type Trx = Knex.Transaction;

/**
 * What the PMS controllers call, inside the transaction of the edit. Each hook decides whether the edit
 * can change what Beds24 shows and, if so, records it; the worker re-checks everything when it runs
 * (toggles flipped in SQL meanwhile, mappings changed), so a hook may err on the side of queueing.
 */
export interface SyncHooks {
  queueReservationSyncHook(trx: Trx, reservation: ReservationRow, previous?: ReservationRow): Promise<void>;
  queueReservationCancelHook(trx: Trx, reservation: ReservationRow): Promise<void>;
  queueRoomAvailabilitySyncHook(trx: Trx, room: RoomRow, previous?: RoomRow): Promise<void>;
  queueRoomRatesSyncHook(trx: Trx, room: RoomRow, previous?: RoomRow): Promise<void>;
  queueAllRoomsAvailabilitySyncHook(trx: Trx, propertyId: string, from: string, to: string): Promise<void>;
  queueGuestSyncHook(trx: Trx, guestId: string): Promise<void>;
}

const mapped = (room: Pick<RoomRow, 'beds24_room_id'> | undefined): boolean => room?.beds24_room_id != null;

/** Reservations of these rooms (or this guest) whose stay is not over: the ones Beds24 still cares about. */
function currentAndFuture(trx: Trx) {
  return trx('reservations')
    .whereNot({ source: 'beds24' })
    .whereRaw('check_out >= current_date - 1')
    .select('id', 'property_id');
}

export function createSyncHooks(jobs: SyncJobs): SyncHooks {
  async function enabled(trx: Trx, propertyId: string): Promise<boolean> {
    return isPushEnabled(await loadBeds24Config(trx, propertyId));
  }

  async function roomsById(trx: Trx, ids: string[]): Promise<Map<string, Pick<RoomRow, 'id' | 'beds24_room_id'>>> {
    const rows: Array<Pick<RoomRow, 'id' | 'beds24_room_id'>> = await trx('rooms').whereIn('id', ids).select('id', 'beds24_room_id');
    return new Map(rows.map((row) => [row.id, row]));
  }

  const hooks: SyncHooks = {
    async queueReservationSyncHook(trx, reservation, previous) {
      if (!(await enabled(trx, reservation.property_id))) return;
      const rooms = await roomsById(trx, [reservation.room_id, previous?.room_id ?? reservation.room_id]);
      const touchesMappedRoom = mapped(rooms.get(reservation.room_id)) || (previous !== undefined && mapped(rooms.get(previous.room_id)));
      if (touchesMappedRoom) await jobs.queueAvailabilitySync(trx, reservation.property_id);
      if (reservation.source === 'beds24') return;
      if (touchesMappedRoom || reservation.beds24_booking_id !== null) {
        await jobs.queueReservationSync(trx, reservation.property_id, [reservation.id], previous ? 'update' : 'create');
      }
    },

    async queueReservationCancelHook(trx, reservation) {
      if (!(await enabled(trx, reservation.property_id))) return;
      const rooms = await roomsById(trx, [reservation.room_id]);
      if (mapped(rooms.get(reservation.room_id))) await jobs.queueAvailabilitySync(trx, reservation.property_id);
      if (reservation.source !== 'beds24') {
        await jobs.queueReservationSync(trx, reservation.property_id, [reservation.id], 'cancel');
      }
    },

    async queueRoomAvailabilitySyncHook(trx, room, previous) {
      if (!(await enabled(trx, room.property_id))) return;
      if (!mapped(room) && !mapped(previous)) return;
      await jobs.queueAvailabilitySync(trx, room.property_id);
      if (previous !== undefined && previous.beds24_room_id !== room.beds24_room_id) {
        // The room's bookings move with its mapping: to the new Beds24 room, or cancelled when unmapped.
        const stays: Array<{ id: string }> = await currentAndFuture(trx).where({ room_id: room.id });
        await jobs.queueReservationSync(trx, room.property_id, stays.map((s) => s.id), 'update');
      }
    },

    async queueRoomRatesSyncHook(trx, room, previous) {
      if (!(await enabled(trx, room.property_id))) return;
      if (mapped(room) || mapped(previous)) await jobs.queueRatesSync(trx, room.property_id);
    },

    async queueAllRoomsAvailabilitySyncHook(trx, propertyId, from, to) {
      if (!(await enabled(trx, propertyId))) return;
      await jobs.queuePropertyResync(trx, propertyId, from, to);
    },

    async queueGuestSyncHook(trx, guestId) {
      const stays: Array<{ id: string; property_id: string }> = await currentAndFuture(trx).where({ guest_id: guestId });
      const byProperty = Map.groupBy(stays, (stay) => stay.property_id);
      for (const [propertyId, list] of byProperty) {
        if (await enabled(trx, propertyId)) {
          await jobs.queueReservationSync(trx, propertyId, list.map((s) => s.id), 'update');
        }
      }
    },
  };
  return hooks;
}
