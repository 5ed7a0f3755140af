import { z } from 'zod';

/** Everything the sandbox stores. Declared with zod because the same shapes are re-read from `persistFile`. */

export const BOOKING_STATUSES = ['confirmed', 'request', 'new', 'cancelled', 'black', 'inquiry'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

const creditStateSchema = z.object({
  windowStartedAtMs: z.number().nullable(),
  spentMilli: z.number().int(),
});
export type CreditState = z.infer<typeof creditStateSchema>;

export const INVENTORY_MODELS = ['stored', 'cap', 'decrement'] as const;
/** What Beds24 does with an API-written numAvail when bookings change later (undocumented; see sandbox_options.ts). */
export type InventoryModel = (typeof INVENTORY_MODELS)[number];

/** A webhook target: the URL(s) (one per line) and `Name: value` header lines sent with every delivery. */
export const inventoryWebhookSchema = z.object({
  url: z.string(),
  customHeader: z.string().default(''),
});
export type InventoryWebhook = z.infer<typeof inventoryWebhookSchema>;

export const accountSchema = z.object({
  id: z.number().int(),
  creditLimit: z.number().positive(),
  windowSeconds: z.number().int().positive(),
  tokenTtlSeconds: z.number().int().positive(),
  credit: creditStateSchema,
  /** Absent: the sandbox-wide default. Snapshot version 1 files never carry it. */
  inventoryModel: z.enum(INVENTORY_MODELS).optional(),
  /** The account's inventory webhook (`SYNC_ROOM`); absent or null when off. */
  inventoryWebhook: inventoryWebhookSchema.nullable().optional(),
});
export type Account = z.infer<typeof accountSchema>;

export const WEBHOOK_VERSIONS = ['one', 'twoNoPersonalData', 'twoWithPersonalData'] as const;
export type WebhookVersion = (typeof WEBHOOK_VERSIONS)[number];

/** The property's booking webhook, as `property.webhooks` in the spec. */
export const propertyWebhooksSchema = z.object({
  version: z.enum(WEBHOOK_VERSIONS),
  url: z.string(),
  additionalData: z.enum(['none', 'CVC', 'token', 'CVCAndToken']),
  customHeader: z.string(),
});
export type PropertyWebhooks = z.infer<typeof propertyWebhooksSchema>;

export const propertySchema = z.object({
  id: z.number().int(),
  accountId: z.number().int(),
  name: z.string(),
  timezone: z.string(),
  currency: z.string(),
  /** Absent until set through POST /properties or the admin API. */
  webhooks: propertyWebhooksSchema.optional(),
});
export type Property = z.infer<typeof propertySchema>;

export const roomSchema = z.object({
  id: z.number().int(),
  accountId: z.number().int(),
  propertyId: z.number().int(),
  name: z.string(),
  qty: z.number().int().min(1),
  /** The room's own stay limits: what GET calendar shows on a day whose calendar sets none. */
  minStay: z.number().int().min(1).max(365).nullable().optional(),
  maxStay: z.number().int().min(1).max(365).nullable().optional(),
});
export type Room = z.infer<typeof roomSchema>;

export const inviteCodeSchema = z.object({
  code: z.string(),
  accountId: z.number().int(),
  createdAtMs: z.number(),
  usedAtMs: z.number().nullable(),
});
export type InviteCode = z.infer<typeof inviteCodeSchema>;

export const refreshTokenSchema = z.object({
  token: z.string(),
  accountId: z.number().int(),
  deviceName: z.string(),
  createdAtMs: z.number(),
  lastUsedAtMs: z.number(),
  revoked: z.boolean(),
});
export type RefreshToken = z.infer<typeof refreshTokenSchema>;

export const accessTokenSchema = z.object({
  token: z.string(),
  accountId: z.number().int(),
  deviceName: z.string(),
  createdAtMs: z.number(),
  expiresAtMs: z.number(),
  revoked: z.boolean(),
});
export type AccessToken = z.infer<typeof accessTokenSchema>;

export const infoItemSchema = z.object({
  id: z.number().int(),
  bookingId: z.number().int(),
  code: z.string(),
  text: z.string(),
  createTime: z.string(),
});
export type InfoItem = z.infer<typeof infoItemSchema>;

export const invoiceItemSchema = z.looseObject({
  id: z.number().int(),
  bookingId: z.number().int(),
  createTime: z.string(),
});
export type InvoiceItem = z.infer<typeof invoiceItemSchema>;

export const bookingSchema = z.object({
  id: z.number().int(),
  accountId: z.number().int(),
  propertyId: z.number().int(),
  roomId: z.number().int(),
  status: z.enum(BOOKING_STATUSES),
  arrival: z.string(),
  departure: z.string(),
  bookingTime: z.string(),
  modifiedTime: z.string(),
  cancelTime: z.string().nullable(),
  /** Every other writable `newBooking` field the client sent (guest data, customN, price...). */
  fields: z.record(z.string(), z.unknown()),
  infoItems: z.array(infoItemSchema),
  invoiceItems: z.array(invoiceItemSchema),
});
export type Booking = z.infer<typeof bookingSchema>;

const channelLimitsSchema = z.record(z.string(), z.object({ maxBookings: z.number() }));
export type ChannelLimits = z.infer<typeof channelLimitsSchema>;

export const calendarValueSchema = z.union([z.number(), z.string(), channelLimitsSchema]);
export type CalendarValue = z.infer<typeof calendarValueSchema>;

/** One day of one room: numAvail, minStay, maxStay, multiplier, override, price1..price16, channels. */
export const dayValuesSchema = z.record(z.string(), calendarValueSchema);
export type DayValues = z.infer<typeof dayValuesSchema>;

export const idCountersSchema = z.object({
  account: z.number().int(),
  property: z.number().int(),
  room: z.number().int(),
  booking: z.number().int(),
  item: z.number().int(),
});
export type IdCounters = z.infer<typeof idCountersSchema>;

/**
 * Version 2 adds optional fields only (account inventory model and inventory webhook, property webhooks),
 * so a version 1 file loads as is and gets the defaults.
 */
export const SNAPSHOT_VERSION = 2;

export const snapshotSchema = z.object({
  version: z.union([z.literal(1), z.literal(SNAPSHOT_VERSION)]),
  ids: idCountersSchema,
  accounts: z.array(accountSchema),
  properties: z.array(propertySchema),
  rooms: z.array(roomSchema),
  inviteCodes: z.array(inviteCodeSchema),
  refreshTokens: z.array(refreshTokenSchema),
  accessTokens: z.array(accessTokenSchema),
  bookings: z.array(bookingSchema),
  /** roomId → date → values. */
  calendar: z.record(z.string(), z.record(z.string(), dayValuesSchema)),
});
export type Snapshot = z.infer<typeof snapshotSchema>;
