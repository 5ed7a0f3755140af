import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBeds24Sandbox, type Beds24Sandbox } from '@pms/beds24-sandbox';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { callServer, spawnServer, type ServerProcess } from '../helpers/server_process.ts';
import { bookingsOf, waitForIdle } from '../helpers/sync_harness.ts';
import type { ApiResponse } from '../helpers/test_app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test_database.ts';

const API = 'crash-api-token';
const ADMIN = 'crash-admin-token';
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
  dataDir = await mkdtemp(join(tmpdir(), 'pms-crash-'));
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
    ENCRYPTION_KEY: '7a'.repeat(32),
  };
});

afterAll(async () => {
  await sandbox.close();
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the server killed with jobs queued and running', () => {
  it('after a restart, every committed reservation reaches Beds24 exactly once', async () => {
    const first = await spawnServer(env);
    const property = (await call(first, 'POST', '/api/properties', { name: 'Crash Hotel' })).body;
    const account = sandbox.createAccount({
      properties: [{ name: 'Crash Hotel', rooms: [{ name: 'double', qty: 10 }] }],
    });
    const beds24Property = account.properties[0]!;
    const rooms: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const room = await call(first, 'POST', '/api/rooms', {
        property_id: property.id,
        number: `${100 + i}`,
        room_type: 'double',
        base_price: 90,
        max_occupancy: 2,
        beds24_room_id: beds24Property.rooms[0]!.id,
      });
      rooms.push(room.body.id);
    }
    const connected = await call(
      first,
      'PUT',
      '/api/admin/beds24/config',
      {
        property_id: property.id,
        beds24_property_id: beds24Property.id,
        invite_code: sandbox.createInviteCode(account.accountId),
      },
      ADMIN,
    );
    expect(connected.status).toBe(200);

    // Slow Beds24 down so pushes are in flight when the process dies.
    sandbox.setFaults({ latencyMs: [100, 400] });
    const burst = Array.from({ length: 60 }, (_, i) =>
      call(first, 'POST', '/api/reservations', {
        room_id: rooms[i % 10],
        guest: { first_name: 'Crash', last_name: `Guest ${i}` },
        check_in: day(5 + Math.floor(i / 10) * 2),
        check_out: day(6 + Math.floor(i / 10) * 2),
        adults: 1,
      }).catch(() => ({ status: 0, body: undefined })),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    first.child.kill('SIGKILL');
    await first.exited;
    const answered = (await Promise.all(burst)).filter((r) => r.status === 201);
    expect(answered.length).toBeGreaterThan(0);

    const second = await spawnServer(env);
    try {
      await waitForIdle({ database }, 90_000);
      const committed: Array<{ id: string }> = await database
        .db('reservations')
        .where({ property_id: property.id })
        .select('id');
      expect(committed.length).toBeGreaterThanOrEqual(answered.length);
      for (const { id } of committed) expect(bookingsOf(sandbox, id), `reservation ${id}`).toHaveLength(1);
      expect(sandbox.bookings().length).toBe(committed.length);
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  }, 150_000);
});
