import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { KIND_SETTINGS } from '../../src/integrations/beds24/queue/job_kinds.ts';
import { createReservation, createRoom } from '../helpers/fixtures.ts';
import {
  bookingsOf,
  callsTo,
  databaseNow,
  startSyncWorld,
  waitForCompletedJob,
  waitForIdle,
  type SyncWorld,
} from '../helpers/sync_harness.ts';
import { ADMIN_TOKEN } from '../helpers/test_app.ts';

let world: SyncWorld;
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);

beforeAll(async () => {
  world = await startSyncWorld([
    { name: 'double', units: 3 },
    { name: 'suite', units: 2 },
  ]);
  await waitForIdle(world);
});

afterAll(async () => {
  await world.close();
});

describe('reservation push', () => {
  it('create → new dates → other room → cancel leaves exactly one booking in Beds24, with the final state', async () => {
    const [double, suite] = world.rooms as [string[], string[]];
    const res = await createReservation(world.app, double[0]!, {
      check_in: day(10),
      check_out: day(12),
      guest: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.org', country: 'GB' },
      total_price: 250,
    });
    await waitForIdle(world);
    const stored = await world.app.request('GET', `/api/reservations/${res.id}`);
    expect(stored.body.beds24_booking_id).toEqual(expect.any(Number));
    let [booking] = bookingsOf(world.sandbox, res.id);
    expect(booking).toMatchObject({
      id: stored.body.beds24_booking_id,
      roomId: world.beds24RoomIds[0],
      arrival: day(10),
      departure: day(12),
      status: 'confirmed',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.org',
      country2: 'GB',
      numAdult: 2,
      price: 250,
    });

    expect(
      (await world.app.request('PATCH', `/api/reservations/${res.id}`, { check_in: day(11), check_out: day(14) }))
        .status,
    ).toBe(200);
    await waitForIdle(world);
    expect((await world.app.request('PATCH', `/api/reservations/${res.id}`, { room_id: suite[1] })).status).toBe(200);
    await waitForIdle(world);
    [booking] = bookingsOf(world.sandbox, res.id);
    expect(booking).toMatchObject({
      roomId: world.beds24RoomIds[1],
      arrival: day(11),
      departure: day(14),
      status: 'confirmed',
    });

    expect((await world.app.request('DELETE', `/api/reservations/${res.id}`)).status).toBe(200);
    await waitForIdle(world);
    const all = bookingsOf(world.sandbox, res.id);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      id: stored.body.beds24_booking_id,
      status: 'cancelled',
      roomId: world.beds24RoomIds[1],
      departure: day(14),
    });
    const final = await world.app.request('GET', `/api/reservations/${res.id}`);
    expect(final.body.beds24_sync).toMatchObject({ state: 'synced', last_error: null });
    expect(final.body.beds24_sync.last_pushed_at).toEqual(expect.any(String));
  });

  it('maps pending to request and back, and no-show to cancelled', async () => {
    const res = await createReservation(world.app, world.rooms[0]![1]!, {
      check_in: day(20),
      check_out: day(21),
      status: 'pending',
    });
    await waitForIdle(world);
    expect(bookingsOf(world.sandbox, res.id)[0]?.status).toBe('request');
    await world.app.request('PATCH', `/api/reservations/${res.id}`, { status: 'confirmed' });
    await waitForIdle(world);
    expect(bookingsOf(world.sandbox, res.id)[0]?.status).toBe('confirmed');
    await world.app.request('PATCH', `/api/reservations/${res.id}`, { status: 'no_show' });
    await waitForIdle(world);
    expect(bookingsOf(world.sandbox, res.id)).toEqual([expect.objectContaining({ status: 'cancelled' })]);
  });

  it('updates the bookings of a guest whose details change', async () => {
    const res = await createReservation(world.app, world.rooms[0]![2]!, { check_in: day(30), check_out: day(32) });
    await waitForIdle(world);
    await world.app.request('PATCH', `/api/guests/${res.guest_id}`, { last_name: 'Hopper-Murray', phone: '+44 1234' });
    await waitForIdle(world);
    expect(bookingsOf(world.sandbox, res.id)[0]).toMatchObject({ lastName: 'Hopper-Murray', phone: '+44 1234' });
  });

  it('never sends a reservation that came from Beds24, nor one in an unmapped room', async () => {
    world.sandbox.resetRequestLog();
    const fromBeds24 = await createReservation(world.app, world.rooms[0]![0]!, {
      check_in: day(40),
      check_out: day(41),
      source: 'beds24',
      beds24_booking_id: 99000001,
    });
    const unmapped = await createRoom(world.app, world.propertyId, { number: 'U1' });
    const local = await createReservation(world.app, unmapped.id, { check_in: day(40), check_out: day(41) });
    await waitForIdle(world);
    expect(callsTo(world.sandbox, 'POST', '/bookings')).toBe(0);
    expect(bookingsOf(world.sandbox, fromBeds24.id)).toEqual([]);
    expect(bookingsOf(world.sandbox, local.id)).toEqual([]);
    expect((await world.app.request('GET', `/api/reservations/${local.id}`)).body.beds24_booking_id).toBeNull();
  });

  it('moves a booking to an unmapped room by cancelling it, and back by re-using it', async () => {
    const unmapped = await createRoom(world.app, world.propertyId, { number: 'U2' });
    const res = await createReservation(world.app, world.rooms[1]![0]!, { check_in: day(50), check_out: day(52) });
    await waitForIdle(world);
    await world.app.request('PATCH', `/api/reservations/${res.id}`, { room_id: unmapped.id });
    await waitForIdle(world);
    expect(bookingsOf(world.sandbox, res.id)).toEqual([expect.objectContaining({ status: 'cancelled' })]);
    await world.app.request('PATCH', `/api/reservations/${res.id}`, { room_id: world.rooms[1]![0] });
    await waitForIdle(world);
    expect(bookingsOf(world.sandbox, res.id)).toEqual([
      expect.objectContaining({ status: 'confirmed', roomId: world.beds24RoomIds[1] }),
    ]);
  });

  it('moves current and future bookings with their room when its mapping changes', async () => {
    const room = world.rooms[0]![1]!;
    const res = await createReservation(world.app, room, { check_in: day(60), check_out: day(61) });
    await waitForIdle(world);
    await world.app.request('PATCH', `/api/rooms/${room}`, { beds24_room_id: world.beds24RoomIds[1] });
    await waitForIdle(world);
    expect(bookingsOf(world.sandbox, res.id)[0]).toMatchObject({ roomId: world.beds24RoomIds[1], status: 'confirmed' });
    await world.app.request('PATCH', `/api/rooms/${room}`, { beds24_room_id: world.beds24RoomIds[0] });
    await waitForIdle(world);
    expect(bookingsOf(world.sandbox, res.id)[0]).toMatchObject({ roomId: world.beds24RoomIds[0] });
  });
});

