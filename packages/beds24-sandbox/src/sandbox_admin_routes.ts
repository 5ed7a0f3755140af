import express, { type ErrorRequestHandler, type Router } from 'express';
import { z } from 'zod';
import type { SandboxControl } from './sandbox_control.ts';
import { SandboxError, SandboxInputError, describeIssues } from './sandbox_errors.ts';
import { INVENTORY_MODELS } from './sandbox_model.ts';

const idParam = z.coerce.number().int().positive();
const tokenTtlBody = z.object({ seconds: z.number().int().positive() });
const calendarEditBody = z.object({ roomId: z.number().int(), calendar: z.array(z.unknown()) });
const calendarQuery = z.object({ roomId: z.coerce.number().int(), from: z.string(), to: z.string() });
const bookingsQuery = z.object({ accountId: z.coerce.number().int().optional() });
const inventoryModelBody = z.object({ model: z.enum(INVENTORY_MODELS) });
const flag = z.enum(['true', 'false']).transform((value) => value === 'true');
const addBookingsQuery = z.object({ respectAvailability: flag.optional() });
const idList = z.union([idParam, z.array(idParam)]).transform((value) => (Array.isArray(value) ? value : [value]));
const deleteBookingsQuery = z.object({ id: idList });
const rangeQuery = z.object({ roomId: z.coerce.number().int(), from: z.string(), to: z.string() });
const idleQuery = z.object({ timeoutMs: z.coerce.number().int().min(0).max(600_000).default(30_000) });
const webhookTarget = z.object({ url: z.string() }).loose();

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new SandboxInputError(`invalid ${what}: ${describeIssues(result.error)}`);
  return result.data;
}

/**
 * The sandbox's control surface over HTTP, so a test in one process can drive a sandbox in another.
 * Never under /v2, never charged, never faulted.
 */
