import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { createReservation } from '../helpers/fixtures.ts';
import {
  channelBooking,
  eventually,
  readsById,
  reservationsOfBooking,
  useWebhooks,
} from '../helpers/inbound.ts';
import { bookingsOf, startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';
import { WEBHOOK_TOKEN } from '../helpers/test_app.ts';

let world: SyncWorld;
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);

beforeAll(async () => {
  world = await startSyncWorld([{ name: 'double', units: 3 }, { name: 'single', units: 1 }], {
    pullIntervalSeconds: 30,
    intervalPulls: false,
  });
  useWebhooks(world);
  await waitForIdle(world);
});

afterAll(async () => {
  await world?.close();
});

describe('channel bookings arriving by webhook', () => {
  it('a new booking becomes one reservation in the lowest free room, read once by id', async () => {
    const id = channelBooking(world, {
      arrival: day(10),
      departure: day(13),
      numAdult: 2,
      numChild: 1,
      price: 420.5,
      channel: 'booking',
      apiReference: 'BDC-1001',
      firstName: 'Marie',
      lastName: 'Curie',
    });
    const [reservation] = await eventually(() => reservationsOfBooking(world, id), (list) => list.length === 1);
    expect(reservation).toMatchObject({
      source: 'beds24',
      beds24_booking_id: id,
      beds24_unit: 1,
      room_id: world.rooms[0]![0],
      beds24_room_id: world.beds24RoomIds[0],
      check_in: day(10),
      check_out: day(13),
      adults: 2,
      children: 1,
      total_price: 420.5,
      status: 'confirmed',
      beds24_channel: 'booking',
      beds24_api_reference: 'BDC-1001',
      guest: { first_name: 'Marie', last_name: 'Curie' },
    });
    expect(readsById(world, id)).toBe(1);
    // The import pushes the calendar it changed: one unit fewer on those nights.
    await waitForIdle(world);
    const [night] = world.sandbox.calendar(world.beds24RoomIds[0]!, day(10), day(10));
    expect(night?.numAvail).toBe(2);
  });

  it('a delivery sent twice is read once and imported once', async () => {
    world.sandbox.setWebhookFaults({ duplicateRate: 1 });
    try {
      const id = channelBooking(world, { arrival: day(20), departure: day(22) });
      await eventually(() => reservationsOfBooking(world, id), (list) => list.length === 1);
      await world.sandbox.webhooksIdle();
      await waitForIdle(world);
      const deliveries = world.sandbox.webhookDeliveries().filter((d) => d.bookingId === id && d.outcome === 'delivered');
      expect(deliveries).toHaveLength(2);
      expect(await reservationsOfBooking(world, id)).toHaveLength(1);
      expect(readsById(world, id)).toBe(1);
    } finally {
      world.sandbox.clearWebhookFaults();
    }
  });

  it('a delivery older than what the PMS holds changes nothing and costs no read', async () => {
    const id = channelBooking(world, { arrival: day(30), departure: day(31), roomId: world.beds24RoomIds[1] });
    const [held] = await eventually(() => reservationsOfBooking(world, id), (list) => list.length === 1);
    await waitForIdle(world);
    const stale = {
      booking: {
        id,
        propertyId: world.beds24PropertyId,
        roomId: world.beds24RoomIds[1],
        status: 'cancelled',
        arrival: day(30),
        departure: day(31),
        modifiedTime: '2020-01-01T00:00:00Z',
      },
    };
    const res = await fetch(`${world.app.baseUrl}/webhooks/beds24`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-webhook-token': WEBHOOK_TOKEN },
      body: JSON.stringify(stale),
    });
    expect(res.status).toBe(202);
    await eventually(
      () => world.database.db('beds24_webhook_inbox').whereNull('processed_at').count({ n: '*' }).first(),
      (row) => Number(row?.n) === 0,
    );
    await waitForIdle(world);
    expect(await reservationsOfBooking(world, id)).toEqual([held]);
    expect(readsById(world, id)).toBe(1);
  });

  it("the PMS's own booking, changed in Beds24 (a webhook fires), is not imported", async () => {
    const own = await createReservation(world.app, world.rooms[0]![1]!, { check_in: day(40), check_out: day(42) });
    await waitForIdle(world);
    const [booking] = bookingsOf(world.sandbox, own.id);
    expect(booking).toBeDefined();
    world.sandbox.modifyBooking(world.accountId, booking!.id, { notes: 'changed by hand in Beds24' });
    await eventually(
      async () => world.sandbox.webhookDeliveries().filter((d) => d.bookingId === booking!.id && d.outcome === 'delivered'),
      (list) => list.length > 0,
    );
    await eventually(
      () => world.database.db('beds24_webhook_inbox').whereNull('processed_at').count({ n: '*' }).first(),
      (row) => Number(row?.n) === 0,
    );
    await waitForIdle(world);
    expect(await reservationsOfBooking(world, booking!.id)).toEqual([]);
    const imported = await world.database.db('beds24_imported_bookings').where({ beds24_booking_id: booking!.id }).first();
    expect(imported?.outcome).toBe('ours');
  });
});
