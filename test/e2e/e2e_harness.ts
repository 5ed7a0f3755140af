import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createBeds24Sandbox, type Beds24Sandbox, type InventoryModel, type SandboxOptions } from '@pms/beds24-sandbox';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { expectedCalendar, type ApiClient } from '../helpers/calendar_oracle.ts';
import { callServer, spawnServer, type ServerProcess } from '../helpers/server_process.ts';
import type { ApiResponse, Json } from '../helpers/test_app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test_database.ts';

export const API = 'e2e-api-token';
export const ADMIN = 'e2e-admin-token';
export const HORIZON = 90;

export interface E2eServer extends ApiClient {
  process: ServerProcess;
  admin(method: string, path: string, body?: unknown): Promise<ApiResponse>;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export interface E2eWorld {
  database: TestDatabase;
  sandbox: Beds24Sandbox;
  sandboxPort: number;
  startServer(): Promise<E2eServer>;
  close(): Promise<void>;
}

export interface E2eWorldOptions {
  /** Extra environment of the servers (e.g. BEDS24_PULL_INTERVAL_SECONDS). */
  env?: Record<string, string>;
  sandbox?: SandboxOptions;
}

/** A real database, the sandbox in this process, and servers started as child processes (`node src/server.ts`). */
export async function startE2eWorld(options: E2eWorldOptions = {}): Promise<E2eWorld> {
  const database = await createTestDatabase();
  const sandbox = createBeds24Sandbox(options.sandbox ?? {});
  const url = await sandbox.listen(0);
  const dataDir = await mkdtemp(join(tmpdir(), 'pms-e2e-'));
  await chmod(dataDir, 0o755);
  const servers: E2eServer[] = [];
  const env = {
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    BEDS24_API_URL: url,
    API_TOKEN: API,
    ADMIN_TOKEN: ADMIN,
    ENCRYPTION_KEY: 'e2'.repeat(32),
    SYNC_HORIZON_DAYS: String(HORIZON),
    ...options.env,
  };
  return {
    database,
    sandbox,
    sandboxPort: Number(new URL(url).port),
    async startServer() {
      const process = await spawnServer(env);
      const server: E2eServer = {
        process,
        request: (method, path, body) => callServer(process, API, method, path, body),
        admin: (method, path, body) => callServer(process, ADMIN, method, path, body),
        async stop() {
          process.child.kill('SIGTERM');
          expect(await process.exited).toBe(0);
        },
        async kill() {
          process.child.kill('SIGKILL');
          await process.exited;
        },
      };
      servers.push(server);
      return server;
    },
    async close() {
      for (const server of servers)
        if (server.process.child.exitCode === null && server.process.child.signalCode === null) await server.stop();
      await sandbox.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface E2eProperty {
  propertyId: string;
  accountId: number;
  beds24PropertyId: number;
  beds24RoomIds: number[];
  rooms: string[];
}

/** A property with `types` room types of `units` rooms, mapped and connected through the REST API. */
export async function connectedProperty(
  world: E2eWorld,
  server: E2eServer,
  types: number,
  units: number,
  inventoryModel?: InventoryModel,
): Promise<E2eProperty> {
  const property = (await server.request('POST', '/api/properties', { name: 'E2E Hotel', timezone: 'Europe/Berlin' }))
    .body;
  const account = world.sandbox.createAccount({
    inventoryModel,
    properties: [
      {
        name: 'E2E Hotel',
        timezone: 'Europe/Berlin',
        rooms: Array.from({ length: types }, (_, i) => ({ name: `type ${i}`, qty: units })),
      },
    ],
  });
  const beds24 = account.properties[0]!;
  const rooms: string[] = [];
  for (let t = 0; t < types; t += 1) {
    for (let u = 0; u < units; u += 1) {
      const room = await server.request('POST', '/api/rooms', {
        property_id: property.id,
        number: `${t + 1}${String(u).padStart(2, '0')}`,
        room_type: `type ${t}`,
        base_price: 90 + t * 20 + u,
        max_occupancy: 3,
        beds24_room_id: beds24.rooms[t]!.id,
      });
      expect(room.status).toBe(201);
      rooms.push(room.body.id);
    }
  }
  const connect = await server.admin('PUT', '/api/admin/beds24/config', {
    property_id: property.id,
    beds24_property_id: beds24.id,
    invite_code: world.sandbox.createInviteCode(account.accountId),
  });
  expect(connect.status, JSON.stringify(connect.body)).toBe(200);
  return {
    propertyId: property.id,
    accountId: account.accountId,
    beds24PropertyId: beds24.id,
    beds24RoomIds: beds24.rooms.map((r) => r.id),
    rooms,
  };
}

const today = (): string => todayIn('Europe/Berlin', new Date());

/**
 * `count` mixed staff edits at `concurrency`, spread over the given servers: new stays, date and room
 * changes, guest count and note edits, cancellations, rate overrides, housekeeping, maintenance blocks and
 * room status. Conflicts (409) are part of real life and simply rejected; every answer must be < 500.
 */
export async function burst(
  servers: E2eServer[],
  property: E2eProperty,
  count: number,
  concurrency: number,
  seed = 1,
): Promise<{ accepted: number }> {
  let state = seed;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const reservations: string[] = [];
  const blocks: string[] = [];
  let accepted = 0;
  let next = 0;
  const edit = async (i: number): Promise<void> => {
    const server = servers[i % servers.length]!;
    const room = pick(property.rooms);
    const start = 1 + Math.floor(random() * (HORIZON - 10));
    const roll = random();
    let res: ApiResponse;
    let described = '';
    const send = async (method: string, path: string, body?: unknown): Promise<ApiResponse> => {
      described = `${method} ${path} ${JSON.stringify(body)}`;
      return server.request(method, path, body);
    };
    if (roll < 0.35 || reservations.length < 5) {
      res = await send('POST', '/api/reservations', {
        room_id: room,
        guest: { first_name: 'Burst', last_name: `Guest ${i}`, email: `g${i}@example.com` },
        check_in: addDays(today(), start),
        check_out: addDays(today(), start + 1 + Math.floor(random() * 3)),
        adults: 1 + Math.floor(random() * 2),
        status: random() < 0.1 ? 'pending' : 'confirmed',
      });
      if (res.status === 201) reservations.push(res.body.id);
    } else if (roll < 0.5) {
      res = await send('PATCH', `/api/reservations/${pick(reservations)}`, {
        check_in: addDays(today(), start),
        check_out: addDays(today(), start + 2),
      });
    } else if (roll < 0.58) {
      res = await send('PATCH', `/api/reservations/${pick(reservations)}`, { room_id: room });
    } else if (roll < 0.66) {
      res = await send('PATCH', `/api/reservations/${pick(reservations)}`, { notes: `note ${i}`, adults: 1 });
    } else if (roll < 0.74) {
      res = await send('DELETE', `/api/reservations/${pick(reservations)}`);
    } else if (roll < 0.82) {
      res = await send('PUT', `/api/rooms/${room}/rates`, {
        from: addDays(today(), start),
        to: addDays(today(), start + 5),
        price: 70 + Math.floor(random() * 100),
      });
    } else if (roll < 0.88) {
      res = await send('PATCH', `/api/rooms/${room}/housekeeping`, {
        housekeeping_status: pick(['clean', 'dirty', 'out_of_order']),
      });
    } else if (roll < 0.94 || blocks.length === 0) {
      res = await send('POST', `/api/rooms/${room}/maintenance`, {
        start_date: addDays(today(), start),
        end_date: addDays(today(), start + 2),
      });
      if (res.status === 201) blocks.push(res.body.id);
    } else {
      res = await send('DELETE', `/api/maintenance/${blocks.splice(Math.floor(random() * blocks.length), 1)[0]}`);
    }
    expect(
      res.status,
      `${described} → ${JSON.stringify(res.body)}\n${server.process.output().slice(-3000)}`,
    ).toBeLessThan(500);
    if (res.status < 300) accepted += 1;
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await edit(next++);
    }),
  );
  return { accepted };
}

/** Waits until the status route says nothing is pending or queued for the property. */
export async function waitConverged(server: E2eServer, propertyId: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const status = await server.admin('GET', `/api/admin/beds24/status?property_id=${propertyId}`);
    last = status.body;
    const depth = Object.values(
      status.body.queue_depth as Record<string, { pending_changes: number; queued: number; running: number }>,
    );
    if (
      status.body.oldest_pending_change_age_s === null &&
      depth.every((d) => d.pending_changes + d.queued + d.running === 0)
    )
      return;
    if (Date.now() > deadline) throw new Error(`not converged after ${timeoutMs} ms: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// Written out again on purpose: the oracle must not import the mapper it checks.
const BEDS24_STATUS: Record<string, string> = {
  pending: 'request',
  confirmed: 'confirmed',
  checked_in: 'confirmed',
  checked_out: 'confirmed',
  cancelled: 'cancelled',
  no_show: 'cancelled',
};

/** Beds24 holds exactly what the PMS says: one booking per pushed reservation, equal fields, and the calendar rule. */
export async function expectConverged(world: E2eWorld, server: E2eServer, property: E2eProperty): Promise<void> {
  const reservations: Json[] = [];
  let cursor: string | null = null;
  do {
    const page: ApiResponse = await server.request(
      'GET',
      `/api/reservations?property_id=${property.propertyId}&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
    );
    reservations.push(...page.body.data);
    cursor = page.body.next_cursor;
  } while (cursor);
  const rooms = new Map<string, number | null>(
    (await server.request('GET', `/api/rooms?property_id=${property.propertyId}&limit=500`)).body.data.map(
      (r: Json) => [r.id, r.beds24_room_id],
    ),
  );
  const bookings = world.sandbox.bookings(property.accountId);
  const byMarker = Map.groupBy(bookings, (b) => String(b.custom10));
  for (const reservation of reservations) {
    const found = byMarker.get(`PMS:${reservation.id}`) ?? [];
    expect(found.length, `bookings of reservation ${reservation.id}`).toBeLessThanOrEqual(1);
    const beds24RoomId = rooms.get(reservation.room_id);
    const live = BEDS24_STATUS[reservation.status] !== 'cancelled' && beds24RoomId !== null;
    if (!live) {
      if (found[0]) expect(found[0].status, `reservation ${reservation.id}`).toBe('cancelled');
      continue;
    }
    expect(found[0], `reservation ${reservation.id} in Beds24`).toMatchObject({
      id: reservation.beds24_booking_id,
      roomId: beds24RoomId,
      arrival: reservation.check_in,
      departure: reservation.check_out,
      status: BEDS24_STATUS[reservation.status],
      numAdult: reservation.adults,
      lastName: reservation.guest.last_name,
    });
  }
  expect(bookings.filter((b) => !String(b.custom10).startsWith('PMS:'))).toEqual([]);
  expect(bookings.length).toBe(byMarker.size);
  for (const beds24RoomId of property.beds24RoomIds) {
    const expected = await expectedCalendar(server, property.propertyId, beds24RoomId, 'Europe/Berlin', HORIZON);
    const actual = world.sandbox.calendar(beds24RoomId, expected[0]!.date, expected.at(-1)!.date).map((d, i) => ({
      date: d.date,
      numAvail: d.numAvail,
      price1: expected[i]!.price1 === null ? null : d.price1,
    }));
    expect(actual, `calendar of Beds24 room ${beds24RoomId}`).toEqual(expected);
  }
}
