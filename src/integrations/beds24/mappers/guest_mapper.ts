import type { GuestRow } from '../../../pms/guests/guest_schemas.ts';
import type { Beds24Booking, BookingWrite } from '../client/beds24_schemas.ts';

export type Beds24GuestFields = Pick<BookingWrite, 'firstName' | 'lastName' | 'email' | 'phone' | 'address' | 'city' | 'postcode' | 'country2' | 'lang'>;

/** Beds24's own field limits (newBooking): longer values are cut rather than refused. */
const LIMITS = { firstName: 100, lastName: 100, email: 100, phone: 100, address: 250, city: 100, postcode: 100 } as const;

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

/** A Beds24 booking's guest as PMS guest fields (for bookings that come from Beds24). */
export function fromBeds24Guest(booking: Beds24Booking): PmsGuestFields {
  const text = (key: string): string | null => {
    const value = (booking as Record<string, unknown>)[key];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
  };
  const country = text('country2');
  const language = text('lang');
  return {
    first_name: text('firstName') ?? 'Unknown',
    last_name: text('lastName') ?? 'Guest',
    email: text('email'),
    phone: text('phone') ?? text('mobile'),
    address: text('address'),
    city: text('city'),
    postcode: text('postcode'),
    country: country && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : null,
    language: language && /^[A-Za-z]{2}$/.test(language) ? language.toLowerCase() : null,
  };
}
