import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.ts';
import { systemClock } from '../src/clock.ts';
import { createDb, withDatabase, type Knex } from '../src/db.ts';
import { startEmbeddedPostgres } from '../src/db/embedded_postgres.ts';
import { migrateLatest } from '../src/db/migrate.ts';
import { Beds24Sync } from '../src/integrations/beds24/beds24_sync.ts';
import type { QueueTuning } from '../src/integrations/beds24/queue/queue_config.ts';
import { createBeds24Sandbox, type Beds24Sandbox } from '@pms/beds24-sandbox';
import { createLogger } from '../src/logger.ts';
import { callServer } from '../test/helpers/server_process.ts';

export const TOKEN = 'bench-token';
export const WEBHOOK_TOKEN = 'bench-webhook-token-0123456789';
const KEY = 'be'.repeat(32);

export interface BenchEnv {
  db: Knex;
  url: string;
  sandbox: Beds24Sandbox;
  baseUrl: string;
  sync: Beds24Sync;
  api: JsonRequest;
  close(): Promise<void>;
}

/**
 * A fresh database (on DATABASE_URL's server, or a throwaway embedded PostgreSQL), the local Beds24
 * sandbox, and the real app with the real sync on a real port: benchmarks measure the product as it runs.
 */
export async function startBenchEnv(options: {
  workers: boolean;
  tuning?: Partial<QueueTuning>;
  horizonDays?: number;
  /** BEDS24_PULL_INTERVAL_SECONDS (the product's default when absent). */
  pullIntervalSeconds?: number;
}): Promise<BenchEnv> {
  const logger = createLogger('silent');
  let clusterDir: string | undefined;
  let stopCluster = async (): Promise<void> => {};
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    clusterDir = await mkdtemp(join(tmpdir(), 'pms-bench-pg-'));
    await chmod(clusterDir, 0o755);
    const cluster = await startEmbeddedPostgres({
      dir: join(clusterDir, 'postgres'),
      logger,
      settings: { max_connections: '200' },
    });
    serverUrl = cluster.url;
    stopCluster = () => cluster.stop();
  }
  const name = `pms_bench_${process.pid}_${Date.now()}`;
  const admin = createDb({ url: serverUrl, poolMax: 1 });
  await admin.raw('create database ??', [name]);
  const url = withDatabase(serverUrl, name);
  const db = createDb({ url, poolMax: 20 });
  await migrateLatest(db);

  const sandbox = createBeds24Sandbox({});
  const beds24ApiUrl = await sandbox.listen(0);
  const sync = new Beds24Sync({
    db,
    databaseUrl: url,
    beds24ApiUrl,
    encryptionKey: KEY,
    horizonDays: options.horizonDays ?? 365,
    logger,
    clock: systemClock,
    tuning: options.tuning,
    webhookToken: WEBHOOK_TOKEN,
    pullIntervalSeconds: options.pullIntervalSeconds,
  });
  await sync.start({ workers: options.workers });
  const app = createApp({ db, logger, apiToken: TOKEN, adminToken: TOKEN, sync });
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    db,
    url,
    sandbox,
    baseUrl,
    sync,
    api: jsonRequest(baseUrl, TOKEN),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sync.stop(5000);
      await sandbox.close();
      await db.destroy();
      await admin.raw('drop database if exists ?? with (force)', [name]);
      await admin.destroy();
      await stopCluster();
      if (clusterDir) await rm(clusterDir, { recursive: true, force: true });
    },
  };
}

export type JsonRequest = <T = unknown>(
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: T }>;

/** Calls the PMS's REST API at `baseUrl` with a bearer token: JSON in, JSON (or nothing) out. */
export function jsonRequest(baseUrl: string, token: string): JsonRequest {
  return (method, path, body) => callServer({ url: baseUrl }, token, method, path, body);
}

