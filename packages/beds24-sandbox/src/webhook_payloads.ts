import type { BookingChange } from './booking_change.ts';
import { PERSONAL_FIELDS, bookingGroupOf, bookingView } from './booking_store.ts';
import type { SandboxState } from './sandbox_state.ts';
import { formatTimestamp } from './sandbox_time.ts';
import type { WebhookNotification } from './webhook_sender.ts';

/**
 * Whether Beds24 sends the property's booking webhook for a change: always for changes it makes itself
 * (channel bookings: create, modify, cancel), for API writes only with `actions.allowWebhooks` and a
 * change of status, dates, room, unit or roomQty (spec `bookingActions.allowWebhooks`). A deletion sends
 * none: the booking no longer exists to be described.
 */
export function firesBookingWebhook(change: BookingChange): boolean {
  if (change.kind === 'deleted') return false;
  if (change.source === 'admin') return true;
  return change.allowWebhooks && change.availabilityFieldsChanged;
}

/**
 * The property's booking webhook for a change, or undefined when none is configured. The body is the
 * booking as it is at the change (not at delivery), so a late delivery carries stale content, as a
 * queued Beds24 notification can.
 */
export function bookingNotification(state: SandboxState, change: BookingChange): WebhookNotification | undefined {
  const booking = change.booking;
  const config = state.properties.get(booking.propertyId)?.webhooks;
  if (config === undefined || config.url.trim() === '') return undefined;
  const now = state.now();
  const base = {
    kind: 'booking' as const,
    accountId: change.accountId,
    bookingId: booking.id,
    roomId: booking.roomId,
    status: booking.status,
    eventAt: now.toISOString(),
    url: config.url,
    customHeader: config.customHeader,
  };
  if (config.version === 'one') {
    // Version one's real format is not modelled: a minimal stand-in with its unreliable status word.
    const status = booking.status === 'cancelled' ? 'cancel' : change.kind === 'created' ? 'new' : 'modify';
    const body = { bookId: booking.id, propId: booking.propertyId, roomId: booking.roomId, status };
    return { ...base, body: () => body };
  }
  const group = bookingGroupOf(state, booking);
  const full = bookingView(booking, { infoItems: true, invoiceItems: true, bookingGroup: true, group });
  const { infoItems, invoiceItems, ...bookingFields } = full;
  if (config.version === 'twoNoPersonalData') {
    for (const field of PERSONAL_FIELDS) {
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- Beds24's JSON booking, minus these fields
      delete bookingFields[field];
    }
  }
  const messages: unknown[] = [];
  const payload = { timeStamp: formatTimestamp(now), booking: bookingFields, infoItems, invoiceItems, messages };
  return { ...base, body: (retries) => ({ ...structuredClone(payload), retries }) };
}

/** Rooms whose availability a booking change moved: the room it left and the room it took. */
export function roomsTouched(change: BookingChange): number[] {
  if (JSON.stringify(change.before) === JSON.stringify(change.after)) return [];
  const rooms = new Set<number>();
  if (change.before !== null) rooms.add(change.before.roomId);
  if (change.after !== null) rooms.add(change.after.roomId);
  return [...rooms];
}

/** The account's inventory webhook for one room, or undefined when the account has none. */
export function inventoryNotification(state: SandboxState, roomId: number): WebhookNotification | undefined {
  const room = state.rooms.get(roomId);
  if (room === undefined) return undefined;
  const config = state.accounts.get(room.accountId)?.inventoryWebhook;
  if (config === undefined || config === null || config.url.trim() === '') return undefined;
  const body = { roomId: room.id, propId: room.propertyId, ownerId: room.accountId, action: 'SYNC_ROOM' };
  return {
    kind: 'inventory',
    accountId: room.accountId,
    bookingId: null,
    roomId: room.id,
    status: null,
    eventAt: state.now().toISOString(),
    url: config.url,
    customHeader: config.customHeader,
    body: () => body,
  };
}
