import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { createRoom, fingerprint } from '../helpers/fixtures.ts';
import { startSyncWorld, type SyncWorld } from '../helpers/sync_harness.ts';
import { ADMIN_TOKEN, API_TOKEN } from '../helpers/test_app.ts';

/*
 * The dashboard's calendar route, with the workers off: pushes run only when the test says so, so a night
 * waiting to be sent stays visible.
 */
const HORIZON = 60;
let world: SyncWorld;
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);
const grid = (query: string, token = ADMIN_TOKEN) =>
  world.app.request('GET', `/api/admin/beds24/calendar?${query}`, undefined, token);

interface Cell {
  date: string;
  desired: Record<string, unknown> | null;
  accepted: Record<string, unknown> | null;
  pending: boolean;
  refused: boolean;
  drift: { expected: Record<string, unknown>; actual: Record<string, unknown>; cause: string } | null;
}
interface Room {
  beds24_room_id: number;
  room_numbers: string[];
  restrictions_managed: boolean;
  refused_message: string | null;
  cells: Cell[];
}
const roomOf = (body: { rooms: Room[] }, id: number): Room => body.rooms.find((room) => room.beds24_room_id === id)!;
const cellOf = (body: { rooms: Room[] }, id: number, date: string): Cell =>
  roomOf(body, id).cells.find((cell) => cell.date === date)!;

beforeAll(async () => {
  world = await startSyncWorld(
    [
      { name: 'double', units: 2, basePrice: 100 },
      { name: 'suite', units: 1, basePrice: 250 },
    ],
    { workers: false, horizonDays: HORIZON },
  );
  await world.app.sync.pushCalendar(world.propertyId);
});

afterAll(async () => {
  await world.close();
});

