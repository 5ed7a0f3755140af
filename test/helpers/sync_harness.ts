import { expect } from 'vitest';
import type { SyncKind } from '../../src/integrations/beds24/queue/job_kinds.ts';
import { NIGHTLY_CHECK_QUEUE, SYNC_QUEUE, singletonKeyFor } from '../../src/integrations/beds24/queue/queue_config.ts';
import { PGBOSS_SCHEMA, type SyncQueue } from '../../src/integrations/beds24/queue/sync_queue.ts';
import { SyncWorker, type KindHandler } from '../../src/integrations/beds24/queue/sync_worker.ts';
import { systemClock } from '../../src/clock.ts';
import type { Knex } from '../../src/db.ts';
import { createLogger } from '../../src/logger.ts';
import { createBeds24Sandbox, type Beds24Sandbox, type SandboxBookingView } from '@pms/beds24-sandbox';
import { createProperty, createRoom } from './fixtures.ts';
import { ADMIN_TOKEN, startTestApp, type TestApp, type TestAppOptions } from './test_app.ts';
import { createTestDatabase, type TestDatabase } from './test_database.ts';

export interface RoomTypeSpec {
  name: string;
  /** PMS rooms mapped to this Beds24 room type. */
  units: number;
  basePrice?: number;
  maxOccupancy?: number;
  /** The Beds24 room's own stay limits (its settings in Beds24, outside the calendar). */
  beds24MinStay?: number;
  beds24MaxStay?: number;
  /** The Beds24 room type's quantity (default `units`); with `units: 0`, a Beds24 room no PMS room maps to. */
  beds24Qty?: number;
}

/** The Beds24 side before the PMS connects: what a hotel's account already holds. */
export interface Beds24Account {
  sandbox: Beds24Sandbox;
  accountId: number;
  beds24PropertyId: number;
  beds24RoomIds: number[];
}

export interface SyncWorld {
  database: TestDatabase;
  sandbox: Beds24Sandbox;
  accountId: number;
  propertyId: string;
  beds24PropertyId: number;
  /** Beds24 room id per room type, in the order given. */
  beds24RoomIds: number[];
  /** PMS room ids per room type. */
  rooms: string[][];
  /** Replaced by a test that restarts the PMS process; `close` closes whichever app is current. */
  app: TestApp;
  close(): Promise<void>;
}

/**
 * A PMS with running sync workers, a local Beds24 sandbox, and one property connected the way an
 * operator does it: rooms mapped, then `PUT /api/admin/beds24/config` with an invite code. A `clock`
 * is shared by the PMS and the sandbox, so both agree on "today".
 */
export async function startSyncWorld(
  roomTypes: RoomTypeSpec[],
  options: TestAppOptions & { timezone?: string; beforeConnect?: (account: Beds24Account) => void } = {},
): Promise<SyncWorld> {
  const database = await createTestDatabase();
  const clock = options.clock;
  const sandbox = createBeds24Sandbox(clock ? { clock: () => clock.now() } : {});
  const beds24ApiUrl = await sandbox.listen(0);
  const app = await startTestApp(database, {
    beds24ApiUrl,
    workers: true,
    tuning: {
      debounceFactor: 0.3,
      pollingIntervalSeconds: 0.5,
      retryDelaySeconds: 1,
      retryDelayMaxSeconds: 2,
      ...options.tuning,
    },
    ...options,
  });
  const timezone = options.timezone ?? 'UTC';
  const property = await createProperty(app, { timezone });
  const beds24Rooms = roomTypes.map((type) => ({
    name: type.name,
    qty: type.beds24Qty ?? type.units,
    ...(type.beds24MinStay === undefined ? {} : { minStay: type.beds24MinStay }),
    ...(type.beds24MaxStay === undefined ? {} : { maxStay: type.beds24MaxStay }),
  }));
  const account = sandbox.createAccount({ properties: [{ name: property.name, timezone, rooms: beds24Rooms }] });
  const beds24Property = account.properties[0]!;
  const beds24RoomIds = beds24Property.rooms.map((room) => room.id);
  const rooms: string[][] = [];
  for (const [index, type] of roomTypes.entries()) {
    const ids: string[] = [];
    for (let unit = 0; unit < type.units; unit += 1) {
      const room = await createRoom(app, property.id, {
        number: `${index + 1}${String(unit).padStart(2, '0')}`,
        room_type: type.name,
        base_price: type.basePrice ?? 100,
        max_occupancy: type.maxOccupancy ?? 4,
        beds24_room_id: beds24RoomIds[index],
      });
      ids.push(room.id);
    }
    rooms.push(ids);
  }
  const beds24PropertyId = beds24Property.id;
  options.beforeConnect?.({ sandbox, accountId: account.accountId, beds24PropertyId, beds24RoomIds });
  const connect = await app.request(
    'PUT',
    '/api/admin/beds24/config',
    {
      property_id: property.id,
      beds24_property_id: beds24Property.id,
      invite_code: sandbox.createInviteCode(account.accountId),
    },
    ADMIN_TOKEN,
  );
  expect(connect.status, JSON.stringify(connect.body)).toBe(200);
  const world: SyncWorld = {
    database,
    sandbox,
    app,
    accountId: account.accountId,
    propertyId: property.id,
    beds24PropertyId: beds24Property.id,
    beds24RoomIds,
    rooms,
    close: async () => {
      await world.app.close();
      await sandbox.close();
      await database.drop();
    },
  };
  return world;
}

