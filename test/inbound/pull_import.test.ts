import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { createProperty, createReservation } from '../helpers/fixtures.ts';
import {
  channelBooking,
  eventually,
  modifyChannelBooking,
  pulls,
  reservationsOfBooking,
  status,
} from '../helpers/inbound.ts';
import {
  bookingsOf,
  databaseNow,
  startSyncWorld,
  waitForCompletedJob,
  waitForIdle,
  type Beds24Account,
  type SyncWorld,
} from '../helpers/sync_harness.ts';
import { ADMIN_TOKEN, WEBHOOK_TOKEN, type Json } from '../helpers/test_app.ts';

const ZONE = 'Europe/Lisbon';
const day = (n: number): string => addDays(todayIn(ZONE, new Date()), n);
const ALL_STATUSES = ['confirmed', 'request', 'new', 'cancelled', 'black', 'inquiry'];

describe('the full import at connect time', () => {
  let world: SyncWorld;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    const book = (account: Beds24Account, name: string, fields: Record<string, unknown>): void => {
      const [result] = account.sandbox.addBookings(account.accountId, [
        { roomId: account.beds24RoomIds[0], numAdult: 1, lastName: name, status: 'confirmed', ...fields },
      ]);
      ids[name] = (result?.new as { id: number }).id;
    };
    world = await startSyncWorld(
      [
        { name: 'double', units: 2 },
        { name: 'suite', units: 0, beds24Qty: 1 },
      ],
      {
        timezone: ZONE,
        publicUrl: 'self',
        beforeConnect: (account) => {
          book(account, 'future', { arrival: day(5), departure: day(8), channel: 'airbnb', apiReference: 'HM-1' });
          book(account, 'current', { arrival: day(-2), departure: day(1) });
          book(account, 'leavingToday', { arrival: day(-3), departure: day(0) });
          book(account, 'past', { arrival: day(-10), departure: day(-7) });
          book(account, 'cancelled', { arrival: day(20), departure: day(22), status: 'cancelled' });
          book(account, 'request', { arrival: day(30), departure: day(31), status: 'request' });
          book(account, 'inquiry', { arrival: day(40), departure: day(41), status: 'inquiry' });
          book(account, 'unmapped', { arrival: day(5), departure: day(6), roomId: account.beds24RoomIds[1] });
        },
      },
    );
    await eventually(
      () => status(world),
      (s) => s.last_pull_at !== null,
    );
    await waitForIdle(world);
  });

  afterAll(async () => {
    await world?.close();
  });

  it('imports every current and future booking of a mapped room, in all statuses but inquiry', async () => {
    const single = async (name: string) => reservationsOfBooking(world, ids[name]!);
    expect(await single('future')).toMatchObject([
      {
        status: 'confirmed',
        check_in: day(5),
        check_out: day(8),
        beds24_channel: 'airbnb',
        beds24_api_reference: 'HM-1',
      },
    ]);
    expect(await single('current')).toMatchObject([{ status: 'confirmed', check_in: day(-2) }]);
    expect(await single('leavingToday')).toHaveLength(1);
    expect(await single('cancelled')).toMatchObject([{ status: 'cancelled', room_id: null }]);
    expect(await single('request')).toMatchObject([{ status: 'pending' }]);
    expect(await single('past')).toEqual([]);
    expect(await single('inquiry')).toEqual([]);
    expect(await single('unmapped')).toEqual([]);
  });

  it('asked Beds24 for all six statuses, repeated, from today in the hotel time zone, in one call', () => {
    const [first, ...others] = pulls(world);
    expect(first?.getAll('status').sort()).toEqual([...ALL_STATUSES].sort());
    expect(first?.get('departureFrom')).toBe(day(0));
    expect(first?.getAll('propertyId')).toEqual([String(world.beds24PropertyId)]);
    // Later reads are the incremental pulls a calendar write that may raise a count asks for first.
    expect(others.filter((query) => query.get('modifiedFrom') === null)).toEqual([]);
  });

  it('pointed the property booking webhook at this PMS with the token as a custom header (PUBLIC_URL)', () => {
    expect(world.sandbox.propertyWebhooks(world.beds24PropertyId)).toEqual({
      version: 'twoNoPersonalData',
      url: `${world.app.baseUrl}/webhooks/beds24`,
      additionalData: 'none',
      customHeader: `X-Webhook-Token: ${WEBHOOK_TOKEN}`,
    });
  });

  it('POST /api/admin/beds24/pull runs a full import again: 202 with the job id', async () => {
    // The webhook of that booking is dropped: only the operator's pull brings it.
    world.sandbox.setWebhookFaults({ dropRate: 1 });
    const extra = channelBooking(world, { arrival: day(50), departure: day(52) });
    world.sandbox.clearWebhookFaults();
    const res = await world.app.request(
      'POST',
      '/api/admin/beds24/pull',
      { property_id: world.propertyId },
      ADMIN_TOKEN,
    );
    expect(res.status).toBe(202);
    expect(res.body.job_id).toMatch(/^[0-9a-f-]{36}$/);
    const before = pulls(world).length;
    await eventually(
      () => reservationsOfBooking(world, extra),
      (list) => list.length === 1,
    );
    expect(
      pulls(world)
        .slice(before)
        .map((query) => query.get('departureFrom')),
    ).toContain(day(0));
  });

  it('POST /api/admin/beds24/pull: 409 when not connected or pulls are off, 400 for an unknown property', async () => {
    const other = await createProperty(world.app);
    const pull = (propertyId: string) =>
      world.app.request('POST', '/api/admin/beds24/pull', { property_id: propertyId }, ADMIN_TOKEN);
    expect((await pull(other.id)).status).toBe(409);
    expect((await pull('7d1c5a8e-3b0f-4c2a-9e61-2f4b8d0c6a13')).status).toBe(400);
    const config = (pullSyncEnabled: boolean) =>
      world.app.request(
        'PUT',
        '/api/admin/beds24/config',
        {
          property_id: world.propertyId,
          beds24_property_id: world.beds24PropertyId,
          pull_sync_enabled: pullSyncEnabled,
        },
        ADMIN_TOKEN,
      );
    expect((await config(false)).status).toBe(200);
    const refused = await pull(world.propertyId);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/pull_sync_enabled/);
    expect((await config(true)).body.pull_sync_enabled).toBe(true);
  });
});