describe('GET /api/admin/beds24/calendar', () => {
  it('answers 30 nights from today by default: desired next to accepted, per Beds24 room and its rooms', async () => {
    const res = await grid(`property_id=${world.propertyId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      property_id: world.propertyId,
      connected: true,
      timezone: 'UTC',
      from: day(0),
      to: day(29),
      today: day(0),
      last_night: day(HORIZON - 1),
    });
    expect(res.body.rooms.map((room: Room) => [room.beds24_room_id, room.room_numbers])).toEqual([
      [world.beds24RoomIds[0], ['100', '101']],
      [world.beds24RoomIds[1], ['200']],
    ]);
    const values = { num_avail: 2, price1: 100, min_stay: null, max_stay: null, override: 'none' };
    expect(cellOf(res.body, world.beds24RoomIds[0]!, day(5))).toEqual({
      date: day(5),
      desired: values,
      accepted: values,
      pending: false,
      refused: false,
      drift: null,
    });
    expect(roomOf(res.body, world.beds24RoomIds[0]!).cells).toHaveLength(30);
  });

  it('shows a stop-sell once accepted, and the nights still waiting to be sent as pending', async () => {
    const [doubleId] = world.beds24RoomIds as [number, number];
    const restrict = { room_type: 'double', from: day(3), to: day(4), stop_sell: true };
    const restricted = await world.app.request('PUT', `/api/properties/${world.propertyId}/restrictions`, restrict);
    expect(restricted.status).toBe(200);
    await world.app.sync.pushCalendar(world.propertyId);
    const rate = { from: day(6), to: day(6), price: 130 };
    expect((await world.app.request('PUT', `/api/rooms/${world.rooms[0]![0]}/rates`, rate)).status).toBe(200);
    expect((await world.app.request('PUT', `/api/rooms/${world.rooms[0]![1]}/rates`, rate)).status).toBe(200);

    const res = await grid(`property_id=${world.propertyId}&from=${day(3)}&to=${day(7)}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: day(3), to: day(7), changes_waiting: true });
    const stopSell = cellOf(res.body, doubleId, day(3));
    const blackout = { override: 'blackout' };
    expect(stopSell).toMatchObject({ pending: false, desired: blackout, accepted: blackout });
    expect(roomOf(res.body, doubleId).restrictions_managed).toBe(true);
    expect(cellOf(res.body, doubleId, day(6))).toMatchObject({
      pending: true,
      refused: false,
      desired: { price1: 130 },
      accepted: { price1: 100 },
    });
    expect(
      roomOf(res.body, doubleId)
        .cells.filter((cell) => cell.pending)
        .map((cell) => cell.date),
    ).toEqual([day(6)]);
    await world.app.sync.pushCalendar(world.propertyId);
    const sent = await grid(`property_id=${world.propertyId}&from=${day(6)}&to=${day(6)}`);
    expect(cellOf(sent.body, doubleId, day(6)).pending).toBe(false);
  });

  it('marks the nights of a room Beds24 refused, with its message', async () => {
    const mapped = { number: 'Z9', beds24_room_id: world.beds24RoomIds[1] };
    const loose = await createRoom(world.app, world.propertyId, mapped);
    await world.database.db('rooms').where({ id: loose.id }).update({ beds24_room_id: 777777 });
    await world.app.sync.pushCalendar(world.propertyId);
    const res = await grid(`property_id=${world.propertyId}&from=${day(0)}&to=${day(1)}`);
    const refused = roomOf(res.body, 777777);
    expect(refused.refused_message).toMatch(/777777 does not exist/);
    expect(refused.room_numbers).toEqual(['Z9']);
    expect(refused.cells.map((cell) => [cell.pending, cell.refused])).toEqual([
      [true, true],
      [true, true],
    ]);
    expect(cellOf(res.body, world.beds24RoomIds[0]!, day(0)).refused).toBe(false);
    await world.database.db('rooms').where({ id: loose.id }).delete();
  });

  it('marks the nights the last drift check found different in Beds24, until the next check', async () => {
    const suiteId = world.beds24RoomIds[1]!;
    world.sandbox.editCalendar(suiteId, [{ from: day(10), to: day(11), numAvail: 0, override: 'noCheckIn' }]);
    const verify = { property_id: world.propertyId, repair: false };
    expect((await world.app.request('POST', '/api/admin/beds24/verify', verify, ADMIN_TOKEN)).status).toBe(200);

    const res = await grid(`property_id=${world.propertyId}&from=${day(9)}&to=${day(12)}`);
    expect(roomOf(res.body, suiteId).cells.map((cell) => cell.drift !== null)).toEqual([false, true, true, false]);
    expect(cellOf(res.body, suiteId, day(10)).drift).toEqual({
      expected: { num_avail: 1, price1: 250 },
      actual: { num_avail: 0, price1: 250 },
      cause: expect.any(String),
    });
    expect(res.body.drift_checked_at).toEqual(expect.any(String));

    world.sandbox.editCalendar(suiteId, [{ from: day(10), to: day(11), numAvail: 1 }]);
    expect((await world.app.request('POST', '/api/admin/beds24/verify', verify, ADMIN_TOKEN)).status).toBe(200);
    const after = await grid(`property_id=${world.propertyId}&from=${day(9)}&to=${day(12)}`);
    expect(roomOf(after.body, suiteId).cells.every((cell) => cell.drift === null)).toBe(true);
  });

  it('pages forward to the horizon: nights past it have nothing desired', async () => {
    const res = await grid(`property_id=${world.propertyId}&from=${day(HORIZON - 2)}&to=${day(HORIZON + 1)}`);
    expect(res.status).toBe(200);
    const cells = roomOf(res.body, world.beds24RoomIds[0]!).cells;
    expect(cells.map((cell) => cell.desired !== null)).toEqual([true, true, false, false]);
    expect(cells.every((cell) => !cell.pending)).toBe(true);
  });

  it.each<[string, (propertyId: string) => string, string]>([
    ['property_id missing', () => '', 'property_id'],
    ['property_id not a UUID', () => 'property_id=42', 'property_id'],
    ['from not a date', (p) => `property_id=${p}&from=2027-02-30`, 'from'],
    ['to before from', (p) => `property_id=${p}&from=${day(5)}&to=${day(4)}`, 'to'],
    ['91 nights', (p) => `property_id=${p}&from=${day(0)}&to=${day(90)}`, 'to'],
    ['only to, before today', (p) => `property_id=${p}&to=${day(-1)}`, 'to'],
    ['only to, over 90 nights from today', (p) => `property_id=${p}&to=${day(90)}`, 'to'],
    ['an unknown parameter', (p) => `property_id=${p}&limit=5`, 'limit'],
  ])('400 naming the field: %s', async (_name, query, field) => {
    const before = await fingerprint(world.database.db);
    const res = await grid(query(world.propertyId));
    expect(res.status).toBe(400);
    const details = [expect.objectContaining({ path: field })];
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details });
    expect(await fingerprint(world.database.db)).toEqual(before);
  });

  it('answers 90 nights, 404 for an unknown property, 401 without the admin token', async () => {
    expect((await grid(`property_id=${world.propertyId}&from=${day(0)}&to=${day(89)}`)).status).toBe(200);
    const unknown = await grid('property_id=00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect((await grid(`property_id=${world.propertyId}`, API_TOKEN)).status).toBe(401);
  });
});
