/**
 * Options and knobs of the Beds24 sandbox. Everything below exists as a method of Beds24Sandbox and, in
 * brackets, as a route under /_sandbox (never charged, never faulted).
 *
 * Inventory models: Beds24 does not document what happens to an API-written numAvail when bookings
 * change later, so `inventoryModel` picks one, per room and night ("blocking units" = roomQty of the
 * confirmed/new/request/black bookings staying that night; a night never written reads qty − blocking
 * units, and GET /inventory/rooms/calendar still leaves it out):
 *   - `stored` (default): numAvail as written; bookings never move it.
 *   - `cap`: GET and the inspection API report min(written, qty − blocking units).
 *   - `decrement`: the written value moves with every booking change (−1 per unit a night gains, +1 per
 *     unit it loses, through the API or the admin path alike); it may go negative; the next write wins.
 *   Set it with the `inventoryModel` option, `createAccount({ inventoryModel })`, or at runtime with
 *   `setInventoryModel(accountId, model)` [PUT /accounts/:id/inventory-model {model}]; read it with
 *   `inventoryModel(accountId)` [GET same]. Switching keeps written values. The CLI takes
 *   `--inventory-model`.
 *
 * Room stay limits: `createAccount` rooms may carry `minStay` / `maxStay` (Beds24's room settings). GET
 * /inventory/rooms/calendar with includeMinStay / includeMaxStay shows them on days whose calendar sets
 * none, as the spec says Beds24 does; GET /properties lists them on the room type.
 *
 * Channel bookings (what Beds24 records by itself): `addBookings(accountId, items, {respectAvailability})`
 * [POST /accounts/:id/bookings?respectAvailability=true], `modifyBooking(accountId, id, changes, opts)`
 * [PATCH /accounts/:id/bookings/:bookingId], `deleteBookings(accountId, ids)` [DELETE
 * /accounts/:id/bookings?id=..]. Items may set channel-only fields (apiReference, channel, apiSource,
 * apiSourceId, referer, reference, subStatus), roomQty, masterId (groups; `actions.makeGroup` groups a
 * POST /bookings request), and `respectAvailability: true` (refuses the item when a night it newly takes
 * has an effective numAvail below its units, or is a blackout). bookingTime/modifiedTime come from the
 * sandbox clock at Beds24's one-second resolution: two changes in the same second share modifiedTime and
 * differ only in content. A cancellation stamps cancelTime; confirming again clears it.
 *
 * Webhooks, delivered on real timers with the injected random deciding the faults:
 *   - booking webhook per property: POST /properties `[{id, webhooks: {version, url, additionalData,
 *     customHeader}}]` (metered), or `setPropertyWebhooks(propertyId, {url, version?, customHeader?})`
 *     [PUT/GET/DELETE /properties/:id/webhooks]. Sent for every admin create/modify/cancel; for POST
 *     /bookings only with `actions.allowWebhooks: true` and a change of status, dates, room, unitId or
 *     roomQty; never for deletions. v2 body `{timeStamp, booking, infoItems, invoiceItems, messages,
 *     retries}`, built at the change; guest personal data only with `twoWithPersonalData`.
 *     `customHeader` lines `Name: value` become headers; `url` may hold several URLs, one per line.
 *   - inventory webhook per account `{roomId, propId, ownerId, action: 'SYNC_ROOM'}`:
 *     `setInventoryWebhook(accountId, {url, customHeader?})` [PUT/GET/DELETE
 *     /accounts/:id/inventory-webhook]; sent per room on any booking change that moves units and on
 *     calendar writes of numAvail, override or prices (not restrictions).
 *   - faults and retries: `setWebhookFaults(webhookFaultsSchema)` [POST/GET/DELETE /webhook-faults]; an
 *     attempt without answer or with HTTP 400+ is retried. Log: `webhookDeliveries()`
 *     [GET/DELETE /webhook-deliveries]; `pendingWebhooks` [GET /webhook-deliveries/pending];
 *     `webhooksIdle()` [GET /webhook-deliveries/idle?timeoutMs=, 408 on timeout]. `close()` cancels
 *     what is pending.
 *
 * Invariant: every POST /inventory/rooms/calendar night written with a numeric numAvail whose effective
 * value exceeds qty − blocking units (all bookings) is recorded with the bookings on that night and the
 * time of the account's last delivered GET /bookings: `invariantViolations()` [GET/DELETE
 * /invariant-violations], `lastBookingsReadAt(accountId)` [GET /accounts/:id/last-bookings-read].
 * After the fact: `overPublished(roomId, from, to)` [GET /over-published?roomId&from&to] and
 * `availability(roomId, from, to)` [GET /availability?roomId&from&to].
 */
import { z } from 'zod';
import { INVENTORY_MODELS, type InventoryModel } from './sandbox_model.ts';

export const createRoomInputSchema = z.object({
  id: z.number().int().positive().optional(),
  name: z.string().min(1),
  qty: z.number().int().min(1).max(99),
  /** The room's own minimum and maximum stay (Beds24's room settings); none when absent. */
  minStay: z.number().int().min(1).max(365).nullable().optional(),
  maxStay: z.number().int().min(1).max(365).nullable().optional(),
});

