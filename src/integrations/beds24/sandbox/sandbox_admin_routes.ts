import express, { type ErrorRequestHandler, type Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../../errors.ts';
import type { Beds24Sandbox } from './sandbox_server.ts';
import { SandboxInputError, describeIssues } from './sandbox_errors.ts';

const idParam = z.coerce.number().int().positive();
const tokenTtlBody = z.object({ seconds: z.number().int().positive() });
const calendarEditBody = z.object({ roomId: z.number().int(), calendar: z.array(z.unknown()) });
const calendarQuery = z.object({ roomId: z.coerce.number().int(), from: z.string(), to: z.string() });
const bookingsQuery = z.object({ accountId: z.coerce.number().int().optional() });

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new SandboxInputError(`invalid ${what}: ${describeIssues(result.error)}`);
  return result.data;
}

/**
 * The sandbox's control surface over HTTP, so a test in one process can drive a sandbox in another.
 * Never under /v2, never charged, never faulted.
 */
export function createAdminRouter(sandbox: Beds24Sandbox): Router {
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
    res.status(201).json(sandbox.addBookings(parse(idParam, req.params.id, 'account id'), Array.isArray(body) ? body : [body]));
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
    if (error instanceof AppError) {
      res.status(error.status).json({ error: { code: error.code, message: error.message } });
      return;
    }
    const type = typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined;
    if (type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'sandbox_invalid_input', message: 'request body is not valid JSON' } });
      return;
    }
    res.status(500).json({ error: { code: 'internal_error', message: error instanceof Error ? error.message : 'internal error' } });
  };
}
