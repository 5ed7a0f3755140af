import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app.ts';
import { systemClock, type Clock } from '../../src/clock.ts';
import type { Knex } from '../../src/db.ts';
import { Beds24Sync, type Beds24SyncDeps } from '../../src/integrations/beds24/beds24_sync.ts';
import { createLogger, type Logger } from '../../src/logger.ts';

export const API_TOKEN = 'test-api-token';
export const ADMIN_TOKEN = 'test-admin-token';
export const TEST_ENCRYPTION_KEY = 'c0ffee'.repeat(10) + 'c0ff';
export const WEBHOOK_TOKEN = 'test-webhook-token-0123456789';

/** Response bodies stay loosely typed on purpose: the tests assert on their shape field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the one loose type the tests' answers share
export type Json = any;

export interface ApiResponse<T = Json> {
  status: number;
  body: T;
}

export interface TestApp {
  baseUrl: string;
  sync: Beds24Sync;
  request<T = Json>(method: string, path: string, body?: unknown, token?: string | null): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  beds24ApiUrl?: string;
  /** Run the sync workers in this process (default: only accept jobs). */
  workers?: boolean;
  /** Start the queue at all; off for an app whose database is unreachable on purpose. */
  queue?: boolean;
  clock?: Clock;
  logger?: Logger;
  tuning?: Beds24SyncDeps['tuning'];
  client?: Beds24SyncDeps['client'];
  horizonDays?: number;
  /** How often the outbox sweeper runs (a test that drives the sweeps itself makes it rare). */
  sweepIntervalMs?: number;
  /** BEDS24_PULL_INTERVAL_SECONDS (also the per-booking read limit of webhook hints). */
  pullIntervalSeconds?: number;
  /** False: no interval pulls, so the webhook path alone brings bookings in. */
  intervalPulls?: boolean;
  /** PUBLIC_URL; `self` for this app's own URL (known once it listens). */
  publicUrl?: string;
}

/** The real Express app and the real sync on a real port, talked to over HTTP with fetch. */
export async function startTestApp(
  database: { db: Knex; url: string },
  options: TestAppOptions = {},
): Promise<TestApp> {
  // Listening first, so the app's own URL can be its PUBLIC_URL.
  let handle: RequestListener = (_req, res) => {
    res.writeHead(503).end();
  };
  const server: Server = await new Promise((resolve) => {
    const s = createServer((req, res) => handle(req, res)).listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger('silent');
  const sync = new Beds24Sync({
    db: database.db,
    databaseUrl: database.url,
    beds24ApiUrl: options.beds24ApiUrl ?? 'http://127.0.0.1:9/v2',
    encryptionKey: TEST_ENCRYPTION_KEY,
    webhookToken: WEBHOOK_TOKEN,
    horizonDays: options.horizonDays ?? 365,
    logger,
    clock,
    tuning: { pollingIntervalSeconds: 0.5, ...options.tuning },
    client: {
      transport: { retries: 3, minRetryDelayMs: 20, maxRetryDelayMs: 200, timeoutMs: 5000 },
      ...options.client,
    },
    sweepIntervalMs: options.sweepIntervalMs ?? 1000,
    pullIntervalSeconds: options.pullIntervalSeconds,
    intervalPulls: options.intervalPulls,
    publicUrl: options.publicUrl === 'self' ? baseUrl : options.publicUrl,
  });
  if (options.queue !== false) await sync.start({ workers: options.workers ?? false });
  handle = createApp({ db: database.db, logger, apiToken: API_TOKEN, adminToken: ADMIN_TOKEN, sync });
  return {
    baseUrl,
    sync,
    async request(method, path, body, token = API_TOKEN) {
      const headers: Record<string, string> = {};
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let payload: string | undefined;
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        payload = typeof body === 'string' ? body : JSON.stringify(body);
      }
      const res = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
      const text = await res.text();
      return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      if (options.queue !== false) await sync.stop(5000);
    },
  };
}
