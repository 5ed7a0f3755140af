import type { RequestHandler } from 'express';
import { inTransaction } from '../../db/transaction.ts';
import type { Knex } from '../../db.ts';
import type { SyncHooks } from '../../integrations/beds24/hooks/sync_hooks.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { parse } from '../../http/validate.ts';
import { IdParams, isOccupying } from '../common_schemas.ts';
import { findGuest, insertGuest } from '../guests/guests_repository.ts';
import type { RoomRow } from '../rooms/room_schemas.ts';
import { lockRoom } from '../rooms/rooms_repository.ts';
import { importedChangeRefusal, importedOrigin, isImported } from './imported_reservation_rules.ts';
import { assertStayRules } from './reservation_rules.ts';
import {
  CreateReservationBody,
  ListReservationsQuery,
  UpdateReservationBody,
  type CreateReservationInput,
  type Reservation,
  type ReservationRow,
} from './reservation_schemas.ts';
import {
  findReservation,
  insertReservation,
  listReservations,
  lockReservation,
  updateReservationRow,
} from './reservations_repository.ts';
import { assertRoomCanHost } from './stay_conflicts.ts';

export interface ReservationsControllerDeps {
  db: Knex;
  hooks: SyncHooks;
}

export function createReservationsController({ db, hooks }: ReservationsControllerDeps) {
  async function lockBodyRoom(trx: Knex.Transaction, roomId: string): Promise<RoomRow> {
    const room = await lockRoom(trx, roomId);
    if (!room) throw ValidationError.field('room_id', 'no room with this id');
    return room;
  }

  async function assertGuestExists(trx: Knex.Transaction, guestId: string): Promise<void> {
    if (!(await findGuest(trx, guestId))) throw ValidationError.field('guest_id', 'no guest with this id');
  }

  async function resolveGuest(trx: Knex.Transaction, input: CreateReservationInput): Promise<string> {
    if (input.guest !== undefined) return (await insertGuest(trx, input.guest)).id;
    if (input.guest_id === undefined) throw ValidationError.field('guest_id', 'send exactly one of guest_id and guest');
    await assertGuestExists(trx, input.guest_id);
    return input.guest_id;
  }

  async function reload(trx: Knex.Transaction, id: string): Promise<Reservation> {
    return (await findReservation(trx, id)) as Reservation;
  }

  async function assertBookingNotRecorded(trx: Knex.Transaction, propertyId: string, bookingId: number): Promise<void> {
    const held: { id: string } | undefined = await trx('reservations')
      .where({ property_id: propertyId, source: 'beds24', beds24_booking_id: bookingId, beds24_unit: 1 })
      .first('id');
    if (held) throw new ConflictError(`Beds24 booking ${bookingId} is already reservation ${held.id}`);
  }

  /** An imported reservation moves only to an active room that sells as the Beds24 room it was booked for. */
  function assertRoomOfBooking(current: ReservationRow, room: RoomRow): void {
    const booked = current.booked_beds24_room_id;
    if (room.beds24_room_id !== booked) {
      const bookedText = booked === null ? 'no Beds24 room' : `Beds24 room ${booked}`;
      const mapping = room.beds24_room_id;
      const roomText = mapping === null ? 'is not mapped to a Beds24 room' : `is mapped to Beds24 room ${mapping}`;
      throw new ConflictError(`${importedOrigin(current)} for ${bookedText}; room ${room.number} ${roomText}`);
    }
    if (room.status !== 'active') throw new ConflictError(`room ${room.number} is inactive`);
  }

  const createReservationHandler: RequestHandler = async (req, res) => {
    const input = parse(CreateReservationBody, req.body);
    const reservation = await inTransaction(db, async (trx) => {
      const room = await lockBodyRoom(trx, input.room_id);
      assertStayRules(input, room.max_occupancy);
      if (isOccupying(input.status)) {
        await assertRoomCanHost(trx, room, { start: input.check_in, end: input.check_out });
      }
      const guestId = await resolveGuest(trx, input);
      const bookingId = input.beds24_booking_id ?? null;
      if (bookingId !== null) await assertBookingNotRecorded(trx, room.property_id, bookingId);
      const imported = input.source === 'beds24';
      const id = await insertReservation(trx, {
        property_id: room.property_id,
        room_id: room.id,
        guest_id: guestId,
        check_in: input.check_in,
        check_out: input.check_out,
        adults: input.adults,
        children: input.children,
        status: input.status,
        source: input.source,
        total_price: input.total_price ?? null,
        notes: input.notes ?? null,
        beds24_booking_id: bookingId,
        booked_beds24_room_id: imported ? room.beds24_room_id : null,
        beds24_unit: imported && bookingId !== null ? 1 : null,
      });
      const created = await reload(trx, id);
      await hooks.queueReservationSyncHook(trx, created);
      return created;
    });
    res.status(201).json(reservation);
  };

  const listReservationsHandler: RequestHandler = async (req, res) => {
    const filter = parse(ListReservationsQuery, req.query, 'query');
    res.json(await listReservations(db, filter));
  };

  const getReservationHandler: RequestHandler = async (req, res) => {
    const { id } = parse(IdParams, req.params, 'path');
    const reservation = await findReservation(db, id);
    if (!reservation) throw new NotFoundError('reservation', id);
    res.json(reservation);
  };

  const updateReservationHandler: RequestHandler = async (req, res) => {
    const { id } = parse(IdParams, req.params, 'path');
    const changes = parse(UpdateReservationBody, req.body);
    const reservation = await inTransaction(db, async (trx) => {
      const current = await lockReservation(trx, id);
      if (!current) throw new NotFoundError('reservation', id);
      const imported = isImported(current);
      if (imported) {
        const refusal = importedChangeRefusal(current, changes);
        if (refusal !== undefined) throw new ConflictError(refusal);
      }
      const roomId = changes.room_id ?? current.room_id;
      const room = roomId === null ? null : await lockBodyRoom(trx, roomId);
      if (room !== null && room.property_id !== current.property_id) {
        throw ValidationError.field('room_id', 'room belongs to another property than the reservation');
      }
      if (imported && room !== null && changes.room_id !== undefined && changes.room_id !== current.room_id) {
        assertRoomOfBooking(current, room);
      }
      const next = { ...current, ...changes };
      // An imported stay's dates and guests are the channel's, not a staff choice: the room is not refused for them.
      if (room !== null && !imported) assertStayRules(next, room.max_occupancy);
      if (changes.guest_id !== undefined) await assertGuestExists(trx, changes.guest_id);
      const stayMoved =
        next.room_id !== current.room_id || next.check_in !== current.check_in || next.check_out !== current.check_out;
      const becomesOccupying = isOccupying(next.status) && (!isOccupying(current.status) || stayMoved);
      if (room !== null && becomesOccupying) {
        await assertRoomCanHost(trx, room, { start: next.check_in, end: next.check_out }, id);
      }
      await updateReservationRow(trx, id, changes);
      const updated = await reload(trx, id);
      await hooks.queueReservationSyncHook(trx, updated, current);
      return updated;
    });
    res.json(reservation);
  };

  const deleteReservationHandler: RequestHandler = async (req, res) => {
    const { id } = parse(IdParams, req.params, 'path');
    const reservation = await inTransaction(db, async (trx) => {
      const current = await lockReservation(trx, id);
      if (!current) throw new NotFoundError('reservation', id);
      if (isImported(current)) {
        throw new ConflictError(`${importedOrigin(current)}: it is cancelled in Beds24 or at the channel, not here`);
      }
      if (current.status === 'cancelled') return reload(trx, id);
      await updateReservationRow(trx, id, { status: 'cancelled' });
      const cancelled = await reload(trx, id);
      await hooks.queueReservationCancelHook(trx, cancelled);
      return cancelled;
    });
    res.json(reservation);
  };

  return {
    createReservationHandler,
    listReservationsHandler,
    getReservationHandler,
    updateReservationHandler,
    deleteReservationHandler,
  };
}
