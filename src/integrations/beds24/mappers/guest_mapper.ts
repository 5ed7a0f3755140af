import { z } from 'zod';
import type { GuestRow } from '../../../pms/guests/guest_schemas.ts';
import type { Beds24Booking, BookingWrite } from '../client/beds24_schemas.ts';

export type Beds24GuestFields = Pick<
  BookingWrite,
  'firstName' | 'lastName' | 'email' | 'phone' | 'address' | 'city' | 'postcode' | 'country2' | 'lang'
>;

/** Beds24's own field limits (newBooking): longer values are cut rather than refused. */
const LIMITS = {
  firstName: 100,
  lastName: 100,
  email: 100,
  phone: 100,
  address: 250,
  city: 100,
  postcode: 100,
} as const;

/** Cuts at a character (code point) boundary, as Beds24 counts length: never half an emoji. */
function cut(value: string | null, max: number): string {
  const text = value ?? '';
  return text.length <= max ? text : Array.from(text).slice(0, max).join('');
}

/**
 * The guest's fields of a booking. Empty strings (not omitted fields) for what the PMS does not know:
 * a booking update is partial in Beds24, so an omitted field would keep a stale value forever; country2
 * is nullable in the official schema and goes out as null. The exceptions are fields whose format Beds24
 * checks (email: `format: email`; lang: exactly two characters), which have no empty value and cannot be
 * cut: they are omitted, so Beds24 keeps the last one it had.
 */
export function toBeds24Guest(guest: GuestRow): Beds24GuestFields {
  const fields: Beds24GuestFields = {
    firstName: cut(guest.first_name, LIMITS.firstName),
    lastName: cut(guest.last_name, LIMITS.lastName),
    phone: cut(guest.phone, LIMITS.phone),
    address: cut(guest.address, LIMITS.address),
    city: cut(guest.city, LIMITS.city),
    postcode: cut(guest.postcode, LIMITS.postcode),
    country2: guest.country,
  };
  // An email cut short is no email at all, and Beds24 would refuse the whole booking for it.
  if (guest.email !== null && Array.from(guest.email).length <= LIMITS.email) fields.email = guest.email;
  if (guest.language !== null) fields.lang = guest.language;
  return fields;
}

export type PmsGuestFields = Omit<GuestRow, 'id'>;

/** The PMS's own limits on guest fields (the guests table and its API): longer values are cut. */
export const PMS_GUEST_LIMITS = {
  first_name: 100,
  last_name: 100,
  email: 100,
  phone: 100,
  address: 250,
  city: 100,
  postcode: 100,
} as const;

const EMAIL = z.email();

/**
 * Text from Beds24 as the PMS can store it: trimmed, without NUL characters (PostgreSQL text cannot hold
 * them), cut at a character boundary to `max`; blank is null.
 */
export function importedText(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const text = cut(value.replaceAll('\u0000', '').trim(), max).trim();
  return text === '' ? null : text;
}

export interface GuestPlaceholders {
  firstName: string;
  lastName: string;
}

const UNKNOWN_GUEST: GuestPlaceholders = { firstName: 'Unknown', lastName: 'Guest' };

/**
 * A Beds24 booking's guest as PMS guest fields (for bookings that come from Beds24). Missing names become
 * the placeholders (by default "Unknown" "Guest"); values are cut to the PMS's limits; an email that is not
 * a valid address (or would have to be cut) is dropped; country and language only as two-letter codes.
 */
export function fromBeds24Guest(
  booking: Beds24Booking,
  placeholders: GuestPlaceholders = UNKNOWN_GUEST,
): PmsGuestFields {
  const field = (key: string): unknown => (booking as Record<string, unknown>)[key];
  const text = (key: string, max: number): string | null => importedText(field(key), max);
  const code = (key: string): string | null => {
    const raw = field(key);
    const value = typeof raw === 'string' ? raw.trim() : '';
    return /^[A-Za-z]{2}$/.test(value) ? value : null;
  };
  const rawEmail = importedText(field('email'), Number.MAX_SAFE_INTEGER);
  const fits = rawEmail !== null && Array.from(rawEmail).length <= PMS_GUEST_LIMITS.email;
  const email = fits && EMAIL.safeParse(rawEmail).success ? rawEmail : null;
  return {
    first_name: text('firstName', PMS_GUEST_LIMITS.first_name) ?? placeholders.firstName,
    last_name: text('lastName', PMS_GUEST_LIMITS.last_name) ?? placeholders.lastName,
    email,
    phone: text('phone', PMS_GUEST_LIMITS.phone) ?? text('mobile', PMS_GUEST_LIMITS.phone),
    address: text('address', PMS_GUEST_LIMITS.address),
    city: text('city', PMS_GUEST_LIMITS.city),
    postcode: text('postcode', PMS_GUEST_LIMITS.postcode),
    country: code('country2')?.toUpperCase() ?? null,
    language: code('lang')?.toLowerCase() ?? null,
  };
}
