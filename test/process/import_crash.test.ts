import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBeds24Sandbox, type Beds24Sandbox } from '@pms/beds24-sandbox';
import type { Knex } from '../../src/db.ts';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { eventually } from '../helpers/inbound.ts';
import { callServer, spawnServer, type ServerProcess } from '../helpers/server_process.ts';
import type { ApiResponse, Json } from '../helpers/test_app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test_database.ts';

const API = 'import-crash-api-token';
const ADMIN = 'import-crash-admin-token';
let database: TestDatabase;
let sandbox: Beds24Sandbox;
let dataDir: string;
let env: Record<string, string | undefined>;
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);

function call(server: ServerProcess, method: string, path: string, body?: unknown, token = API): Promise<ApiResponse> {
  return callServer(server, token, method, path, body);
}

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = createBeds24Sandbox({});
  dataDir = await mkdtemp(join(tmpdir(), 'pms-import-crash-'));
  await chmod(dataDir, 0o755);
  env = {
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    BEDS24_API_URL: await sandbox.listen(0),
    API_TOKEN: API,
    ADMIN_TOKEN: ADMIN,
    ENCRYPTION_KEY: '5e'.repeat(32),
    BEDS24_WEBHOOK_TOKEN: 'import-crash-webhook-token',
    BEDS24_PULL_INTERVAL_SECONDS: '3600',
  };
});

afterAll(async () => {
  await sandbox.close();
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Server backends blocked on a row lock while locking rooms: the import waiting inside its transaction. */
async function importsWaitingOnRooms(db: Knex): Promise<number> {
  const { rows } = await db.raw(
    `select count(*)::int as n from pg_stat_activity
     where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'
       and query ilike '%from "rooms"%for update%'`,
  );
  return rows[0].n;
}

describe('the server killed (SIGKILL) between reading bookings from Beds24 and committing them', () => {
  it('after a restart, every booking is imported exactly once and the pull completes', async () => {
    const first = await spawnServer(env);
    let killed = false;
    // A transaction of the test's own holds the single room's row lock, so the import blocks right there.
    let releaseLock: (() => void) | undefined;
    let lockHeld: Promise<void> | undefined;
    try {
      const property = (await call(first, 'POST', '/api/properties', { name: 'Import Crash Hotel', timezone: 'UTC' }))
        .body;
      const account = sandbox.createAccount({
        properties: [
          {
            name: 'Import Crash Hotel',
            rooms: [
              { name: 'double', qty: 2 },
              { name: 'single', qty: 1 },
            ],
          },
        ],
      });
      const beds24 = account.properties[0]!;
      const [double, single] = beds24.rooms.map((room) => room.id) as [number, number];
      const rooms: string[] = [];
      for (const [number, beds24RoomId] of [
        ['101', double],
        ['102', double],
        ['201', single],
      ] as const) {
        const room = await call(first, 'POST', '/api/rooms', {
          property_id: property.id,
          number,
          room_type: beds24RoomId === double ? 'double' : 'single',
          base_price: 80,
          max_occupancy: 2,
          beds24_room_id: beds24RoomId,
        });
        rooms.push(room.body.id);
      }
      const made = sandbox.addBookings(account.accountId, [
        { roomId: double, arrival: day(3), departure: day(5), status: 'confirmed', lastName: 'First' },
        { roomId: single, arrival: day(3), departure: day(5), status: 'confirmed', lastName: 'Second' },
        { roomId: double, arrival: day(6), departure: day(8), status: 'confirmed', lastName: 'Third' },
      ]);
      const bookingIds = made.map((result) => (result.new as { id: number }).id);

      lockHeld = new Promise<void>((resolveHeld) => {
        void database.db
          .transaction(async (trx) => {
            await trx('rooms').where({ id: rooms[2] }).forUpdate().first('id');
            resolveHeld();
            await new Promise<void>((resolve) => {
              releaseLock = resolve;
            });
            await trx.rollback();
          })
          .catch(() => undefined);
      });
      await lockHeld;

      const connected = await call(
        first,
        'PUT',
        '/api/admin/beds24/config',
        {
          property_id: property.id,
          beds24_property_id: beds24.id,
          invite_code: sandbox.createInviteCode(account.accountId),
        },
        ADMIN,
      );
      expect(connected.status).toBe(200);
      // Fetched from Beds24, the first booking committed, the second one waiting inside its transaction.
      await eventually(
        () => importsWaitingOnRooms(database.db),
        (n) => n > 0,
        30_000,
      );
      expect(sandbox.requests.filter((r) => r.method === 'GET' && r.path === '/bookings')).toHaveLength(1);
      const before: Json[] = await database.db('reservations').where({ property_id: property.id, source: 'beds24' });
      expect(before.map((r) => r.beds24_booking_id)).toEqual([bookingIds[0]]);

      first.child.kill('SIGKILL');
      await first.exited;
      killed = true;
      releaseLock?.();
      const state: Json = await database.db('beds24_pull_state').where({ property_id: property.id }).first();
      expect(state.last_pull_at).toBeNull();
      expect(state.cursor).toBeNull();

      const second = await spawnServer(env);
      try {
        const imported = await eventually(
          async (): Promise<Json[]> =>
            database
              .db('reservations')
              .where({ property_id: property.id, source: 'beds24' })
              .orderBy('beds24_booking_id'),
          (list) => list.length >= 3,
          60_000,
        );
        await eventually(
          async (): Promise<Json> => database.db('beds24_pull_state').where({ property_id: property.id }).first(),
          (row) => row.last_pull_at !== null,
          60_000,
        );
        const again: Json[] = await database.db('reservations').where({ property_id: property.id, source: 'beds24' });
        expect(again).toHaveLength(3);
        expect(imported.map((r) => r.beds24_booking_id)).toEqual(bookingIds);
        expect(imported.map((r) => r.room_id)).toEqual([rooms[0], rooms[2], rooms[0]]);
        const guests = await database.db('guests').whereIn('last_name', ['First', 'Second', 'Third']);
        expect(guests).toHaveLength(3);
      } finally {
        second.child.kill('SIGTERM');
        expect(await second.exited).toBe(0);
      }
    } finally {
      releaseLock?.();
      if (!killed) {
        first.child.kill('SIGKILL');
        await first.exited;
      }
    }
  }, 150_000);
});