/** Waits until the outbox is empty and no sync job (nightly checks included) is waiting or running. */
export async function waitForIdle(world: Pick<SyncWorld, 'database'>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await world.database.db('beds24_pending_changes').count({ n: '*' }).first();
    const jobs = await world.database.db.raw(
      `select count(*)::int as n from ${PGBOSS_SCHEMA}.job
       where name in (?, ?) and state in ('created', 'retry', 'active')`,
      [SYNC_QUEUE, NIGHTLY_CHECK_QUEUE],
    );
    if (Number(pending?.n) === 0 && jobs.rows[0].n === 0) return;
    if (Date.now() > deadline) {
      const rows = await world.database.db('beds24_pending_changes').select('*');
      const failures = await world.database.db('beds24_sync_failures').select('*');
      throw new Error(`sync not idle after ${timeoutMs} ms: ${JSON.stringify({ rows, failures, jobs: jobs.rows })}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The database's time now: what pg-boss stamps its jobs with. */
export async function databaseNow(world: Pick<SyncWorld, 'database'>): Promise<Date> {
  const { rows } = await world.database.db.raw('select now() as now');
  return rows[0].now;
}

/** Waits until a job of `kind` for the property, sent at `since` (database time) or later, has completed. */
export async function waitForCompletedJob(
  world: Pick<SyncWorld, 'database' | 'propertyId'>,
  kind: SyncKind,
  since: Date,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await world.database.db.raw(
      `select 1 from ${PGBOSS_SCHEMA}.job
       where name = ? and singleton_key = ? and state = 'completed' and created_on >= ?`,
      [SYNC_QUEUE, singletonKeyFor(kind, world.propertyId), since],
    );
    if (rows.length > 0) return;
    if (Date.now() > deadline) throw new Error(`no ${kind} job completed within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The sandbox's bookings that carry our marker for this PMS reservation. */
export function bookingsOf(sandbox: Beds24Sandbox, reservationId: string): SandboxBookingView[] {
  return sandbox.bookings().filter((booking) => booking.custom10 === `PMS:${reservationId}`);
}

export function callsTo(sandbox: Beds24Sandbox, method: string, path: string): number {
  return sandbox.requests.filter((r) => r.method === method && r.path === path).length;
}

/** A sync worker whose every job kind runs `push`: for tests of the worker itself, not of a push. */
export function workerRunning(push: KindHandler, deps: { db: Knex; queue: SyncQueue }): SyncWorker {
  return new SyncWorker({
    ...deps,
    logger: createLogger('silent'),
    clock: systemClock,
    handlers: { reservations: push, availability: push, rates: push, resync: push, import: push },
  });
}