describe('coalescing and batching', () => {
  it('turns 50 edits of one reservation within a second into a few calls', async () => {
    const res = await createReservation(world.app, world.rooms[0]![0]!, { check_in: day(70), check_out: day(71) });
    await waitForIdle(world);
    world.sandbox.resetRequestLog();
    const started = Date.now();
    for (let i = 0; i < 50; i += 1) {
      const patch = await world.app.request('PATCH', `/api/reservations/${res.id}`, {
        notes: `edit ${i}`,
        adults: 1 + (i % 2),
      });
      expect(patch.status).toBe(200);
    }
    const editing = Date.now() - started;
    await waitForIdle(world);
    const posts = callsTo(world.sandbox, 'POST', '/bookings');
    expect(posts).toBeGreaterThanOrEqual(1);
    // The first edit goes at once; the rest go together, a push per debounce while edits keep coming, by
    // the bookings job or by the calendar job that sends the waiting bookings before the calendar.
    const debounceMs = KIND_SETTINGS.reservations.debounceSeconds * 1000;
    expect(posts).toBeLessThanOrEqual(1 + 2 * (1 + Math.ceil(editing / debounceMs)));
    expect(bookingsOf(world.sandbox, res.id)[0]).toMatchObject({ notes: 'edit 49', numAdult: 2 });
  });

  it('sends 100 new reservations of one property in a handful of POST /bookings', async () => {
    const extra = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        createRoom(world.app, world.propertyId, { number: `B${i}`, beds24_room_id: world.beds24RoomIds[0] }),
      ),
    );
    await waitForIdle(world);
    world.sandbox.resetRequestLog();
    const created = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        createReservation(world.app, extra[i % 20]!.id, {
          check_in: day(100 + Math.floor(i / 20) * 3),
          check_out: day(101 + Math.floor(i / 20) * 3),
        }),
      ),
    );
    await waitForIdle(world);
    const posts = callsTo(world.sandbox, 'POST', '/bookings');
    expect(posts).toBeLessThanOrEqual(6);
    for (const res of created) expect(bookingsOf(world.sandbox, res.id)).toHaveLength(1);
  });
});

