import { z } from 'zod';
import { isCalendarDate, isTimeZone } from '../utils/dates.ts';

export const Id = z.uuid('must be a UUID');

export const IdParams = z.strictObject({ id: Id });

export const CalendarDateSchema = z.string().refine(isCalendarDate, 'must be a calendar date YYYY-MM-DD');

/** Money: at most 2 decimals, within what Beds24 accepts (0 to 99,999,999.99). */
export const Money = z
  .number()
  .min(0)
  .max(99_999_999.99)
  .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, 'must have at most 2 decimals');

export const Beds24Id = z.number().int('must be an integer').positive().max(2_147_483_647);

export const TimeZone = z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin');

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
export const Currency = z
  .string()
  .transform((value) => value.toUpperCase())
  .refine((value) => CURRENCIES.has(value), 'must be an ISO 4217 currency code such as EUR');

// PostgreSQL text cannot hold a NUL character: refuse it here rather than fail in the database.
const noNul = (value: string): boolean => !value.includes('\u0000');
const NUL_MESSAGE = 'must not contain the NUL character';

export function text(max: number) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine(noNul, NUL_MESSAGE);
}

export function optionalText(max: number) {
  return z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine(noNul, NUL_MESSAGE)
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional();
}

/** A PATCH body: any of the fields, unknown ones refused, and at least one of them. */
export function patchOf<T extends z.core.$ZodLooseShape>(fields: T) {
  return z
    .strictObject(fields)
    .partial()
    .refine((body) => Object.keys(body).length > 0, 'send at least one field to change');
}

export const OCCUPYING_STATUSES = ['pending', 'confirmed', 'checked_in'] as const;

/** Whether a reservation in this status holds its room on its nights. */
export function isOccupying(status: string): boolean {
  return (OCCUPYING_STATUSES as readonly string[]).includes(status);
}