/** Creates a property with `types` Beds24 room types of `unitsPerType` PMS rooms each, connected to the sandbox. */
export async function connectedProperty(
  env: BenchEnv,
  name: string,
  types: number,
  unitsPerType: number,
  connect = true,
): Promise<{
  propertyId: string;
  rooms: string[];
  accountId: number;
  beds24PropertyId: number;
  beds24RoomIds: number[];
}> {
  const property = (await env.api<{ id: string }>('POST', '/api/properties', { name, timezone: 'UTC' })).body;
  const account = env.sandbox.createAccount({
    creditLimit: 100_000,
    properties: [{ name, rooms: Array.from({ length: types }, (_, i) => ({ name: `type ${i}`, qty: unitsPerType })) }],
  });
  const beds24 = account.properties[0]!;
  const rooms: string[] = [];
  for (let t = 0; t < types; t += 1) {
    for (let u = 0; u < unitsPerType; u += 1) {
      const room = await env.api<{ id: string }>('POST', '/api/rooms', {
        property_id: property.id,
        number: `${t}-${u}`,
        room_type: `type ${t}`,
        base_price: 80 + t * 10 + u,
        max_occupancy: 4,
        beds24_room_id: beds24.rooms[t]!.id,
      });
      rooms.push(room.body.id);
    }
  }
  if (connect) {
    const res = await env.api('PUT', '/api/admin/beds24/config', {
      property_id: property.id,
      beds24_property_id: beds24.id,
      invite_code: env.sandbox.createInviteCode(account.accountId),
    });
    if (res.status !== 200) throw new Error(`connect failed: ${JSON.stringify(res.body)}`);
  }
  return {
    propertyId: property.id,
    rooms,
    accountId: account.accountId,
    beds24PropertyId: beds24.id,
    beds24RoomIds: beds24.rooms.map((room) => room.id),
  };
}

export async function waitIdle(db: Knex, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await db('beds24_pending_changes').count({ n: '*' }).first();
    const jobs = await db.raw(
      `select count(*)::int as n from pgboss.job where name = 'beds24-sync' and state in ('created', 'retry', 'active')`,
    );
    if (Number(pending?.n) === 0 && jobs.rows[0].n === 0) return;
    if (Date.now() > deadline) throw new Error('sync did not become idle');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function printTable(title: string, rows: Array<Record<string, string | number>>): void {
  const columns = Object.keys(rows[0] ?? {});
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]): string => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  process.stdout.write(`\n${title}\n\n${line(columns)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n`);
  for (const row of rows) process.stdout.write(`${line(columns.map((c) => String(row[c])))}\n`);
}

/**
 * Tells when a booking with a `custom10` marker is in the sandbox. One watcher for all waiters, reading the
 * bookings again only after the sandbox answered another request: eight waiters each listing every booking
 * every 5 ms took most of the process's CPU and slowed the very sync they were timing.
 */
export interface BookingArrivals {
  /** Resolves with `performance.now()` at the moment the booking was seen. */
  arrived(marker: string): Promise<number>;
}

export function bookingArrivals(sandbox: Beds24Sandbox): BookingArrivals {
  const waiters = new Map<string, (at: number) => void>();
  let answered = -1;
  let timer: NodeJS.Timeout | undefined;
  const look = (): void => {
    timer = undefined;
    if (waiters.size === 0) return;
    if (sandbox.requests.length !== answered) {
      answered = sandbox.requests.length;
      const now = performance.now();
      for (const { custom10 } of sandbox.bookings()) {
        const resolve = typeof custom10 === 'string' ? waiters.get(custom10) : undefined;
        if (resolve) {
          waiters.delete(String(custom10));
          resolve(now);
        }
      }
    }
    timer = setTimeout(look, 2);
  };
  return {
    arrived(marker) {
      return new Promise((resolve, reject) => {
        const deadline = setTimeout(() => {
          waiters.delete(marker);
          reject(new Error(`booking ${marker} did not arrive within 60 s`));
        }, 60_000);
        waiters.set(marker, (at) => {
          clearTimeout(deadline);
          resolve(at);
        });
        answered = -1;
        timer ??= setTimeout(look, 0);
      });
    },
  };
}
