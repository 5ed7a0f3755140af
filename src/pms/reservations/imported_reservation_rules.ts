import type { ReservationRow, ReservationStatus, UpdateReservationInput } from './reservation_schemas.ts';

/**
 * A reservation imported from Beds24 belongs to the channel that sold it: its dates, guests and price are
 * changed in Beds24 or at the channel and come back with the next import, so the PMS refuses to change
 * them. Staff keep what is theirs: which room holds the stay, the notes, and the front-desk statuses,
 * which later imports keep unless Beds24 cancels the booking.
 */
export const STAFF_FIELDS_OF_IMPORTED = ['room_id', 'notes', 'status'] as const;
export const FRONT_DESK_STATUSES = [
  'checked_in',
  'checked_out',
  'no_show',
] as const satisfies readonly ReservationStatus[];

export type ImportedOrigin = Pick<ReservationRow, 'beds24_booking_id' | 'beds24_channel'>;

export function isImported(reservation: Pick<ReservationRow, 'source'>): boolean {
  return reservation.source === 'beds24';
}

/** "this reservation came from Beds24 (booking 123, channel booking)" */
export function importedOrigin({ beds24_booking_id, beds24_channel }: ImportedOrigin): string {
  const parts = [
    beds24_booking_id === null ? undefined : `booking ${beds24_booking_id}`,
    beds24_channel === null || beds24_channel === '' ? undefined : `channel ${beds24_channel}`,
  ].filter((part) => part !== undefined);
  return `this reservation came from Beds24${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

/** The fields of a PATCH whose value differs from the reservation's: sending a field unchanged is no change. */
export function changedFields(
  current: ReservationRow,
  changes: UpdateReservationInput,
): Array<keyof UpdateReservationInput> {
  return (Object.keys(changes) as Array<keyof UpdateReservationInput>).filter((field) => {
    const value = changes[field];
    return value !== undefined && value !== current[field];
  });
}

const isFrontDesk = (status: ReservationStatus): boolean => (FRONT_DESK_STATUSES as readonly string[]).includes(status);

/**
 * Why staff may not make this change to an imported reservation, or undefined when they may. The room
 * change itself (same Beds24 room, free nights) is checked against the database by the caller.
 */
export function importedChangeRefusal(current: ReservationRow, changes: UpdateReservationInput): string | undefined {
  const changed = changedFields(current, changes);
  const origin = importedOrigin(current);
  const locked = changed.filter((field) => !(STAFF_FIELDS_OF_IMPORTED as readonly string[]).includes(field));
  if (locked.length > 0) {
    return (
      `${origin}: its dates, guests and price are changed in Beds24 or at the channel, not here ` +
      `(refused: ${locked.join(', ')}); staff may change room_id, notes, ` +
      'and status to checked_in, checked_out or no_show'
    );
  }
  const status = changes.status;
  if (status === undefined || !changed.includes('status')) return undefined;
  if (current.status === 'cancelled') {
    return `${origin}: the booking is cancelled in Beds24; a guest who comes anyway needs a new reservation`;
  }
  if (!isFrontDesk(status)) {
    return (
      `${origin}: its status is changed in Beds24 or at the channel; ` +
      `staff may set it only to checked_in, checked_out or no_show`
    );
  }
  const roomId = changes.room_id ?? current.room_id;
  if (roomId === null && status !== 'no_show') {
    return `${origin} and has no room (an overbooking): assign a room (room_id) before setting it ${status}`;
  }
  return undefined;
}