export const createPropertyInputSchema = z.object({
  id: z.number().int().positive().optional(),
  name: z.string().min(1),
  timezone: z.string().default('UTC'),
  currency: z.string().length(3).default('EUR'),
  rooms: z.array(createRoomInputSchema).default([]),
});

export const createAccountInputSchema = z.object({
  creditLimit: z.number().positive().default(100),
  windowSeconds: z.number().int().positive().default(300),
  tokenTtlSeconds: z.number().int().positive().default(86_400),
  /** Absent: the sandbox's `inventoryModel` option. */
  inventoryModel: z.enum(INVENTORY_MODELS).optional(),
  properties: z.array(createPropertyInputSchema).default([]),
});
export type CreateAccountInput = z.input<typeof createAccountInputSchema>;

export interface CreatedAccount {
  accountId: number;
  properties: Array<{ id: number; name: string; rooms: Array<{ id: number; name: string; qty: number }> }>;
  /** Every room id of the account, in creation order. */
  roomIds: number[];
  propertyIds: number[];
  inventoryModel: InventoryModel;
}

const rate = z.number().min(0).max(1);

export const faultsSchema = z.object({
  /** Probability of a proxy-style HTML error page instead of an answer; nothing is applied or charged. */
  errorRate: rate.default(0),
  errorStatus: z.number().int().min(500).max(599).default(500),
  /** Fixed delay, or a uniform delay in [min, max] drawn from the injected random. */
  latencyMs: z.union([z.number().min(0), z.tuple([z.number().min(0), z.number().min(0)])]).default(0),
  /** Probability that a request is applied and charged but its answer is lost (socket destroyed). */
  dropRate: rate.default(0),
  /** Limit faults to these endpoints: '/bookings', '/v2/bookings' or 'POST /bookings'. Empty = every /v2 endpoint. */
  onlyPaths: z.array(z.string()).default([]),
});
export type FaultsInput = z.input<typeof faultsSchema>;
export type Faults = z.output<typeof faultsSchema>;

export const creditWindowInputSchema = z.object({
  limit: z.number().positive(),
  windowSeconds: z.number().int().positive(),
});
export type CreditWindowInput = z.infer<typeof creditWindowInputSchema>;

/** Credit cost per endpoint, keyed `METHOD /path` relative to /v2, e.g. `GET /bookings`. */
export const costTableSchema = z.record(z.string().regex(/^(GET|POST|PUT|DELETE|PATCH) \/\S*$/), z.number().min(0));
export type CostTable = z.infer<typeof costTableSchema>;

export const DEFAULT_COST = 1;

export const DEFAULT_COSTS: CostTable = {
  'GET /bookings': 1.2,
  'GET /authentication/setup': 1,
  'GET /authentication/token': 1,
  'DELETE /authentication/token': 1,
  'POST /bookings': 1,
  'DELETE /bookings': 1,
  'GET /inventory/rooms/calendar': 1,
  'POST /inventory/rooms/calendar': 1,
  'GET /properties': 1,
  'POST /properties': 1,
};

const delayMs = z.union([z.number().min(0), z.tuple([z.number().min(0), z.number().min(0)])]);

export const webhookFaultsSchema = z.object({
  /** Probability that a notification is never delivered (no attempt at all). */
  dropRate: rate.default(0),
  /** Probability that a notification is delivered twice (two independent copies, each retried on its own). */
  duplicateRate: rate.default(0),
  /** Wait before the first attempt of each copy: fixed, or uniform in [min, max] from the injected random. */
  delayMs: delayMs.default(0),
  /** Wait between a failed attempt (no answer, or HTTP 400 and above) and the next one. */
  retryDelayMs: z.number().min(0).default(1000),
  /** Retries after the first attempt; the body's `retries` counts them. */
  maxRetries: z.number().int().min(0).default(5),
  /** An attempt without an answer after this long counts as unreachable. */
  timeoutMs: z.number().int().positive().default(5000),
});
export type WebhookFaultsInput = z.input<typeof webhookFaultsSchema>;
export type WebhookFaults = z.output<typeof webhookFaultsSchema>;

export const sandboxDataOptionsSchema = z.object({
  persistFile: z.string().min(1).optional(),
  pageSize: z.number().int().min(1).default(100),
  costs: costTableSchema.default({}),
  inventoryModel: z.enum(INVENTORY_MODELS).default('stored'),
  webhookFaults: webhookFaultsSchema.default(webhookFaultsSchema.parse({})),
});

/**
 * Where the sandbox reports requests (debug) and its own failures (error). A pino logger fits as it is;
 * the sandbox never logs tokens or guests' personal data.
 */
export interface SandboxLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export type SandboxOptions = z.input<typeof sandboxDataOptionsSchema> & {
  /** Injected time source: token expiry, credit windows, "today" and timestamps all follow it. */
  clock?: () => Date;
  /** Injected randomness for faults, so tests can make them deterministic. */
  random?: () => number;
  logger?: SandboxLogger;
};

export const invalidateTokensInputSchema = z.object({
  /** Also revoke refresh tokens (the integration must then be set up again with a new invite code). */
  refreshTokens: z.boolean().default(false),
});
export type InvalidateTokensInput = z.input<typeof invalidateTokensInputSchema>;
