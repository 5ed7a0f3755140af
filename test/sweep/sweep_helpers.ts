import { expect } from 'vitest';
import type { Knex } from '../../src/db.ts';
import { fingerprint } from '../helpers/fixtures.ts';
import { API_TOKEN, type Json } from '../helpers/test_app.ts';

/** Every route of the contract: the PMS routes under /api and the Beds24 admin routes under /api/admin/beds24. */
export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The Express pattern as mounted, e.g. `/api/rooms/:id`. */
  pattern: string;
  admin: boolean;
}

export const ROUTES: readonly RouteDef[] = [
  { method: 'POST', pattern: '/api/properties', admin: false },
  { method: 'GET', pattern: '/api/properties', admin: false },
  { method: 'GET', pattern: '/api/properties/:id', admin: false },
  { method: 'PUT', pattern: '/api/properties/:id/restrictions', admin: false },
  { method: 'GET', pattern: '/api/properties/:id/restrictions', admin: false },
  { method: 'POST', pattern: '/api/rooms', admin: false },
  { method: 'GET', pattern: '/api/rooms', admin: false },
  { method: 'GET', pattern: '/api/rooms/:id', admin: false },
  { method: 'PATCH', pattern: '/api/rooms/:id', admin: false },
  { method: 'PATCH', pattern: '/api/rooms/:id/housekeeping', admin: false },
  { method: 'PUT', pattern: '/api/rooms/:id/rates', admin: false },
  { method: 'GET', pattern: '/api/rooms/:id/rates', admin: false },
  { method: 'POST', pattern: '/api/rooms/:id/maintenance', admin: false },
  { method: 'GET', pattern: '/api/rooms/:id/maintenance', admin: false },
  { method: 'DELETE', pattern: '/api/maintenance/:id', admin: false },
  { method: 'POST', pattern: '/api/guests', admin: false },
  { method: 'GET', pattern: '/api/guests/:id', admin: false },
  { method: 'PATCH', pattern: '/api/guests/:id', admin: false },
  { method: 'POST', pattern: '/api/reservations', admin: false },
  { method: 'GET', pattern: '/api/reservations', admin: false },
  { method: 'GET', pattern: '/api/reservations/:id', admin: false },
  { method: 'PATCH', pattern: '/api/reservations/:id', admin: false },
  { method: 'DELETE', pattern: '/api/reservations/:id', admin: false },
  { method: 'PUT', pattern: '/api/admin/beds24/config', admin: true },
  { method: 'GET', pattern: '/api/admin/beds24/config/:property_id', admin: true },
  { method: 'POST', pattern: '/api/admin/beds24/resync', admin: true },
  { method: 'POST', pattern: '/api/admin/beds24/pull', admin: true },
  { method: 'POST', pattern: '/api/admin/beds24/verify', admin: true },
  { method: 'GET', pattern: '/api/admin/beds24/status', admin: true },
  { method: 'GET', pattern: '/api/admin/beds24/jobs', admin: true },
  { method: 'GET', pattern: '/api/admin/beds24/calls', admin: true },
  { method: 'GET', pattern: '/api/admin/beds24/calendar', admin: true },
  { method: 'POST', pattern: '/api/admin/beds24/jobs/:id/retry', admin: true },
];

export function routeLabel(route: RouteDef): string {
  return `${route.method} ${route.pattern}`;
}

export interface SweepRequest {
  method: string;
  path: string;
  /** Serialized with JSON.stringify and sent as application/json. */
  json?: unknown;
  /** Sent byte for byte; only the headers given are added (fetch adds text/plain for a string). */
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
  /** Bearer token; undefined means the API token, null sends no Authorization header. */
  token?: string | null;
}

export interface SweepResponse {
  status: number;
  body: Json;
  text: string;
}

/** One request over HTTP, answered with its status, the parsed JSON (or the raw text) and the text. */
export async function send(baseUrl: string, req: SweepRequest): Promise<SweepResponse> {
  const headers: Record<string, string> = {};
  const token = req.token === undefined ? API_TOKEN : req.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | Uint8Array | undefined;
  if (req.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(req.json) ?? '';
  }
  if (req.raw !== undefined) body = req.raw;
  Object.assign(headers, req.headers);
  const res = await fetch(`${baseUrl}${req.path}`, { method: req.method, headers, body });
  const text = await res.text();
  let parsed: Json;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, text };
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'validation_failed',
  401: 'unauthorized',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
};

export function describeResponse(res: SweepResponse): string {
  return `${res.status} ${res.text.slice(0, 400)}`;
}

