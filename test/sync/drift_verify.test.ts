import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { expectedCalendar } from '../helpers/calendar_oracle.ts';
import { createReservation } from '../helpers/fixtures.ts';
import { bookingsOf, startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';
import { ADMIN_TOKEN } from '../helpers/test_app.ts';

const HORIZON = 40;
let world: SyncWorld;
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);

/** Someone edits a booking by hand in Beds24 (through the real API, with a token of the account). */
async function editInBeds24(items: unknown[]): Promise<void> {
  const token = world.sandbox.createAccessToken(world.accountId);
  const res = await fetch(`${world.sandbox.url}/bookings`, {
    method: 'POST',
    headers: { token, 'content-type': 'application/json' },
    body: JSON.stringify(items),
  });
  expect(res.status).toBe(201);
}

beforeAll(async () => {
  world = await startSyncWorld([{ name: 'double', units: 3, basePrice: 110 }], { horizonDays: HORIZON });
  await waitForIdle(world);
});

afterAll(async () => {
  await world.close();
});

describe('verify (drift check)', () => {
  it('finds nothing when Beds24 is in step', async () => {
    await createReservation(world.app, world.rooms[0]![0]!, { check_in: day(2), check_out: day(4) });
    await waitForIdle(world);
    const res = await world.app.request(
      'POST',
      '/api/admin/beds24/verify',
      { property_id: world.propertyId },
      ADMIN_TOKEN,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      property_id: world.propertyId,
      calendar: [],
      bookings: [],
      checked: { calendar_cells: HORIZON, bookings: 1 },
    });
  });

  it('reports calendar nights and bookings edited behind the PMS back, and puts them back', async () => {
    const stay = await createReservation(world.app, world.rooms[0]![1]!, { check_in: day(6), check_out: day(8) });
    await waitForIdle(world);
    const booking = bookingsOf(world.sandbox, stay.id)[0]!;
    world.sandbox.editCalendar(world.beds24RoomIds[0]!, [
      { from: day(10), to: day(12), numAvail: 0 },
      { from: day(20), to: day(20), price1: 1 },
    ]);
    await editInBeds24([{ id: booking.id, arrival: day(7), departure: day(9) }]);

    const dry = await world.app.request(
      'POST',
      '/api/admin/beds24/verify',
      { property_id: world.propertyId, repair: false },
      ADMIN_TOKEN,
    );
    expect(dry.body.repaired).toBe(false);
    expect(dry.body.calendar.map((c: { date: string }) => c.date)).toEqual([day(10), day(11), day(12), day(20)]);
    expect(dry.body.calendar[0]).toMatchObject({
      beds24_room_id: world.beds24RoomIds[0],
      expected: { num_avail: 3, price1: 110 },
      actual: { num_avail: 0, price1: 110 },
    });
    expect(dry.body.bookings).toEqual([
      {
        reservation_id: stay.id,
        beds24_booking_id: booking.id,
        problem: 'different',
        fields: ['arrival', 'departure'],
      },
    ]);
    const range = { beds24_room_id: world.beds24RoomIds[0], cause: 'changed_in_beds24', message: null };
    const pms = { num_avail: 3, price1: 110 };
    expect(dry.body.calendar_ranges).toEqual([
      { ...range, from: day(10), to: day(12), nights: 3, expected: pms, actual: { num_avail: 0, price1: 110 } },
      { ...range, from: day(20), to: day(20), nights: 1, expected: pms, actual: { num_avail: 3, price1: 1 } },
    ]);

    const repaired = await world.app.request(
      'POST',
      '/api/admin/beds24/verify',
      { property_id: world.propertyId },
      ADMIN_TOKEN,
    );
    expect(repaired.body.repaired).toBe(true);
    await waitForIdle(world);
    expect(bookingsOf(world.sandbox, stay.id)[0]).toMatchObject({ arrival: day(6), departure: day(8) });
    const expected = await expectedCalendar(world.app, world.propertyId, world.beds24RoomIds[0]!, 'UTC', HORIZON);
    const actual = world.sandbox
      .calendar(world.beds24RoomIds[0]!, day(0), day(HORIZON - 1))
      .map((d) => ({ date: d.date, numAvail: d.numAvail, price1: d.price1 }));
    expect(actual).toEqual(expected);
    const again = await world.app.request(
      'POST',
      '/api/admin/beds24/verify',
      { property_id: world.propertyId },
      ADMIN_TOKEN,
    );
    expect(again.body).toMatchObject({ calendar: [], bookings: [] });
    const metrics = await (
      await fetch(`${world.app.baseUrl}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    ).text();
    expect(metrics).toMatch(/beds24_drift_found_total\{kind="calendar"\} 8/);
  });

  it('compares guest details and price too, cleared values alike in any form, and puts hand edits back', async () => {
    const stay = await createReservation(world.app, world.rooms[0]![0]!, {
      check_in: day(24),
      check_out: day(26),
      total_price: 180,
      guest: {
        first_name: 'Ada',
        last_name: 'Lovelace',
        email: 'ada@example.org',
        phone: '+44 20 7946 0000',
        country: 'GB',
        language: 'en',
      },
    });
    const bare = await createReservation(world.app, world.rooms[0]![1]!, { check_in: day(24), check_out: day(26) });
    await waitForIdle(world);
    const booking = bookingsOf(world.sandbox, stay.id)[0]!;
    const bareBooking = bookingsOf(world.sandbox, bare.id)[0]!;
    const verify = async (repair: boolean) => {
      const body = { property_id: world.propertyId, repair };
      const res = await world.app.request('POST', '/api/admin/beds24/verify', body, ADMIN_TOKEN);
      expect(res.status).toBe(200);
      return res.body;
    };

    // No country sent as null, held as "": the same cleared value, no drift.
    await editInBeds24([{ id: bareBooking.id, country2: '' }]);
    expect((await verify(false)).bookings).toEqual([]);

    await editInBeds24([{ id: booking.id, lastName: 'Byron', phone: '+1 555 0100', country2: 'FR', price: 1 }]);
    const dry = await verify(false);
    expect(dry.bookings).toEqual([
      {
        reservation_id: stay.id,
        beds24_booking_id: booking.id,
        problem: 'different',
        fields: ['lastName', 'phone', 'country2', 'price'],
      },
    ]);

    expect((await verify(true)).repaired).toBe(true);
    await waitForIdle(world);
    expect(bookingsOf(world.sandbox, stay.id)[0]).toMatchObject({
      lastName: 'Lovelace',
      phone: '+44 20 7946 0000',
      country2: 'GB',
      price: 180,
    });
    expect((await verify(true)).bookings).toEqual([]);
  });

  it('reports a booking cancelled by hand, and a Beds24 booking carrying a marker of no reservation', async () => {
    const stay = await createReservation(world.app, world.rooms[0]![2]!, { check_in: day(14), check_out: day(15) });
    await waitForIdle(world);
    const booking = bookingsOf(world.sandbox, stay.id)[0]!;
    await editInBeds24([
      { id: booking.id, status: 'cancelled' },
      {
        roomId: world.beds24RoomIds[0],
        arrival: day(30),
        departure: day(31),
        custom10: 'PMS:00000000-0000-4000-8000-000000000000',
      },
    ]);
    const res = await world.app.request(
      'POST',
      '/api/admin/beds24/verify',
      { property_id: world.propertyId, repair: false },
      ADMIN_TOKEN,
    );
    expect(res.body.bookings).toEqual(
      expect.arrayContaining([
        { reservation_id: stay.id, beds24_booking_id: booking.id, problem: 'different', fields: ['status'] },
        expect.objectContaining({ reservation_id: null, problem: 'unknown_reservation' }),
      ]),
    );
  });

  it('groups the nights of a room id the Beds24 account does not have, and names that cause', async () => {
    const room = world.rooms[0]![2]!;
    await world.database.db('rooms').where({ id: room }).update({ beds24_room_id: 999999 });
    const property = { property_id: world.propertyId };
    expect((await world.app.request('POST', '/api/admin/beds24/resync', property, ADMIN_TOKEN)).status).toBe(202);
    await waitForIdle(world);
    const dry = { ...property, repair: false };
    const res = await world.app.request('POST', '/api/admin/beds24/verify', dry, ADMIN_TOKEN);
    type Range = { beds24_room_id: number; from: string; to: string; nights: number };
    const ofRoom = <T extends { beds24_room_id: number }>(list: T[]): T[] =>
      list.filter((item) => item.beds24_room_id === 999999);
    const unknown = ofRoom<Range>(res.body.calendar_ranges);
    expect(unknown.map((r) => [r.from, r.to, r.nights])).toEqual([
      [day(0), day(13), 14],
      [day(14), day(14), 1],
      [day(15), day(HORIZON - 1), HORIZON - 15],
    ]);
    const message = expect.stringMatching(/999999 does not exist/);
    for (const range of unknown) {
      expect(range).toMatchObject({ cause: 'unknown_room', message, actual: { num_avail: null } });
    }
    expect(ofRoom(res.body.calendar)).toHaveLength(HORIZON);
    await world.database.db('rooms').where({ id: room }).update({ beds24_room_id: world.beds24RoomIds[0] });
  });

  it('answers 409 for a property that is not connected and 400 for bad input', async () => {
    const other = (await world.app.request('POST', '/api/properties', { name: 'Loose' })).body;
    expect(
      (await world.app.request('POST', '/api/admin/beds24/verify', { property_id: other.id }, ADMIN_TOKEN)).status,
    ).toBe(409);
    expect(
      (
        await world.app.request(
          'POST',
          '/api/admin/beds24/verify',
          { property_id: other.id, repair: 'yes' },
          ADMIN_TOKEN,
        )
      ).status,
    ).toBe(400);
  });
});
