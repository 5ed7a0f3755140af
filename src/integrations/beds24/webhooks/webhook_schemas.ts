import { z } from 'zod';
import { ValidationError } from '../../../errors.ts';
import { parse } from '../../../http/validate.ts';
import { Beds24Id, CalendarDateSchema } from '../../../pms/common_schemas.ts';
import { modifiedSeconds } from '../mappers/booking_import_mapper.ts';
import type { Delivery } from '../store/inbox_store.ts';

/*
 * The two webhooks Beds24 sends, read leniently (Beds24 adds fields over time; every field not named here is
 * ignored and never stored): the booking webhook ("Webhooks - bookings", version 2) and the account's
 * inventory webhook. Only what the import needs is kept: ids, status and modifiedTime.
 */

const ModifiedTime = z
  .string()
  .max(40)
  .refine((value) => modifiedSeconds(value) !== undefined, 'must be a time YYYY-MM-DDTHH:MM:SS (UTC, or with a zone)');

export const BookingWebhookBody = z.looseObject({
  booking: z.looseObject({
    id: Beds24Id,
    propertyId: Beds24Id,
    roomId: Beds24Id,
    status: z.string().min(1, 'must not be empty').max(40),
    arrival: CalendarDateSchema,
    departure: CalendarDateSchema,
    modifiedTime: ModifiedTime,
  }),
});

export const InventoryWebhookBody = z.looseObject({
  roomId: Beds24Id,
  propId: Beds24Id,
  action: z.literal('SYNC_ROOM', 'must be "SYNC_ROOM"'),
});

const SHAPES =
  'a booking webhook {"booking": {...}} or an inventory webhook {"roomId", "propId", "action": "SYNC_ROOM"}';

/** The delivery a webhook body describes; a body of neither shape is a 400 naming the field. */
export function parseDelivery(body: unknown): Delivery {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw ValidationError.field('body', `request body must be a JSON object: ${SHAPES}`);
  }
  if ('booking' in body) {
    const { booking } = parse(BookingWebhookBody, body);
    return {
      kind: 'booking',
      beds24PropertyId: booking.propertyId,
      beds24BookingId: booking.id,
      beds24RoomId: booking.roomId,
      status: booking.status,
      modifiedTime: booking.modifiedTime,
    };
  }
  if ('action' in body || 'propId' in body || 'roomId' in body) {
    const inventory = parse(InventoryWebhookBody, body);
    return {
      kind: 'inventory',
      beds24PropertyId: inventory.propId,
      beds24BookingId: null,
      beds24RoomId: inventory.roomId,
      status: null,
      modifiedTime: null,
    };
  }
  throw ValidationError.field('booking', `required: the body must be ${SHAPES}`);
}