describe('bookings by pull only (every webhook dropped)', () => {
  let world: SyncWorld;

  beforeAll(async () => {
    world = await startSyncWorld([{ name: 'double', units: 2 }], {
      timezone: ZONE,
      pullIntervalSeconds: 5,
      publicUrl: 'self',
    });
    world.sandbox.setWebhookFaults({ dropRate: 1 });
    await eventually(
      () => status(world),
      (s) => s.last_pull_at !== null,
    );
  });

  afterAll(async () => {
    await world?.close();
  });

  it('new, modified and cancelled channel bookings reach the PMS through the interval pull', async () => {
    const id = channelBooking(world, { arrival: day(3), departure: day(5) });
    const [created] = await eventually(
      () => reservationsOfBooking(world, id),
      (list) => list.length === 1,
    );
    modifyChannelBooking(world, id, { arrival: day(4), departure: day(7), numAdult: 3 });
    await eventually(
      () => reservationsOfBooking(world, id),
      (list) => list[0]?.check_in === day(4) && list[0]?.check_out === day(7),
    );
    modifyChannelBooking(world, id, { status: 'cancelled' });
    const [cancelled] = await eventually(
      () => reservationsOfBooking(world, id),
      (list) => list[0]?.status === 'cancelled',
    );
    expect(cancelled.id).toBe(created.id);
    expect(cancelled.adults).toBe(3);
    expect(world.sandbox.webhookDeliveries().filter((d) => d.outcome === 'delivered')).toEqual([]);
  });

  it('an incremental pull reads from its cursor less a day, all six statuses', async () => {
    const pullState = async (): Promise<Json> =>
      world.database.db('beds24_pull_state').where({ property_id: world.propertyId }).first();
    const before = await pullState();
    const count = pulls(world).length;
    const next = await eventually(
      () => pulls(world),
      (list) => list.length > count + 1,
    );
    const query = next.at(-1)!;
    expect(query.getAll('status').sort()).toEqual([...ALL_STATUSES].sort());
    const from = Date.parse(`${query.get('modifiedFrom')}Z`);
    const { cursor } = await pullState();
    expect(before.cursor).not.toBeNull();
    // The pull read from some cursor less exactly one day, and that cursor is at most the current one.
    expect(from + 86_400_000).toBeLessThanOrEqual(cursor.getTime());
    expect(from + 86_400_000).toBeGreaterThanOrEqual(before.cursor.getTime() - 1000);
  });

  it("the PMS's own bookings come back in the pull and are not imported", async () => {
    const own = await createReservation(world.app, world.rooms[0]![1]!, { check_in: day(12), check_out: day(14) });
    await waitForIdle(world);
    const [booking] = bookingsOf(world.sandbox, own.id);
    expect(booking).toBeDefined();
    const count = pulls(world).length;
    await eventually(
      () => pulls(world),
      (list) => list.length >= count + 2,
    );
    await waitForIdle(world);
    const imported: Json = await world.database
      .db('beds24_imported_bookings')
      .where({ beds24_booking_id: booking!.id })
      .first();
    expect(imported?.outcome).toBe('ours');
    expect(await reservationsOfBooking(world, booking!.id)).toEqual([]);
    expect(await world.database.db('reservations').where({ beds24_booking_id: booking!.id })).toHaveLength(1);
  });

  it("tells the PMS's own changed bookings apart in bulk: no transaction each", async () => {
    const own = [];
    for (let i = 0; i < 12; i += 1) {
      own.push(
        await createReservation(world.app, world.rooms[0]![i % 2]!, {
          check_in: day(60 + 2 * i),
          check_out: day(61 + 2 * i),
        }),
      );
    }
    await waitForIdle(world);
    // Each booking is changed in Beds24 by a push of ours after the PMS has seen it: a new version to read.
    const seen = pulls(world).length;
    await eventually(
      () => pulls(world),
      (list) => list.length >= seen + 2,
    );
    for (const reservation of own) {
      const patched = await world.app.request('PATCH', `/api/reservations/${reservation.id}`, { notes: 'late' });
      expect(patched.status).toBe(200);
    }
    await waitForIdle(world);
    for (const reservation of own) expect(bookingsOf(world.sandbox, reservation.id)[0]?.notes).toBe('late');

    const began: string[] = [];
    const onQuery = (query: { sql: string }): void => {
      if (/^begin/i.test(query.sql)) began.push(query.sql);
    };
    world.database.db.on('query', onQuery);
    try {
      const since = await databaseNow(world);
      const res = await world.app.request(
        'POST',
        '/api/admin/beds24/pull',
        { property_id: world.propertyId },
        ADMIN_TOKEN,
      );
      expect(res.status).toBe(202);
      await waitForCompletedJob(world, 'import', since);
    } finally {
      world.database.db.off('query', onQuery);
    }
    expect(began.length).toBeLessThan(own.length);
    const outcomes: Array<{ outcome: string }> = await world.database
      .db('beds24_imported_bookings')
      .whereIn(
        'beds24_booking_id',
        own.map((reservation) => bookingsOf(world.sandbox, reservation.id)[0]!.id),
      )
      .select('outcome');
    expect(outcomes.map((row) => row.outcome)).toEqual(own.map(() => 'ours'));
  });

  it('the status shows the last pull and the imported bookings', async () => {
    const s = await status(world);
    expect(Date.now() - Date.parse(s.last_pull_at)).toBeLessThan(60_000);
    expect(s.pull_sync_enabled).toBe(true);
  });
});

describe('the booking webhook setting failing at connect time', () => {
  it('is a warning: the property connects and its bookings are imported by the pull', async () => {
    const world = await startSyncWorld([{ name: 'double', units: 1 }], {
      publicUrl: 'https://pms.example.invalid',
      beforeConnect: (account) => {
        account.sandbox.setFaults({ errorRate: 1, onlyPaths: ['POST /properties'] });
        account.sandbox.addBookings(account.accountId, [
          { roomId: account.beds24RoomIds[0], arrival: day(2), departure: day(3), status: 'confirmed' },
        ]);
      },
    });
    try {
      await eventually(
        () => status(world),
        (s) => s.last_pull_at !== null,
      );
      expect(world.sandbox.propertyWebhooks(world.beds24PropertyId)).toBeNull();
      const imported = await world.database
        .db('reservations')
        .where({ property_id: world.propertyId, source: 'beds24' });
      expect(imported).toHaveLength(1);
    } finally {
      world.sandbox.clearFaults();
      await world.close();
    }
  });
});