export function createAdminRouter(sandbox: SandboxControl): Router {
  const router = express.Router();
  router.use(express.json({ limit: '5mb' }));

  router.get('/health', (_req, res) => {
    res.json({ ok: true, url: sandbox.url ?? null });
  });

  router.get('/accounts', (_req, res) => {
    res.json({ accountIds: sandbox.accountIds });
  });
  router.post('/accounts', (req, res) => {
    res.status(201).json(sandbox.createAccount(req.body ?? {}));
  });
  router.get('/accounts/:id/credits', (req, res) => {
    res.json(sandbox.credits(parse(idParam, req.params.id, 'account id')));
  });
  router.put('/accounts/:id/credit-window', (req, res) => {
    const accountId = parse(idParam, req.params.id, 'account id');
    sandbox.setCreditWindow(accountId, req.body);
    res.json(sandbox.credits(accountId));
  });
  router.put('/accounts/:id/token-ttl', (req, res) => {
    const { seconds } = parse(tokenTtlBody, req.body, 'token TTL');
    sandbox.setTokenTtl(parse(idParam, req.params.id, 'account id'), seconds);
    res.json({ seconds });
  });
  router.post('/accounts/:id/invite-codes', (req, res) => {
    res.status(201).json({ code: sandbox.createInviteCode(parse(idParam, req.params.id, 'account id')) });
  });
  router.post('/accounts/:id/refresh-tokens', (req, res) => {
    res.status(201).json({ refreshToken: sandbox.createRefreshToken(parse(idParam, req.params.id, 'account id')) });
  });
  router.post('/accounts/:id/access-tokens', (req, res) => {
    res.status(201).json({ token: sandbox.createAccessToken(parse(idParam, req.params.id, 'account id')) });
  });
  router.post('/accounts/:id/invalidate-tokens', (req, res) => {
    res.json({ invalidated: sandbox.invalidateTokens(parse(idParam, req.params.id, 'account id'), req.body ?? {}) });
  });
  router.post('/invalidate-tokens', (req, res) => {
    res.json({ invalidated: sandbox.invalidateTokens(undefined, req.body ?? {}) });
  });
  router.post('/accounts/:id/bookings', (req, res) => {
    const body: unknown = req.body;
    const { respectAvailability } = parse(addBookingsQuery, req.query, 'query');
    const options = respectAvailability === undefined ? {} : { respectAvailability };
    const accountId = parse(idParam, req.params.id, 'account id');
    res.status(201).json(sandbox.addBookings(accountId, Array.isArray(body) ? body : [body], options));
  });
  router.patch('/accounts/:id/bookings/:bookingId', (req, res) => {
    const accountId = parse(idParam, req.params.id, 'account id');
    const bookingId = parse(idParam, req.params.bookingId, 'booking id');
    const body: unknown = req.body ?? {};
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new SandboxInputError('the changes must be a JSON object');
    }
    const { respectAvailability } = parse(addBookingsQuery, req.query, 'query');
    const options = respectAvailability === undefined ? {} : { respectAvailability };
    res.json(sandbox.modifyBooking(accountId, bookingId, body as Record<string, unknown>, options));
  });
  router.delete('/accounts/:id/bookings', (req, res) => {
    const { id } = parse(deleteBookingsQuery, req.query, 'query');
    res.json(sandbox.deleteBookings(parse(idParam, req.params.id, 'account id'), id));
  });
  router.get('/accounts/:id/inventory-model', (req, res) => {
    const accountId = parse(idParam, req.params.id, 'account id');
    res.json({ accountId, model: sandbox.inventoryModel(accountId) });
  });
  router.put('/accounts/:id/inventory-model', (req, res) => {
    const accountId = parse(idParam, req.params.id, 'account id');
    const { model } = parse(inventoryModelBody, req.body, 'inventory model');
    res.json({ accountId, model: sandbox.setInventoryModel(accountId, model) });
  });
  router.get('/accounts/:id/inventory-webhook', (req, res) => {
    res.json(sandbox.inventoryWebhook(parse(idParam, req.params.id, 'account id')));
  });
  router.put('/accounts/:id/inventory-webhook', (req, res) => {
    const target = parse(webhookTarget, req.body, 'inventory webhook');
    res.json(sandbox.setInventoryWebhook(parse(idParam, req.params.id, 'account id'), target));
  });
  router.delete('/accounts/:id/inventory-webhook', (req, res) => {
    sandbox.setInventoryWebhook(parse(idParam, req.params.id, 'account id'), null);
    res.status(204).end();
  });
  router.get('/accounts/:id/last-bookings-read', (req, res) => {
    res.json({ lastBookingsReadAt: sandbox.lastBookingsReadAt(parse(idParam, req.params.id, 'account id')) });
  });
  router.get('/properties/:id/webhooks', (req, res) => {
    res.json(sandbox.propertyWebhooks(parse(idParam, req.params.id, 'property id')));
  });
  router.put('/properties/:id/webhooks', (req, res) => {
    const target = parse(webhookTarget, req.body, 'webhooks');
    res.json(sandbox.setPropertyWebhooks(parse(idParam, req.params.id, 'property id'), target));
  });
  router.delete('/properties/:id/webhooks', (req, res) => {
    sandbox.setPropertyWebhooks(parse(idParam, req.params.id, 'property id'), null);
    res.status(204).end();
  });

  router.get('/bookings', (req, res) => {
    res.json(sandbox.bookings(parse(bookingsQuery, req.query, 'query').accountId));
  });
  router.get('/calendar', (req, res) => {
    const { roomId, from, to } = parse(calendarQuery, req.query, 'query');
    res.json(sandbox.calendar(roomId, from, to));
  });
  router.put('/calendar', (req, res) => {
    const { roomId, calendar } = parse(calendarEditBody, req.body, 'calendar edit');
    res.json(sandbox.editCalendar(roomId, calendar));
  });

  router.get('/faults', (_req, res) => {
    res.json(sandbox.faults);
  });
  router.post('/faults', (req, res) => {
    res.json(sandbox.setFaults(req.body ?? {}));
  });
  router.delete('/faults', (_req, res) => {
    sandbox.clearFaults();
    res.status(204).end();
  });

  router.get('/webhook-faults', (_req, res) => {
    res.json(sandbox.webhookFaults);
  });
  router.post('/webhook-faults', (req, res) => {
    res.json(sandbox.setWebhookFaults(req.body ?? {}));
  });
  router.delete('/webhook-faults', (_req, res) => {
    sandbox.clearWebhookFaults();
    res.status(204).end();
  });
  router.get('/webhook-deliveries', (_req, res) => {
    res.json(sandbox.webhookDeliveries());
  });
  router.delete('/webhook-deliveries', (_req, res) => {
    sandbox.resetWebhookDeliveries();
    res.status(204).end();
  });
  router.get('/webhook-deliveries/pending', (_req, res) => {
    res.json({ pending: sandbox.pendingWebhooks });
  });
  // Long-polls so a test in another process can wait for quiet without sleeping.
  router.get('/webhook-deliveries/idle', async (req, res) => {
    const { timeoutMs } = parse(idleQuery, req.query, 'query');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    const gaveUp = await Promise.race([sandbox.webhooksIdle().then(() => false), timedOut]);
    clearTimeout(timer);
    res.status(gaveUp ? 408 : 200).json({ pending: sandbox.pendingWebhooks });
  });

  router.get('/invariant-violations', (_req, res) => {
    res.json(sandbox.invariantViolations());
  });
  router.delete('/invariant-violations', (_req, res) => {
    sandbox.resetInvariantViolations();
    res.status(204).end();
  });
  router.get('/over-published', (req, res) => {
    const { roomId, from, to } = parse(rangeQuery, req.query, 'query');
    res.json(sandbox.overPublished(roomId, from, to));
  });
  router.get('/availability', (req, res) => {
    const { roomId, from, to } = parse(rangeQuery, req.query, 'query');
    res.json(sandbox.availability(roomId, from, to));
  });

  router.get('/costs', (_req, res) => {
    res.json(sandbox.costs);
  });
  router.put('/costs', (req, res) => {
    res.json(sandbox.setCosts(req.body ?? {}));
  });

  router.get('/requests', (_req, res) => {
    res.json(sandbox.requests);
  });
  router.delete('/requests', (_req, res) => {
    sandbox.resetRequestLog();
    res.status(204).end();
  });

  router.use((req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: `no sandbox route for ${req.method} ${req.path}` } });
  });
  router.use(adminErrorHandler());
  return router;
}

function adminErrorHandler(): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    if (error instanceof SandboxError) {
      res.status(error.status).json({ error: { code: error.code, message: error.message } });
      return;
    }
    const type = typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined;
    if (type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'sandbox_invalid_input', message: 'request body is not valid JSON' } });
      return;
    }
    res
      .status(500)
      .json({ error: { code: 'internal_error', message: error instanceof Error ? error.message : 'internal error' } });
  };
}
