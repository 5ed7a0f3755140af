import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Request, RequestHandler, Router } from 'express';
import { unsuccessful } from './api_answers.ts';
import type { CreditMeter } from './credit_window.ts';
import type { FaultInjector } from './faults.ts';
import { QueryParams } from './query_params.ts';
import type { RequestLog, RequestLogEntry } from './request_log.ts';
import { Beds24RequestError } from './sandbox_errors.ts';
import type { SandboxLogger } from './sandbox_options.ts';
import type { SandboxState } from './sandbox_state.ts';

export interface ApiAnswer {
  status: number;
  body: unknown;
  /** False for validation 400s: Beds24 neither charges them nor sends meter headers. */
  charged?: boolean;
  /** Runs once the answer was sent (not when a fault dropped it), e.g. to note what the client has seen. */
  afterSend?: () => void;
}

export interface ApiContext {
  readonly req: Request;
  /** The full request URL as the client sent it (for `pages.nextPageLink`). */
  readonly url: URL;
  readonly query: QueryParams;
  readonly state: SandboxState;
  readonly pageSize: number;
  header(name: string): string | undefined;
  /** The parsed JSON body; throws the 400 Beds24RequestError when it is missing or not JSON. */
  json(): unknown;
}

export type AuthOutcome = { accountId: number } | { answer: ApiAnswer };

type Method = 'GET' | 'POST' | 'DELETE';

/** An endpoint that authenticates a caller and charges its account's credit window. */
export interface MeteredEndpoint {
  method: Method;
  /** Path relative to /v2, as in the spec. */
  path: string;
  metered: true;
  authenticate(ctx: ApiContext): AuthOutcome;
  handle(ctx: ApiContext, accountId: number): ApiAnswer;
}

/** `/authentication/details`: never charged, never carries meter headers. */
export interface FreeEndpoint {
  method: Method;
  path: string;
  metered: false;
  handle(ctx: ApiContext): ApiAnswer & { accountId: number | null };
}

export type Endpoint = MeteredEndpoint | FreeEndpoint;

export interface SandboxRuntime {
  state: SandboxState;
  faults: FaultInjector;
  log: RequestLog;
  cost(method: string, path: string): number;
  pageSize: number;
  logger?: SandboxLogger | undefined;
}

/** Beds24's documented ceiling on top-level items in one POST. */
export const MAX_POST_ITEMS = 10_000;

export const INVALID_TOKEN_MESSAGE = 'Token is invalid or expired';

/** The `token` header must hold a live access token; `Authorization: Bearer` is not a Beds24 thing. */
export function requireAccessToken(ctx: ApiContext): AuthOutcome {
  const token = ctx.header('token');
  const access = token === undefined ? undefined : ctx.state.usableAccessToken(token);
  if (access === undefined)
    return { answer: { status: 401, body: unsuccessful(401, INVALID_TOKEN_MESSAGE), charged: false } };
  return { accountId: access.accountId };
}

export function badRequest(message: string): ApiAnswer {
  return { status: 400, body: unsuccessful(400, message), charged: false };
}

export function mountEndpoints(router: Router, endpoints: Endpoint[], runtime: SandboxRuntime): void {
  for (const endpoint of endpoints) {
    const handler = endpointHandler(endpoint, runtime);
    if (endpoint.method === 'GET') router.get(endpoint.path, handler);
    else if (endpoint.method === 'POST') router.post(endpoint.path, handler);
    else router.delete(endpoint.path, handler);
  }
}

/**
 * The order every /v2 request goes through: latency → proxy error (nothing applied or charged) →
 * authentication (401s free) → credit check (429, nothing applied) → handler → charge → maybe drop the
 * answer after applying it → answer with the meter headers.
 */
function endpointHandler(endpoint: Endpoint, runtime: SandboxRuntime): RequestHandler {
  const answer = answerer(endpoint, runtime);
  return async (req, res, next) => {
    runtime.log.opened();
    try {
      await answer(req, res, next);
    } finally {
      runtime.log.closed();
    }
  };
}

