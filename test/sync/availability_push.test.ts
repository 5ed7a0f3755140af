import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { expectedCalendar } from '../helpers/calendar_oracle.ts';
import { createReservation, createRoom } from '../helpers/fixtures.ts';
import { callsTo, startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';
import { ADMIN_TOKEN } from '../helpers/test_app.ts';

const TZ = 'Pacific/Auckland';
const HORIZON = 60;
let world: SyncWorld;
const day = (n: number): string => addDays(todayIn(TZ, new Date()), n);

async function expectBeds24MatchesRule(): Promise<void> {
  for (const beds24RoomId of world.beds24RoomIds) {
    const expected = await expectedCalendar(world.app, world.propertyId, beds24RoomId, TZ, HORIZON);
    const actual = world.sandbox.calendar(beds24RoomId, day(0), day(HORIZON - 1)).map((d) => ({
      date: d.date,
      numAvail: d.numAvail,
      price1: expected.find((e) => e.date === d.date)?.price1 === null ? null : d.price1,
    }));
    expect(actual, `Beds24 room ${beds24RoomId}`).toEqual(expected);
  }
}

beforeAll(async () => {
  world = await startSyncWorld(
    [
      { name: 'double', units: 3, basePrice: 120 },
      { name: 'suite', units: 2, basePrice: 300 },
    ],
    { timezone: TZ, horizonDays: HORIZON },
  );
  await waitForIdle(world);
});

afterAll(async () => {
  await world.close();
});

describe('availability and rates', () => {
  it('publishes the connected property calendar, in the property time zone, after connecting', async () => {
    await expectBeds24MatchesRule();
    expect(world.sandbox.calendar(world.beds24RoomIds[0]!, day(0), day(0))[0]).toMatchObject({
      numAvail: 3,
      price1: 120,
    });
  });

  it('stays equal to the rule after any mix of reservation, room, housekeeping, maintenance and rate edits', async () => {
    const [double, suite] = world.rooms as [string[], string[]];
    const a = await createReservation(world.app, double[0]!, { check_in: day(0), check_out: day(3) });
    await createReservation(world.app, double[1]!, { check_in: day(2), check_out: day(5), status: 'pending' });
    const c = await createReservation(world.app, suite[0]!, { check_in: day(1), check_out: day(2) });
    await createReservation(world.app, suite[1]!, { check_in: day(1), check_out: day(4), status: 'checked_out' });
    await world.app.request('PATCH', `/api/reservations/${a.id}`, { check_out: day(4) });
    await world.app.request('DELETE', `/api/reservations/${c.id}`);
    await world.app.request('PATCH', `/api/rooms/${double[2]}/housekeeping`, { housekeeping_status: 'out_of_order' });
    await world.app.request('POST', `/api/rooms/${suite[1]}/maintenance`, { start_date: day(10), end_date: day(12) });
    await world.app.request('PUT', `/api/rooms/${double[1]}/rates`, { from: day(3), to: day(8), price: 99.5 });
    await world.app.request('PUT', `/api/rooms/${double[2]}/rates`, { from: day(6), to: day(7), price: 80 });
    await world.app.request('PATCH', `/api/rooms/${suite[0]}`, { base_price: 280 });
    await waitForIdle(world);
    await expectBeds24MatchesRule();

    await world.app.request('PATCH', `/api/rooms/${double[0]}`, { status: 'inactive' });
    const block = await world.app.request('POST', `/api/rooms/${double[1]}/maintenance`, {
      start_date: day(20),
      end_date: day(22),
    });
    await waitForIdle(world);
    await expectBeds24MatchesRule();
    await world.app.request('DELETE', `/api/maintenance/${block.body.id}`);
    await world.app.request('PATCH', `/api/rooms/${double[0]}`, { status: 'active' });
    await waitForIdle(world);
    await expectBeds24MatchesRule();
  });

  it('pushes both Beds24 rooms when a room is mapped to another one, and closes a Beds24 room nothing maps to', async () => {
    const [double, suite] = world.rooms as [string[], string[]];
    await world.app.request('PATCH', `/api/rooms/${double[2]}`, { beds24_room_id: world.beds24RoomIds[1] });
    await waitForIdle(world);
    await expectBeds24MatchesRule();
    for (const room of suite) await world.app.request('PATCH', `/api/rooms/${room}`, { beds24_room_id: null });
    await world.app.request('PATCH', `/api/rooms/${double[2]}`, { beds24_room_id: null });
    await waitForIdle(world);
    expect(
      world.sandbox.calendar(world.beds24RoomIds[1]!, day(0), day(HORIZON - 1)).every((d) => d.numAvail === 0),
    ).toBe(true);
    for (const room of suite)
      await world.app.request('PATCH', `/api/rooms/${room}`, { beds24_room_id: world.beds24RoomIds[1] });
    await world.app.request('PATCH', `/api/rooms/${double[2]}`, { beds24_room_id: world.beds24RoomIds[0] });
    await waitForIdle(world);
    await expectBeds24MatchesRule();
  });

  it('costs no Beds24 call for an edit that changes nothing Beds24 shows', async () => {
    world.sandbox.resetRequestLog();
    const room = world.rooms[0]![0]!;
    await world.app.request('PATCH', `/api/rooms/${room}/housekeeping`, { housekeeping_status: 'dirty' });
    await world.app.request('PATCH', `/api/rooms/${room}/housekeeping`, { housekeeping_status: 'inspected' });
    await world.app.request('PUT', `/api/rooms/${room}/rates`, { from: day(30), to: day(31), price: 120 });
    await world.app.request('PATCH', `/api/rooms/${room}`, { name: 'renamed' });
    await waitForIdle(world);
    expect(world.sandbox.requests).toEqual([]);
  });

  it('leaves complimentary prices (0) out of the price: the lowest positive one, or none sent', async () => {
    const [double, suite] = world.rooms as [string[], string[]];
    const [doubleId, suiteId] = world.beds24RoomIds as [number, number];
    const prices = (roomId: number): unknown[] => world.sandbox.calendar(roomId, day(50), day(52)).map((d) => d.price1);
    const doubleBefore = prices(doubleId);
    const suiteBefore = prices(suiteId);
    expect([...doubleBefore, ...suiteBefore].every((price) => typeof price === 'number' && price > 0)).toBe(true);

    const rate = async (room: string, from: string, to: string, price: number): Promise<void> => {
      expect((await world.app.request('PUT', `/api/rooms/${room}/rates`, { from, to, price })).status).toBe(200);
    };
    // One double room free of charge: the other doubles still price the nights.
    await rate(double[0]!, day(50), day(52), 0);
    // Every suite free of charge on one night: no price goes out, Beds24 keeps the one it has. The dearer
    // suite first, so the night's lowest positive price stays what it was until the last one, whichever
    // push (the first edit's goes out at once) carries each edit.
    const priceOn51 = async (room: string): Promise<number> =>
      (await world.app.request('GET', `/api/rooms/${room}/rates?from=${day(51)}&to=${day(51)}`)).body[0].price;
    const suitePrices = await Promise.all(suite.map(async (room) => ({ room, price: await priceOn51(room) })));
    for (const { room } of suitePrices.sort((a, b) => b.price - a.price)) await rate(room, day(51), day(51), 0);
    await waitForIdle(world);

    expect(prices(doubleId)).toEqual(doubleBefore);
    expect(prices(suiteId)).toEqual(suiteBefore);
    const stored = await world.app.request('GET', `/api/rooms/${double[0]}/rates?from=${day(50)}&to=${day(52)}`);
    expect(stored.body.map((r: { price: number }) => r.price)).toEqual([0, 0, 0]);
    await expectBeds24MatchesRule();

    // A real price on the complimentary night is sent again.
    await rate(suite[1]!, day(51), day(51), 275);
    await waitForIdle(world);
    expect(prices(suiteId)).toEqual([suiteBefore[0], 275, suiteBefore[2]]);
    await expectBeds24MatchesRule();
  });

  it('resyncs over a range on request, re-sending it even when nothing changed', async () => {
    world.sandbox.editCalendar(world.beds24RoomIds[0]!, [{ from: day(5), to: day(6), numAvail: 9, price1: 1 }]);
    world.sandbox.resetRequestLog();
    const resync = await world.app.request(
      'POST',
      '/api/admin/beds24/resync',
      { property_id: world.propertyId, from: day(0), to: day(9) },
      ADMIN_TOKEN,
    );
    expect(resync.status).toBe(202);
    await waitForIdle(world);
    expect(callsTo(world.sandbox, 'POST', '/inventory/rooms/calendar')).toBe(1);
    await expectBeds24MatchesRule();
  });

  it('rejects a resync with bad input or for a property that is not connected', async () => {
    expect(
      (
        await world.app.request(
          'POST',
          '/api/admin/beds24/resync',
          { property_id: world.propertyId, from: day(5), to: day(1) },
          ADMIN_TOKEN,
        )
      ).status,
    ).toBe(400);
    expect(
      (await world.app.request('POST', '/api/admin/beds24/resync', { property_id: 'x' }, ADMIN_TOKEN)).status,
    ).toBe(400);
    const other = (await world.app.request('POST', '/api/properties', { name: 'Unconnected' })).body;
    const res = await world.app.request('POST', '/api/admin/beds24/resync', { property_id: other.id }, ADMIN_TOKEN);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/not connected/);
  });
});

describe('nightly check', () => {
  it('comes from one minute tick for all properties (no schedule per property), and repairs drift', async () => {
    const schedules = await world.app.sync.schedules();
    expect(schedules).toEqual([{ name: 'beds24-calendar-tick', key: '', cron: '* * * * *' }]);
    world.sandbox.editCalendar(world.beds24RoomIds[1]!, [{ from: day(40), to: day(41), numAvail: 7 }]);
    await world.app.sync.nightlyCheck(world.propertyId);
    await waitForIdle(world);
    await expectBeds24MatchesRule();
  });
});

describe('unmapped rooms', () => {
  it('are ignored', async () => {
    world.sandbox.resetRequestLog();
    const loose = await createRoom(world.app, world.propertyId, { number: 'L1' });
    await createReservation(world.app, loose.id, { check_in: day(2), check_out: day(3) });
    await world.app.request('PUT', `/api/rooms/${loose.id}/rates`, { from: day(1), to: day(2), price: 5 });
    await waitForIdle(world);
    expect(world.sandbox.requests).toEqual([]);
  });
});
