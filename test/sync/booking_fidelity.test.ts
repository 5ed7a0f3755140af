import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { createReservation, createRoom } from '../helpers/fixtures.ts';
import { bookingsOf, callsTo, startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';

let world: SyncWorld;
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);

async function ok(method: string, path: string, body?: unknown): Promise<void> {
  const res = await world.app.request(method, path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

beforeAll(async () => {
  // A 2 s debounce for bookings: edits made while a push of the booking is on its way go out in one more push.
  world = await startSyncWorld(
    [
      { name: 'double', units: 2 },
      { name: 'suite', units: 2 },
    ],
    { tuning: { debounceFactor: 2 } },
  );
  await waitForIdle(world);
});

afterAll(async () => {
  await world.close();
});

describe('a cancel carries the last values', () => {
  it('edits of dates, guests, price and guest details just before a cancel reach Beds24 with it', async () => {
    const res = await createReservation(world.app, world.rooms[0]![0]!, {
      check_in: day(10),
      check_out: day(12),
      adults: 2,
      total_price: 300,
      guest: { first_name: 'Ada', last_name: 'Lovelace', phone: '+44 20 7946 0000' },
    });
    await waitForIdle(world);
    const [created] = bookingsOf(world.sandbox, res.id);
    expect(created).toMatchObject({ status: 'confirmed', arrival: day(10), departure: day(12), price: 300 });

    world.sandbox.resetRequestLog();
    // Beds24 answers slowly, so the first edit's push (sent at once, the leading edge) is still on its way
    // while the two later edits are made: they coalesce into the next push, a cancel.
    world.sandbox.setFaults({ latencyMs: 1_000, onlyPaths: ['POST /bookings'] });
    const edits = { check_in: day(20), check_out: day(23), adults: 1, children: 1, total_price: 420 };
    await ok('PATCH', `/api/reservations/${res.id}`, edits);
    await ok('PATCH', `/api/guests/${res.guest_id}`, { last_name: 'King', phone: '+44 20 7946 0001' });
    await ok('DELETE', `/api/reservations/${res.id}`);
    await waitForIdle(world);
    world.sandbox.clearFaults();

    expect(callsTo(world.sandbox, 'POST', '/bookings')).toBeLessThanOrEqual(2);
    const all = bookingsOf(world.sandbox, res.id);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      id: created!.id,
      status: 'cancelled',
      roomId: world.beds24RoomIds[0],
      arrival: day(20),
      departure: day(23),
      numAdult: 1,
      numChild: 1,
      price: 420,
      firstName: 'Ada',
      lastName: 'King',
      phone: '+44 20 7946 0001',
    });
    const stored = await world.app.request('GET', `/api/reservations/${res.id}`);
    expect(stored.body.beds24_sync).toMatchObject({ state: 'synced', last_error: null });
  });

  it('a reservation moved to an unmapped room is cancelled with its new dates, in its Beds24 room', async () => {
    const unmapped = await createRoom(world.app, world.propertyId, { number: 'U7' });
    const res = await createReservation(world.app, world.rooms[1]![0]!, {
      check_in: day(30),
      check_out: day(32),
      total_price: 200,
    });
    await waitForIdle(world);
    const [created] = bookingsOf(world.sandbox, res.id);
    expect(created).toMatchObject({ status: 'confirmed', roomId: world.beds24RoomIds[1] });

    const move = { room_id: unmapped.id, check_in: day(33), check_out: day(35), total_price: 260 };
    await ok('PATCH', `/api/reservations/${res.id}`, move);
    await waitForIdle(world);
    expect(bookingsOf(world.sandbox, res.id)).toEqual([
      expect.objectContaining({
        id: created!.id,
        status: 'cancelled',
        roomId: world.beds24RoomIds[1],
        arrival: day(33),
        departure: day(35),
        price: 260,
      }),
    ]);
  });
});

describe('cleared values', () => {
  it('a price and guest details removed in the PMS are cleared in Beds24; email and language stay', async () => {
    const res = await createReservation(world.app, world.rooms[0]![1]!, {
      check_in: day(40),
      check_out: day(42),
      total_price: 250,
      notes: 'Late arrival',
      guest: {
        first_name: 'Ada',
        last_name: 'Lovelace',
        email: 'ada@example.org',
        phone: '+44 20 7946 0000',
        address: '12 St James Square',
        city: 'London',
        postcode: 'SW1Y 4JH',
        country: 'GB',
        language: 'en',
      },
    });
    await waitForIdle(world);
    expect(bookingsOf(world.sandbox, res.id)[0]).toMatchObject({
      price: 250,
      notes: 'Late arrival',
      email: 'ada@example.org',
      phone: '+44 20 7946 0000',
      address: '12 St James Square',
      city: 'London',
      postcode: 'SW1Y 4JH',
      country2: 'GB',
      lang: 'en',
    });

    await ok('PATCH', `/api/reservations/${res.id}`, { total_price: null, notes: null });
    await ok('PATCH', `/api/guests/${res.guest_id}`, {
      email: null,
      phone: null,
      address: null,
      city: null,
      postcode: null,
      country: null,
      language: null,
    });
    await waitForIdle(world);

    const [booking] = bookingsOf(world.sandbox, res.id);
    expect(booking).toMatchObject({
      price: 0,
      notes: '',
      phone: '',
      address: '',
      city: '',
      postcode: '',
      country2: null,
    });
    // The official schema has no empty email (format: email) and no empty lang (two characters): they stay.
    expect(booking).toMatchObject({ email: 'ada@example.org', lang: 'en' });
    const stored = await world.app.request('GET', `/api/reservations/${res.id}`);
    expect(stored.body).toMatchObject({ total_price: null, beds24_sync: { state: 'synced', last_error: null } });
  });
});