function answerer(endpoint: Endpoint, runtime: SandboxRuntime): RequestHandler {
  return async (req, res) => {
    const { state, faults, log } = runtime;
    const entry: RequestLogEntry = {
      time: state.now().toISOString(),
      accountId: null,
      method: endpoint.method,
      path: endpoint.path,
      query: req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '',
      status: 0,
      cost: 0,
      remaining: null,
      fault: null,
      dropped: false,
    };
    const faulty = faults.appliesTo(endpoint.method, endpoint.path);
    if (faulty) {
      const delay = faults.latencyMs();
      if (delay > 0) await sleep(delay);
      if (req.socket.destroyed) return;
      if (faults.shouldError()) {
        entry.status = faults.errorStatus;
        entry.fault = 'error';
        log.record(entry);
        res.status(entry.status).type('html').send(proxyErrorPage(entry.status));
        return;
      }
    }
    const ctx = createContext(req, runtime);
    let answer: ApiAnswer;
    let headers: Record<string, string> = {};
    if (!endpoint.metered) {
      const free = guarded(() => endpoint.handle(ctx));
      entry.accountId = 'accountId' in free && typeof free.accountId === 'number' ? free.accountId : null;
      answer = free;
    } else {
      const auth = endpoint.authenticate(ctx);
      if ('answer' in auth) {
        answer = auth.answer;
      } else {
        entry.accountId = auth.accountId;
        const cost = runtime.cost(endpoint.method, endpoint.path);
        const credits = state.credits(auth.accountId);
        const nowMs = state.now().getTime();
        if (!credits.canAfford(cost, nowMs)) {
          const meter = credits.meter(nowMs);
          answer = { status: 429, body: unsuccessful(429, 'Credit limit exceeded') };
          headers = meterHeaders(meter, 0);
          entry.remaining = meter.remaining;
        } else {
          answer = guarded(() => endpoint.handle(ctx, auth.accountId));
          if (answer.charged !== false) {
            const meter = credits.charge(cost, nowMs);
            state.changed();
            headers = meterHeaders(meter, cost);
            entry.cost = cost;
            entry.remaining = meter.remaining;
          }
        }
      }
    }
    entry.status = answer.status;
    if (faulty && faults.shouldDrop()) {
      entry.fault = 'drop';
      entry.dropped = true;
      log.record(entry);
      req.socket.destroy();
      return;
    }
    log.record(entry);
    runtime.logger?.debug(
      { method: entry.method, path: entry.path, status: entry.status, cost: entry.cost },
      'beds24 sandbox request',
    );
    res.status(answer.status).set(headers).json(answer.body);
    answer.afterSend?.();
  };
}

function guarded<T extends ApiAnswer>(handle: () => T): T | ApiAnswer {
  try {
    return handle();
  } catch (error) {
    if (error instanceof Beds24RequestError) return badRequest(error.message);
    throw error;
  }
}

function createContext(req: Request, runtime: SandboxRuntime): ApiContext {
  const url = new URL(req.originalUrl, `${req.protocol}://${req.get('host') ?? 'localhost'}`);
  return {
    req,
    url,
    query: new QueryParams(url.searchParams),
    state: runtime.state,
    pageSize: runtime.pageSize,
    header(name) {
      const value = req.get(name);
      return value === undefined || value === '' ? undefined : value;
    },
    json() {
      const raw: unknown = req.body;
      const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : '';
      if (text.trim() === '') throw new Beds24RequestError('Request body is required');
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new Beds24RequestError('Request body is not valid JSON');
      }
    },
  };
}

function meterHeaders(meter: CreditMeter, cost: number): Record<string, string> {
  return {
    'x-five-min-limit-remaining': formatCredits(meter.remaining),
    'x-five-min-limit-resets-in': String(meter.resetsInSeconds),
    'x-request-cost': formatCredits(cost),
  };
}

function formatCredits(credits: number): string {
  return String(Number(credits.toFixed(3)));
}

function proxyErrorPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return (
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n` +
    `<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  );
}
