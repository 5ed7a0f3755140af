import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { createReservation } from '../helpers/fixtures.ts';
import { bookingsOf, startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';
import { ADMIN_TOKEN } from '../helpers/test_app.ts';

const HORIZON = 30;
let world: SyncWorld;
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);

function nights(beds24RoomId: number): number[] {
  return world.sandbox.calendar(beds24RoomId, day(0), day(HORIZON - 1)).map((d) => Number(d.numAvail));
}

async function admin(path: string, body: Record<string, unknown> = {}) {
  const request = { property_id: world.propertyId, ...body };
  return world.app.request('POST', `/api/admin/beds24/${path}`, request, ADMIN_TOKEN);
}

async function resync(): Promise<void> {
  expect((await admin('resync')).status).toBe(202);
}

beforeAll(async () => {
  world = await startSyncWorld(
    [
      { name: 'double', units: 1 },
      { name: 'twin', units: 1 },
      { name: 'suite', units: 1 },
    ],
    // Edits wait a full second before their push, as in production: the resync's job (no wait) goes first.
    { horizonDays: HORIZON, tuning: { debounceFactor: 1 } },
  );
  await waitForIdle(world);
});

afterAll(async () => {
  await world.close();
});

describe('a Beds24 room that lost its last PMS room', () => {
  it('is closed over the horizon by a full resync after the mapping was changed in SQL', async () => {
    const [a, b] = world.beds24RoomIds as [number, number];
    const room = world.rooms[0]![0]!;
    const stay = await createReservation(world.app, room, { check_in: day(3), check_out: day(5) });
    await waitForIdle(world);
    expect(nights(a).filter((n) => n === 1)).toHaveLength(HORIZON - 2);

    await world.database.db('rooms').where({ id: room }).update({ beds24_room_id: b });
    await resync();
    await waitForIdle(world);

    expect(nights(a)).toEqual(Array(HORIZON).fill(0));
    expect(nights(b)).toEqual(Array.from({ length: HORIZON }, (_, i) => (i === 3 || i === 4 ? 1 : 2)));
    expect(bookingsOf(world.sandbox, stay.id)[0]).toMatchObject({ roomId: b, status: 'confirmed' });
  });

  it('is closed when the mapping is patched and a resync is asked for at once', async () => {
    const [, b, c] = world.beds24RoomIds as [number, number, number];
    const room = world.rooms[2]![0]!;
    expect(nights(c)).toEqual(Array(HORIZON).fill(1));
    const patched = await world.app.request('PATCH', `/api/rooms/${room}`, { beds24_room_id: b });
    expect(patched.status).toBe(200);
    await resync();
    await waitForIdle(world);
    expect(nights(c)).toEqual(Array(HORIZON).fill(0));
    expect(nights(b)).toEqual(Array.from({ length: HORIZON }, (_, i) => (i === 3 || i === 4 ? 2 : 3)));
  });

  it('is covered by the drift check, which expects it closed', async () => {
    const [a] = world.beds24RoomIds as [number];
    world.sandbox.editCalendar(a, [{ from: day(6), to: day(8), numAvail: 1 }]);
    const dry = await admin('verify', { repair: false });
    expect(dry.status).toBe(200);
    expect(dry.body.checked.calendar_cells).toBe(3 * HORIZON);
    const expected = { num_avail: 0, price1: null };
    const actual = { num_avail: 1, price1: 100 };
    expect(dry.body.calendar).toEqual([6, 7, 8].map((n) => ({ beds24_room_id: a, date: day(n), expected, actual })));
    expect(dry.body.calendar_ranges).toEqual([
      { beds24_room_id: a, from: day(6), to: day(8), nights: 3, expected, actual, cause: 'former_room', message: null },
    ]);

    const repaired = await admin('verify');
    expect(repaired.body.repaired).toBe(true);
    await waitForIdle(world);
    expect(nights(a)).toEqual(Array(HORIZON).fill(0));
  });

  it('is forgotten by the repairing drift check when Beds24 has no such room, so no push retries it', async () => {
    const gone = 888888;
    await world.database.db('beds24_published_rooms').insert({ property_id: world.propertyId, beds24_room_id: gone });
    await resync();
    await waitForIdle(world);
    const dry = await admin('verify', { repair: false });
    const ranges = dry.body.calendar_ranges.filter((r: { beds24_room_id: number }) => r.beds24_room_id === gone);
    expect(ranges).toEqual([
      {
        beds24_room_id: gone,
        from: day(0),
        to: day(HORIZON - 1),
        nights: HORIZON,
        expected: { num_avail: 0, price1: null },
        actual: { num_avail: null, price1: null },
        cause: 'unknown_room',
        message: expect.stringMatching(/888888 does not exist/),
      },
    ]);
    await admin('verify');
    await waitForIdle(world);
    const published = await world.database
      .db('beds24_published_rooms')
      .where({ property_id: world.propertyId })
      .pluck('beds24_room_id');
    expect(published.sort()).toEqual([...world.beds24RoomIds].sort());
    const open = await world.database.db('beds24_sync_failures').whereNot({ state: 'resolved' }).select('entity_id');
    expect(open).toEqual([]);
    expect((await admin('verify', { repair: false })).body.calendar).toEqual([]);
  });
});
