import axios, { type AxiosInstance } from 'axios';
import pRetry, { AbortError } from 'p-retry';
import type { z } from 'zod';
import type { Clock } from '../../../clock.ts';
import type { Logger } from '../../../logger.ts';
import {
  Beds24AuthError,
  Beds24CreditsDeferredError,
  Beds24Error,
  Beds24RateLimitedError,
  Beds24TransientError,
  Beds24UnexpectedAnswerError,
  Beds24ValidationError,
} from './beds24_errors.ts';
import { UnsuccessfulAnswer } from './beds24_schemas.ts';
import type { CreditGate, MeterReading } from './credit_gate.ts';
import type { Beds24Priority } from './priority.ts';
import type { CallOutcome, SyncLog } from './sync_log.ts';

export type QueryValue = string | number | boolean | undefined | Array<string | number>;

export interface TokenSource {
  get(): Promise<string>;
  refreshAfterRejection(rejected: string): Promise<{ token: string; minted: boolean }>;
}

export interface CallSpec<S extends z.ZodType> {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  schema: S;
  priority: Beds24Priority;
  /** False for writes that must not be repeated blindly once they may have been applied (booking creates). */
  idempotent: boolean;
  /** Headers that authenticate the call instead of the access token (`code`, `refreshToken`). */
  authHeaders?: Record<string, string>;
  /** False: throw Beds24CreditsDeferredError rather than wait for the credit window (see CreditGate). */
  wait?: boolean;
  /** Override the transport's retries and timeout, for a caller that someone is waiting on (an HTTP request). */
  retries?: number;
  timeoutMs?: number;
  /** No try starts after this (a job attempt's deadline); without it the transport's `retryBoundMs` applies. */
  deadline?: Date;
  /** Credits of its priority's reserve this call may use (see CallOptions). */
  allowance?: number;
}

export interface TransportDeps {
  baseUrl: string;
  accountKey: string;
  propertyId?: string;
  tokens?: TokenSource;
  gate: CreditGate;
  syncLog: SyncLog;
  logger: Logger;
  clock: Clock;
  /** How long a call made without a deadline may go on retrying. */
  retryBoundMs: number;
  timeoutMs?: number;
  retries?: number;
  minRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  http?: AxiosInstance;
}

interface RawAnswer {
  status?: number;
  data?: unknown;
  json: boolean;
  meter: MeterReading;
  networkCode?: string;
  durationMs: number;
}

/** The default timeout of one request: a try started just before a deadline ends at most this much later. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** Connection never made: the request cannot have reached Beds24. */
const UNSENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * One Beds24 call done properly: through the credit gate, with the access token (refreshed once on a
 * 401), retried with exponential backoff and jitter on transient failures, validated with zod, and logged.
 */
export class Beds24Transport {
  private readonly deps: TransportDeps;
  private readonly http: AxiosInstance;
  private readonly costEstimates = new Map<string, number>();

  constructor(deps: TransportDeps) {
    this.deps = deps;
    this.http =
      deps.http ??
      axios.create({
        baseURL: deps.baseUrl.replace(/\/+$/, ''),
        timeout: deps.timeoutMs ?? REQUEST_TIMEOUT_MS,
        headers: { accept: 'application/json' },
        responseType: 'text',
        transformResponse: [(data: unknown) => data],
        validateStatus: () => true,
      });
  }

  call<S extends z.ZodType>(spec: CallSpec<S>): Promise<z.infer<S>> {
    const { minRetryDelayMs = 500, maxRetryDelayMs = 30_000, clock, retryBoundMs } = this.deps;
    const maxRetryTime = spec.deadline ? Math.max(0, spec.deadline.getTime() - clock.now().getTime()) : retryBoundMs;
    return pRetry(() => this.attempt(spec), {
      retries: spec.retries ?? this.deps.retries ?? 5,
      minTimeout: minRetryDelayMs,
      maxTimeout: maxRetryDelayMs,
      factor: 2,
      randomize: true,
      // The gate already waits for the window to reset; a 429 is no reason to give up sooner.
      shouldConsumeRetry: ({ error }) => !(error instanceof Beds24RateLimitedError),
      // A deferral goes straight back to the caller, who chose not to wait.
      shouldRetry: ({ error }) =>
        error instanceof Beds24Error && error.retryable && !(error instanceof Beds24CreditsDeferredError),
      maxRetryTime,
    });
  }

  private async attempt<S extends z.ZodType>(spec: CallSpec<S>): Promise<z.infer<S>> {
    let token = spec.authHeaders ? undefined : await this.requireTokens().get();
    let answer = await this.send(spec, token);
    // One refresh per 401; a second only when the first gave a stored token (another process's) rather
    // than a freshly minted one, as that token may have been revoked as well.
    let minted = false;
    for (let round = 0; answer.status === 401 && token !== undefined && !minted && round < 2; round += 1) {
      await this.log(spec, answer, 'auth', 'access token rejected; refreshing');
      ({ token, minted } = await this.requireTokens().refreshAfterRejection(token));
      answer = await this.send(spec, token);
    }
    try {
      const value = this.interpret(spec, answer);
      await this.log(spec, answer, 'ok');
      return value;
    } catch (error) {
      const typed = error instanceof Beds24Error ? error : new Beds24UnexpectedAnswerError(String(error));
      await this.log(spec, answer, outcomeOf(typed), typed.message);
      if (typed instanceof Beds24TransientError && typed.ambiguous && !spec.idempotent) throw new AbortError(typed);
      throw typed;
    }
  }

