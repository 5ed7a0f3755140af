import { z } from 'zod';
import { isCalendarDate } from '../../../utils/dates.ts';

/*
 * Shapes of what we send to and read from Beds24 API v2. Answers are validated with these before use;
 * loose objects because Beds24 adds fields over time and we must not break on them.
 */

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const num = z.coerce.number();

export const TokenAnswer = z.looseObject({
  token: z.string().min(1),
  expiresIn: z.number().int().positive().optional(),
});
export type TokenAnswer = z.infer<typeof TokenAnswer>;

export const SetupAnswer = TokenAnswer.extend({ refreshToken: z.string().min(1) });
export type SetupAnswer = z.infer<typeof SetupAnswer>;

export const AuthDetailsAnswer = z.looseObject({
  validToken: z.boolean(),
  token: z.looseObject({ ownerId: z.number().int().optional(), scopes: z.array(z.string()).optional() }).optional(),
});
export type AuthDetailsAnswer = z.infer<typeof AuthDetailsAnswer>;

export const UnsuccessfulAnswer = z.looseObject({
  success: z.literal(false),
  error: z.string().optional(),
  code: z.number().optional(),
});

export const ItemMessage = z.looseObject({
  action: z.string().optional(),
  field: z.string().optional(),
  message: z.string(),
});
export type ItemMessage = z.infer<typeof ItemMessage>;

export const PostResultItem = z.looseObject({
  success: z.boolean(),
  new: z.looseObject({ id: z.number().int().optional() }).optional(),
  modified: z.looseObject({ id: z.number().int().optional() }).optional(),
  errors: z.array(ItemMessage).optional(),
  warnings: z.array(ItemMessage).optional(),
  info: z.array(ItemMessage).optional(),
  roomId: z.number().int().optional(),
});
export type PostResultItem = z.infer<typeof PostResultItem>;
export const PostResults = z.array(PostResultItem);

const Pages = z.looseObject({ nextPageExists: z.boolean().optional(), nextPageLink: z.string().nullable().optional() });

const InfoItem = z.looseObject({
  id: z.number().int().optional(),
  code: z.string().optional(),
  text: z.string().optional(),
});

/*
 * Booking fields are read leniently: one odd value (a number where text is expected, "" for a number, a
 * null) must not make a whole page of bookings unreadable. A value of the wrong kind reads as absent;
 * what it means for an import is the mapper's business.
 */

/** Text: a string as sent, a number as its digits, anything else null. */
const lenientText = z
  .unknown()
  .transform((value): string | null => {
    if (typeof value === 'string') return value;
    return typeof value === 'number' && Number.isFinite(value) ? String(value) : null;
  })
  .optional();

/** Whole numbers, also sent as numeric strings ("2"); anything else absent. */
const lenientInt = z
  .unknown()
  .transform((value): number | undefined => {
    if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
    if (typeof value === 'string' && /^\s*-?\d{1,15}\s*$/.test(value)) return Number(value);
    return undefined;
  })
  .optional();

/** Decimals ("120.50", 120.5); "", null and anything unreadable are null (no value). */
const lenientDecimal = z
  .unknown()
  .transform((value): number | null => {
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    if (typeof value === 'string' && /^\s*-?(\d+(\.\d*)?|\.\d+)\s*$/.test(value)) return Number(value);
    return null;
  })
  .optional();

/** A real calendar date YYYY-MM-DD (not 2027-02-30); anything else absent. */
const lenientDate = z
  .unknown()
  .transform((value): string | undefined => {
    const text = typeof value === 'string' ? value.trim() : '';
    return isCalendarDate(text) ? text : undefined;
  })
  .optional();

const lenientStatus = z
  .unknown()
  .transform((value): string | undefined => (typeof value === 'string' ? value : undefined))
  .optional();

const customFields = Object.fromEntries(
  Array.from({ length: 10 }, (_, i) => [`custom${i + 1}`, lenientText]),
) as Record<`custom${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10}`, typeof lenientText>;

export const Beds24Booking = z.looseObject({
  id: z.number().int(),
  propertyId: lenientInt,
  roomId: lenientInt,
  roomQty: lenientInt,
  masterId: lenientInt,
  status: lenientStatus,
  arrival: lenientDate,
  departure: lenientDate,
  numAdult: lenientInt,
  numChild: lenientInt,
  price: lenientDecimal,
  firstName: lenientText,
  lastName: lenientText,
  email: lenientText,
  phone: lenientText,
  mobile: lenientText,
  address: lenientText,
  city: lenientText,
  postcode: lenientText,
  country2: lenientText,
  lang: lenientText,
  notes: lenientText,
  comments: lenientText,
  channel: lenientText,
  apiReference: lenientText,
  bookingTime: lenientText,
  modifiedTime: lenientText,
  cancelTime: lenientText,
  infoItems: z.array(InfoItem).optional().catch(undefined),
  ...customFields,
});
export type Beds24Booking = z.infer<typeof Beds24Booking>;

