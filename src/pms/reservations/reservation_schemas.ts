import { z } from 'zod';
import { PaginationQuery } from '../../http/pagination.ts';
import { Beds24Id, CalendarDateSchema, Id, Money, optionalText, patchOf } from '../common_schemas.ts';
import { CreateGuestBody, type GuestRow } from '../guests/guest_schemas.ts';

export const RESERVATION_STATUSES = [
  'pending',
  'confirmed',
  'checked_in',
  'checked_out',
  'cancelled',
  'no_show',
] as const;
export const RESERVATION_SOURCES = ['direct', 'phone', 'email', 'walk_in', 'website', 'beds24'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];
export type ReservationSource = (typeof RESERVATION_SOURCES)[number];

const count = z.number().int('must be an integer');

const reservationFields = {
  room_id: Id,
  guest_id: Id,
  check_in: CalendarDateSchema,
  check_out: CalendarDateSchema,
  adults: count.min(1, 'must be at least 1').max(99),
  children: count.min(0).max(99),
  status: z.enum(RESERVATION_STATUSES),
  total_price: Money.nullable(),
  notes: optionalText(2000),
};

export const CreateReservationBody = z
  .strictObject({
    ...reservationFields,
    guest_id: Id.optional(),
    guest: CreateGuestBody.optional(),
    children: reservationFields.children.default(0),
    status: reservationFields.status.default('confirmed'),
    source: z.enum(RESERVATION_SOURCES).default('direct'),
    total_price: reservationFields.total_price.optional(),
    beds24_booking_id: Beds24Id.optional(),
  })
  .superRefine((body, ctx) => {
    if ((body.guest_id === undefined) === (body.guest === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['guest_id'], message: 'send exactly one of guest_id and guest' });
    }
    if (body.beds24_booking_id !== undefined && body.source !== 'beds24') {
      ctx.addIssue({ code: 'custom', path: ['beds24_booking_id'], message: 'is accepted only with source "beds24"' });
    }
  });
export type CreateReservationInput = z.infer<typeof CreateReservationBody>;

export const UpdateReservationBody = patchOf(reservationFields);
export type UpdateReservationInput = z.infer<typeof UpdateReservationBody>;

export const ListReservationsQuery = z
  .strictObject({
    property_id: Id.optional(),
    room_id: Id.optional(),
    from: CalendarDateSchema.optional(),
    to: CalendarDateSchema.optional(),
    status: z.enum(RESERVATION_STATUSES).optional(),
    unassigned: z.enum(['true', 'false'], 'must be true or false').optional(),
    ...PaginationQuery,
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, {
    path: ['to'],
    message: 'must be after from',
  })
  .refine((q) => q.unassigned !== 'true' || q.room_id === undefined, {
    path: ['unassigned'],
    message: 'cannot be combined with room_id: an unassigned reservation has no room',
  });
export type ListReservationsFilter = z.infer<typeof ListReservationsQuery>;

export interface ReservationRow {
  id: string;
  property_id: string;
  /** Null only for a reservation imported from Beds24 that found no free room (an overbooking). */
  room_id: string | null;
  guest_id: string;
  check_in: string;
  check_out: string;
  adults: number;
  children: number;
  status: ReservationStatus;
  source: ReservationSource;
  total_price: number | null;
  notes: string | null;
  beds24_booking_id: number | null;
  /** Imported reservations: the Beds24 room the booking is for, whatever PMS room holds it. */
  booked_beds24_room_id: number | null;
  /** Imported reservations: which unit (1..roomQty) of the Beds24 booking this is. */
  beds24_unit: number | null;
  beds24_channel: string | null;
  beds24_api_reference: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface ReservationSyncView {
  state: 'pending' | 'synced' | 'failed' | 'skipped';
  last_pushed_at: string | null;
  last_error: string | null;
}

export type Reservation = ReservationRow & {
  guest: GuestRow;
  /** The room's Beds24 room when a room is assigned, else the booked one. */
  beds24_room_id: number | null;
  beds24_sync: ReservationSyncView | null;
};
