import { z } from 'zod';
import { optionalText, patchOf, text } from '../common_schemas.ts';

// Lengths follow Beds24's booking fields, so whatever the PMS accepts can be pushed unchanged.
const guestFields = {
  first_name: text(100),
  last_name: text(100),
  email: z.email('must be an email address').max(100).nullable().optional(),
  phone: optionalText(100),
  address: optionalText(250),
  city: optionalText(100),
  postcode: optionalText(100),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as DE')
    .transform((value) => value.toUpperCase())
    .nullable()
    .optional(),
  language: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be a two-letter language code such as en')
    .transform((value) => value.toLowerCase())
    .nullable()
    .optional(),
};

export const CreateGuestBody = z.strictObject(guestFields);
export type CreateGuestInput = z.infer<typeof CreateGuestBody>;

export const UpdateGuestBody = patchOf(guestFields);
export type UpdateGuestInput = z.infer<typeof UpdateGuestBody>;

export const GUEST_COLUMNS = [
  'id',
  'first_name',
  'last_name',
  'email',
  'phone',
  'address',
  'city',
  'postcode',
  'country',
  'language',
] as const;

export interface GuestRow {
  id: string;
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  city: string | null;
  postcode: string | null;
  country: string | null;
  language: string | null;
}