export const BookingsAnswer = z.looseObject({
  success: z.boolean(),
  data: z.array(Beds24Booking),
  pages: Pages.optional(),
});

const priceFields = Object.fromEntries(
  Array.from({ length: 16 }, (_, i) => [`price${i + 1}`, num.nullable().optional()]),
) as Record<`price${number}`, z.ZodOptional<z.ZodNullable<z.ZodCoercedNumber>>>;

export const CalendarRange = z.looseObject({
  from: date,
  to: date,
  numAvail: num.nullable().optional(),
  minStay: num.nullable().optional(),
  maxStay: num.nullable().optional(),
  override: z.string().nullable().optional(),
  ...priceFields,
});
export type CalendarRange = z.infer<typeof CalendarRange>;

export const CalendarAnswer = z.looseObject({
  success: z.boolean(),
  data: z.array(
    z.looseObject({
      roomId: z.number().int(),
      propertyId: z.number().int().optional(),
      calendar: z.array(CalendarRange),
    }),
  ),
  pages: Pages.optional(),
});

export type CalendarRoom = z.infer<typeof CalendarAnswer>['data'][number];

export const PropertiesAnswer = z.looseObject({
  success: z.boolean(),
  data: z.array(
    z.looseObject({
      id: z.number().int(),
      name: z.string().optional(),
      roomTypes: z
        .array(
          z.looseObject({
            id: z.number().int(),
            name: z.string().optional(),
            qty: z.number().int().optional(),
            // The room's own stay limits: GET calendar shows them on days whose calendar sets none.
            minStay: num.nullable().optional().catch(undefined),
            maxStay: num.nullable().optional().catch(undefined),
          }),
        )
        .optional(),
    }),
  ),
  pages: Pages.optional(),
});
export type Beds24Property = z.infer<typeof PropertiesAnswer>['data'][number];

/** Every status a Beds24 booking can have; `GET /bookings` leaves `cancelled` out unless asked for all. */
export const BOOKING_STATUSES = ['confirmed', 'request', 'new', 'cancelled', 'black', 'inquiry'] as const;
export type Beds24BookingStatus = (typeof BOOKING_STATUSES)[number];

/** One item of `POST /bookings`: omit `id` to create, include it to modify (see the official `newBooking`). */
export interface BookingWrite {
  id?: number;
  roomId?: number;
  status?: Beds24BookingStatus;
  arrival?: string;
  departure?: string;
  numAdult?: number;
  numChild?: number;
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  address?: string;
  city?: string;
  postcode?: string;
  country2?: string | null;
  lang?: string;
  notes?: string;
  price?: number;
  refererEditable?: string;
  custom10?: string;
  actions?: { checkAvailability?: boolean; allowWebhooks?: boolean };
}

/** One item of `POST /properties`: an existing property (`id`) and the settings to change. */
export interface PropertyWrite {
  id: number;
  webhooks?: {
    version: 'one' | 'twoNoPersonalData' | 'twoWithPersonalData';
    url: string;
    additionalData: 'none' | 'CVC' | 'token' | 'CVCAndToken';
    customHeader: string;
  };
}

/** One room of `POST /inventory/rooms/calendar`; `to` is inclusive. */
export interface CalendarWrite {
  roomId: number;
  calendar: Array<{
    from: string;
    to: string;
    numAvail?: number | null;
    price1?: number | null;
    minStay?: number | null;
    maxStay?: number | null;
    override?: 'none' | 'blackout' | 'exception' | 'noCheckIn' | 'noCheckOut' | 'noCheckInOrCheckOut';
  }>;
}

export interface BookingsQuery {
  id?: number[];
  propertyId?: number[];
  roomId?: number[];
  status?: Beds24BookingStatus[];
  arrivalFrom?: string;
  arrivalTo?: string;
  departureFrom?: string;
  departureTo?: string;
  modifiedFrom?: string;
  searchString?: string;
  includeInfoItems?: boolean;
}

export interface CalendarQuery {
  startDate: string;
  endDate: string;
  roomId?: number[];
  propertyId?: number[];
  includeNumAvail?: boolean;
  includePrices?: boolean;
  includeMinStay?: boolean;
  includeMaxStay?: boolean;
  includeOverride?: boolean;
}