describe('toggles', () => {
  it('sends nothing with push_sync_enabled false, and catches up on re-enabling', async () => {
    await world.database
      .db('beds24_config')
      .where({ property_id: world.propertyId })
      .update({ push_sync_enabled: false });
    world.sandbox.resetRequestLog();
    const quiet = await createReservation(world.app, world.rooms[1]![1]!, { check_in: day(80), check_out: day(82) });
    // Kept in the outbox with no job on its way: nothing can reach Beds24 while pushes are off.
    expect(await world.app.sync.sweep()).toBe(0);
    const status = await world.app.request(
      'GET',
      `/api/admin/beds24/status?property_id=${world.propertyId}`,
      undefined,
      ADMIN_TOKEN,
    );
    expect(status.body).toMatchObject({
      paused: true,
      queue_depth: { reservations: { pending_changes: 1, queued: 0, running: 0 } },
    });
    expect(world.sandbox.requests.filter((r) => r.method !== 'GET' || r.path !== '/authentication/details')).toEqual(
      [],
    );
    expect(bookingsOf(world.sandbox, quiet.id)).toEqual([]);

    const config = await world.app.request(
      'PUT',
      '/api/admin/beds24/config',
      { property_id: world.propertyId, beds24_property_id: world.beds24PropertyId, push_sync_enabled: true },
      ADMIN_TOKEN,
    );
    expect(config.body).toMatchObject({ push_sync_enabled: true, sync_enabled: true, connected: true });
    await waitForIdle(world);
    expect(bookingsOf(world.sandbox, quiet.id)).toEqual([
      expect.objectContaining({ arrival: day(80), status: 'confirmed' }),
    ]);
  });

  it('takes a toggle flipped in SQL into account for work already queued', async () => {
    world.sandbox.resetRequestLog();
    const since = await databaseNow(world);
    const res = await world.database.db.transaction(async () =>
      createReservation(world.app, world.rooms[1]![0]!, { check_in: day(90), check_out: day(91) }),
    );
    await world.database.db('beds24_config').where({ property_id: world.propertyId }).update({ sync_enabled: false });
    // The job queued by the edit (its calendar job, which sends the booking first) runs after its debounce
    // with the toggle already off, and sends nothing.
    await waitForCompletedJob(world, 'availability', since);
    expect(bookingsOf(world.sandbox, res.id)).toEqual([]);
    await world.database.db('beds24_config').where({ property_id: world.propertyId }).update({ sync_enabled: true });
    const resync = await world.app.request(
      'POST',
      '/api/admin/beds24/resync',
      { property_id: world.propertyId },
      ADMIN_TOKEN,
    );
    expect(resync.status).toBe(202);
    expect(resync.body.job_id).toEqual(expect.any(String));
    await waitForIdle(world);
    expect(bookingsOf(world.sandbox, res.id)).toHaveLength(1);
  });
});