/** A rejection as the contract wants it: a 4xx in the error format, and for 400 the details that name fields. */
export function expectWellFormedRejection(res: SweepResponse, label: string): void {
  const context = `${label} → ${describeResponse(res)}`;
  expect(res.status, context).toBeGreaterThanOrEqual(400);
  expect(res.status, context).toBeLessThan(500);
  const error: Json = res.body?.error;
  expect(error, context).toBeTypeOf('object');
  expect(Object.keys(error).sort(), context).toEqual(['code', 'details', 'message']);
  expect(error.code, context).toBe(CODE_BY_STATUS[res.status] ?? error.code);
  expect(error.message, context).toBeTypeOf('string');
  expect(error.message.length, context).toBeGreaterThan(0);
  expect(Array.isArray(error.details), context).toBe(true);
  if (res.status === 400) {
    expect(error.code, context).toBe('validation_failed');
    expect(error.details.length, context).toBeGreaterThan(0);
    for (const detail of error.details as Json[]) {
      expect(Object.keys(detail).sort(), context).toEqual(['message', 'path']);
      expect(detail.path, context).toBeTypeOf('string');
      expect(detail.message, context).toBeTypeOf('string');
      expect(detail.message.length, context).toBeGreaterThan(0);
    }
  }
}

/** Never a 5xx; any 4xx is well formed. A 2xx (fast-check found a valid input) is fine. */
export function expectNoServerError(res: SweepResponse, label: string): void {
  expect(res.status, `${label} → ${describeResponse(res)}`).toBeLessThan(500);
  if (res.status >= 400) expectWellFormedRejection(res, label);
}

export function detailPaths(res: SweepResponse): string[] {
  const details: Json = res.body?.error?.details;
  return Array.isArray(details) ? details.map((d: Json) => String(d?.path)) : [];
}

/** Tables the hooks write in the same transaction as an edit: a rejected request must not touch them either. */
const OUTBOX_TABLES = ['beds24_pending_changes', 'beds24_reservation_sync', 'beds24_sync_failures'];

function digestSql(tables: readonly string[]): string {
  // The same expression as fingerprint(db), one sub-select per table, so one round trip reads them all.
  const selects = tables.map(
    (table, i) =>
      `(select count(*)::int || ':' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from ${table} t) as t${i}`,
  );
  return `select ${selects.join(', ')}`;
}

/**
 * Follows the database across a sequence of requests: after each one, a rejected request (anything but a
 * 2xx) must have left it as it was; an accepted one moves the baseline on. Nothing else may write to the
 * database meanwhile (no sync workers).
 *
 * The digest is `fingerprint(db)` (every PMS table, same tables, same per-table value: checked at start)
 * plus the Beds24 outbox tables, read in a single query because the sweep takes it thousands of times.
 */
export class DbWatch {
  readonly #db: Knex;
  readonly #tables: readonly string[];
  readonly #sql: string;
  #last: Record<string, string> = {};

  private constructor(db: Knex, tables: readonly string[]) {
    this.#db = db;
    this.#tables = tables;
    this.#sql = digestSql(tables);
  }

  static async start(db: Knex): Promise<DbWatch> {
    const reference = await fingerprint(db);
    const watch = new DbWatch(db, [...Object.keys(reference), ...OUTBOX_TABLES]);
    await watch.reset();
    const own = await watch.digest();
    for (const [table, value] of Object.entries(reference)) {
      if (own[table] !== value)
        throw new Error(`DbWatch digest of ${table} (${own[table]}) differs from fingerprint(db) (${value})`);
    }
    return watch;
  }

  async digest(): Promise<Record<string, string>> {
    const { rows } = await this.#db.raw(this.#sql);
    const row: Record<string, unknown> = rows[0];
    return Object.fromEntries(this.#tables.map((table, i) => [table, String(row[`t${i}`])]));
  }

  /** Re-reads the baseline (after changes made outside the watched requests). */
  async reset(): Promise<void> {
    this.#last = await this.digest();
  }

  /** Undefined when fine, else a description of what a rejected request changed. */
  async observe(res: SweepResponse, label: string): Promise<string | undefined> {
    const before = this.#last;
    const now = await this.digest();
    this.#last = now;
    if (res.status >= 200 && res.status < 300) return undefined;
    const changed = Object.keys(now).filter((table) => now[table] !== before[table]);
    return changed.length === 0 ? undefined : `${label} was rejected (${res.status}) but changed ${changed.join(', ')}`;
  }

  async expectUnchangedIfRejected(res: SweepResponse, label: string): Promise<void> {
    const problem = await this.observe(res, label);
    expect(problem, problem).toBeUndefined();
  }
}

/** Returns the secrets among `secrets` that occur in `text` (each at least 8 characters, to avoid chance hits). */
export function leakedSecrets(text: string, secrets: ReadonlyMap<string, string>): string[] {
  const found: string[] = [];
  for (const [name, value] of secrets) {
    if (value.length >= 8 && text.includes(value)) found.push(name);
  }
  return found;
}
