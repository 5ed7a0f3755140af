import type { Knex } from '../../../db.ts';
import type { Logger } from '../../../logger.ts';
import { insertCall } from '../store/sync_log_store.ts';

export type CallOutcome = 'ok' | 'item_errors' | 'transient' | 'rate_limited' | 'auth' | 'validation' | 'unexpected';

export interface SyncLogEntry {
  accountKey: string;
  propertyId?: string;
  method: string;
  path: string;
  status?: number;
  cost?: number;
  remaining?: number;
  durationMs: number;
  outcome: CallOutcome;
  request?: unknown;
  response?: unknown;
  error?: string;
}

/*
 * Only these keys survive into the log: identifiers, dates, counts, availability, prices and Beds24's
 * result messages. Guest names, contact details, notes and every token are dropped, whatever the endpoint.
 */
const KEPT_KEYS = new Set([
  'id',
  'roomId',
  'propertyId',
  'status',
  'arrival',
  'departure',
  'numAdult',
  'numChild',
  'price',
  'from',
  'to',
  'numAvail',
  'price1',
  'minStay',
  'maxStay',
  'calendar',
  'success',
  'new',
  'modified',
  'errors',
  'warnings',
  'info',
  'action',
  'field',
  'message',
  'code',
  'error',
  'count',
  'data',
  'pages',
  'nextPageExists',
  'type',
  'expiresIn',
  'validToken',
  'roomTypes',
  'qty',
  'items',
  'startDate',
  'endDate',
  'page',
  'arrivalFrom',
  'arrivalTo',
  'departureFrom',
  'departureTo',
  'modifiedFrom',
]);
const MAX_ITEMS = 20;
const MAX_STRING = 300;

export function trimForLog(value: unknown, depth = 0): unknown {
  if (depth > 6) return '…';
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (Array.isArray(value)) {
    const kept = value.slice(0, MAX_ITEMS).map((item) => trimForLog(item, depth + 1));
    return value.length > MAX_ITEMS ? [...kept, `… ${value.length - MAX_ITEMS} more`] : kept;
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) if (KEPT_KEYS.has(key)) out[key] = trimForLog(inner, depth + 1);
    return out;
  }
  return value;
}

/** Every Beds24 call, one row in the sync log table and one log line: endpoint, status, cost, duration, outcome. */
export interface CallCounters {
  calls: { inc(labels: { endpoint: string; outcome: string }): void };
  credits: { inc(labels: { endpoint: string }, value: number): void };
}

export interface SyncLogDeps {
  db: Knex;
  logger: Logger;
  counters?: CallCounters;
}

export class SyncLog {
  private readonly db: Knex;
  private readonly logger: Logger;
  private readonly counters: CallCounters | undefined;

  constructor({ db, logger, counters }: SyncLogDeps) {
    this.db = db;
    this.logger = logger;
    this.counters = counters;
  }

  async record(entry: SyncLogEntry): Promise<void> {
    const line = {
      account: entry.accountKey,
      property_id: entry.propertyId,
      endpoint: `${entry.method} ${entry.path}`,
      status: entry.status,
      cost: entry.cost,
      remaining: entry.remaining,
      duration_ms: entry.durationMs,
      outcome: entry.outcome,
    };
    this.counters?.calls.inc({ endpoint: line.endpoint, outcome: entry.outcome });
    if (entry.cost !== undefined && entry.cost > 0) this.counters?.credits.inc({ endpoint: line.endpoint }, entry.cost);
    if (entry.outcome === 'ok') this.logger.debug(line, 'beds24 call');
    else this.logger.warn({ ...line, error: entry.error }, 'beds24 call failed');
    try {
      await insertCall(this.db, {
        account_key: entry.accountKey,
        property_id: entry.propertyId ?? null,
        method: entry.method,
        path: entry.path,
        status: entry.status ?? null,
        cost: entry.cost ?? null,
        remaining: entry.remaining ?? null,
        duration_ms: Math.round(entry.durationMs),
        outcome: entry.outcome,
        request: entry.request === undefined ? null : JSON.stringify(trimForLog(entry.request)),
        response: entry.response === undefined ? null : JSON.stringify(trimForLog(entry.response)),
        error: entry.error?.slice(0, 1000) ?? null,
      });
    } catch (error) {
      // The audit row is secondary to the push itself: a failed insert is reported, never fatal.
      this.logger.error({ err: error, endpoint: line.endpoint }, 'could not write the sync log');
    }
  }
}
