import { z } from 'zod';
import type { Logger } from '../../../logger.ts';
import { INVENTORY_MODELS, type InventoryModel } from './sandbox_model.ts';

export const createRoomInputSchema = z.object({
  id: z.number().int().positive().optional(),
  name: z.string().min(1),
  qty: z.number().int().min(1).max(99),
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

export type SandboxOptions = z.input<typeof sandboxDataOptionsSchema> & {
  /** Injected time source: token expiry, credit windows, "today" and timestamps all follow it. */
  clock?: () => Date;
  /** Injected randomness for faults, so tests can make them deterministic. */
  random?: () => number;
  logger?: Logger;
};

export const invalidateTokensInputSchema = z.object({
  /** Also revoke refresh tokens (the integration must then be set up again with a new invite code). */
  refreshTokens: z.boolean().default(false),
});
export type InvalidateTokensInput = z.input<typeof invalidateTokensInputSchema>;