  private interpret<S extends z.ZodType>(spec: CallSpec<S>, answer: RawAnswer): z.infer<S> {
    if (answer.status === undefined) {
      const unsent = answer.networkCode !== undefined && UNSENT_CODES.has(answer.networkCode);
      throw new Beds24TransientError(
        `Beds24 unreachable (${answer.networkCode ?? 'network error'})`,
        !unsent && spec.method !== 'GET',
      );
    }
    if (answer.status === 429) throw new Beds24RateLimitedError(answer.meter.resetsInSeconds ?? 60);
    if (answer.status >= 500 || !answer.json) {
      throw new Beds24TransientError(
        `Beds24 answered ${answer.status}${answer.json ? '' : ' without JSON'}`,
        spec.method !== 'GET',
      );
    }
    if (answer.status === 401 || answer.status === 403 || (spec.authHeaders && answer.status === 400)) {
      throw new Beds24AuthError(`Beds24 refused the credentials (${answer.status}): ${errorText(answer.data)}`);
    }
    if (answer.status >= 400)
      throw new Beds24ValidationError(`Beds24 rejected the request (${answer.status}): ${errorText(answer.data)}`);
    const parsed = spec.schema.safeParse(answer.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || 'body';
      throw new Beds24UnexpectedAnswerError(
        `unexpected answer from ${spec.method} ${spec.path}: ${where} ${issue?.message ?? ''}`.trim(),
      );
    }
    return parsed.data;
  }

  private async send(spec: CallSpec<z.ZodType>, token: string | undefined): Promise<RawAnswer> {
    const key = `${spec.method} ${spec.path}`;
    const estimate = this.costEstimates.get(key) ?? 1;
    return this.deps.gate.run(
      this.deps.accountKey,
      spec.priority,
      Math.max(0, estimate - (spec.allowance ?? 0)),
      async () => {
        const started = performance.now();
        const headers: Record<string, string> = { ...spec.authHeaders };
        if (token !== undefined) headers.token = token;
        if (spec.body !== undefined) headers['content-type'] = 'application/json';
        let answer: RawAnswer;
        try {
          const res = await this.http.request<string>({
            method: spec.method,
            url: spec.path,
            params: spec.query ? toSearchParams(spec.query) : undefined,
            data: spec.body === undefined ? undefined : JSON.stringify(spec.body),
            headers,
            timeout: spec.timeoutMs,
          });
          const body = parseJson(res.data);
          answer = {
            status: res.status,
            data: body.value,
            json: body.ok,
            meter: readMeter((name) => res.headers[name]),
            durationMs: performance.now() - started,
          };
        } catch (error) {
          answer = { json: false, meter: {}, networkCode: networkCode(error), durationMs: performance.now() - started };
        }
        if (answer.meter.cost !== undefined && answer.meter.cost > 0) this.costEstimates.set(key, answer.meter.cost);
        const lostAfterSending =
          answer.status === undefined && !(answer.networkCode !== undefined && UNSENT_CODES.has(answer.networkCode));
        return {
          meter: answer.meter,
          rateLimited: answer.status === 429,
          assumedCost: lostAfterSending ? estimate : undefined,
          value: answer,
        };
      },
      { wait: spec.wait },
    );
  }

  private async log(spec: CallSpec<z.ZodType>, answer: RawAnswer, outcome: CallOutcome, error?: string): Promise<void> {
    await this.deps.syncLog.record({
      accountKey: this.deps.accountKey,
      propertyId: this.deps.propertyId,
      method: spec.method,
      path: spec.path,
      status: answer.status,
      cost: answer.meter.cost,
      remaining: answer.meter.remaining,
      durationMs: answer.durationMs,
      outcome: outcome === 'ok' && hasFailedItems(answer.data) ? 'item_errors' : outcome,
      request: spec.body ?? spec.query,
      response: answer.json ? answer.data : undefined,
      error,
    });
  }

  private requireTokens(): TokenSource {
    if (!this.deps.tokens) throw new Beds24AuthError('no access token source configured for this client');
    return this.deps.tokens;
  }
}

function outcomeOf(error: Beds24Error): CallOutcome {
  if (error instanceof Beds24TransientError) return 'transient';
  if (error instanceof Beds24RateLimitedError) return 'rate_limited';
  if (error instanceof Beds24AuthError) return 'auth';
  if (error instanceof Beds24ValidationError) return 'validation';
  return 'unexpected';
}

function hasFailedItems(data: unknown): boolean {
  return (
    Array.isArray(data) &&
    data.some((item) => typeof item === 'object' && item !== null && (item as { success?: unknown }).success === false)
  );
}

function errorText(data: unknown): string {
  const parsed = UnsuccessfulAnswer.safeParse(data);
  return parsed.success && parsed.data.error ? parsed.data.error : 'no message';
}

function parseJson(text: string | undefined): { ok: boolean; value?: unknown } {
  if (text === undefined || text === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Beds24's real header names (the OpenAPI file's X-FiveMinCreditLimit-* names do not exist on the wire). */
function readMeter(header: (name: string) => unknown): MeterReading {
  const number = (name: string): number | undefined => {
    const raw = header(name);
    if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
    const value = Number.parseFloat(String(raw));
    return Number.isFinite(value) ? value : undefined;
  };
  return {
    remaining: number('x-five-min-limit-remaining'),
    resetsInSeconds: number('x-five-min-limit-resets-in'),
    cost: number('x-request-cost'),
  };
}

function networkCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string')
    return error.code;
  return 'network error';
}

/** Array parameters go out as repeated keys (`?status=new&status=confirmed`); Beds24 answers 400 to comma lists. */
function toSearchParams(query: Record<string, QueryValue>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, String(value));
  }
  return params;
}
