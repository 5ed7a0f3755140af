import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { createReservation } from '../helpers/fixtures.ts';
import {
  channelBooking,
  eventually,
  modifyChannelBooking,
  readsById,
  reservations,
  reservationsOfBooking,
  status,
  useWebhooks,
} from '../helpers/inbound.ts';
import { bookingsOf, startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';
import { capturingLogger } from '../helpers/log_capture.ts';
import { ADMIN_TOKEN, WEBHOOK_TOKEN, type Json } from '../helpers/test_app.ts';

let world: SyncWorld;
const capture = capturingLogger();
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);

beforeAll(async () => {
  // No interval pulls: whatever reaches the PMS here came by webhook. A booking is read at most every 5 s.
  world = await startSyncWorld(
    [
      { name: 'double', units: 3 },
      { name: 'single', units: 1 },
    ],
    {
      pullIntervalSeconds: 5,
      intervalPulls: false,
      logger: capture.logger,
    },
  );
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
    const [reservation] = await eventually(
      () => reservationsOfBooking(world, id),
      (list) => list.length === 1,
    );
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
    // Beds24 delivers a minute late on average: the copies come after the second of the change has passed.
    world.sandbox.setWebhookFaults({ duplicateRate: 1, delayMs: [2100, 2600] });
    try {
      const id = channelBooking(world, { arrival: day(20), departure: day(22) });
      await eventually(
        () => reservationsOfBooking(world, id),
        (list) => list.length === 1,
      );
      await world.sandbox.webhooksIdle();
      await waitForIdle(world);
      const deliveries = world.sandbox
        .webhookDeliveries()
        .filter((d) => d.bookingId === id && d.outcome === 'delivered');
      expect(deliveries).toHaveLength(2);
      expect(await reservationsOfBooking(world, id)).toHaveLength(1);
      expect(readsById(world, id)).toBe(1);
    } finally {
      world.sandbox.clearWebhookFaults();
    }
  });

  it('a delivery older than what the PMS holds changes nothing and costs no read', async () => {
    const id = channelBooking(world, { arrival: day(30), departure: day(31), roomId: world.beds24RoomIds[1] });
    const [held] = await eventually(
      () => reservationsOfBooking(world, id),
      (list) => list.length === 1,
    );
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

  it("the PMS's own booking, changed through the API with allowWebhooks, is not imported", async () => {
    const own = await createReservation(world.app, world.rooms[0]![1]!, { check_in: day(40), check_out: day(42) });
    await waitForIdle(world);
    const [booking] = bookingsOf(world.sandbox, own.id);
    expect(booking).toBeDefined();
    const token = world.sandbox.createAccessToken(world.accountId);
    const write = await fetch(`${world.sandbox.url}/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', token },
      body: JSON.stringify([{ id: booking!.id, departure: day(43), actions: { allowWebhooks: true } }]),
    });
    expect(write.status).toBe(201);
    await eventually(
      () => world.sandbox.webhookDeliveries().filter((d) => d.bookingId === booking!.id && d.outcome === 'delivered'),
      (list) => list.length > 0,
    );
    await eventually(
      () => world.database.db('beds24_webhook_inbox').whereNull('processed_at').count({ n: '*' }).first(),
      (row) => Number(row?.n) === 0,
    );
    await waitForIdle(world);
    expect(await reservationsOfBooking(world, booking!.id)).toEqual([]);
    const imported = await world.database
      .db('beds24_imported_bookings')
      .where({ beds24_booking_id: booking!.id })
      .first();
    expect(imported?.outcome).toBe('ours');
  });

  it('a modification updates the reservation in place: kept in its room while free, moved when not', async () => {
    const [first, second] = world.rooms[0] as [string, string];
    const id = channelBooking(world, { arrival: day(70), departure: day(72) });
    const [created] = await eventually(
      () => reservationsOfBooking(world, id),
      (list) => list.length === 1,
    );
    expect(created.room_id).toBe(first);
    modifyChannelBooking(world, id, { arrival: day(71), departure: day(73), numAdult: 3 });
    const [moved] = await eventually(
      () => reservationsOfBooking(world, id),
      (list) => list[0]?.check_in === day(71),
    );
    expect(moved).toMatchObject({ id: created.id, room_id: first, check_out: day(73), adults: 3 });
    // Staff sell the first room on the night the booking will move onto: the booking moves to the next room.
    await createReservation(world.app, first, { check_in: day(74), check_out: day(75) });
    modifyChannelBooking(world, id, { arrival: day(73), departure: day(75) });
    const [reassigned] = await eventually(
      () => reservationsOfBooking(world, id),
      (list) => list[0]?.check_in === day(73),
    );
    expect(reassigned).toMatchObject({ id: created.id, room_id: second });
    // Another Beds24 room: a room mapped to it.
    modifyChannelBooking(world, id, { roomId: world.beds24RoomIds[1] });
    const [otherRoom] = await eventually(
      () => reservationsOfBooking(world, id),
      (list) => list[0]?.beds24_room_id === world.beds24RoomIds[1],
    );
    expect(otherRoom).toMatchObject({ id: created.id, room_id: world.rooms[1]![0] });
    expect(await reservationsOfBooking(world, id)).toHaveLength(1);
  });

  it('a cancellation cancels the reservation; a booking confirmed again occupies a room again', async () => {
    const id = channelBooking(world, { arrival: day(80), departure: day(82) });
    const [created] = await eventually(
      () => reservationsOfBooking(world, id),
      (list) => list.length === 1,
    );
    modifyChannelBooking(world, id, { status: 'cancelled' });
    const [cancelled] = await eventually(
      () => reservationsOfBooking(world, id),
      (list) => list[0]?.status === 'cancelled',
    );
    expect(cancelled.id).toBe(created.id);
    // The freed room is sold meanwhile: the booking confirmed again gets another one.
    await createReservation(world.app, created.room_id, { check_in: day(80), check_out: day(81) });
    modifyChannelBooking(world, id, { status: 'confirmed' });
    const [again] = await eventually(
      () => reservationsOfBooking(world, id),
      (list) => list[0]?.status === 'confirmed',
    );
    expect(again.id).toBe(created.id);
    expect(again.room_id).not.toBeNull();
    expect(again.room_id).not.toBe(created.room_id);
  });

  it("deliveries delayed, reordered and duplicated end in Beds24's current state", async () => {
    world.sandbox.setWebhookFaults({ duplicateRate: 0.5, delayMs: [0, 1500] });
    try {
      const id = channelBooking(world, { arrival: day(90), departure: day(91) });
      for (let n = 2; n <= 6; n += 1) modifyChannelBooking(world, id, { departure: day(90 + n), numAdult: n });
      modifyChannelBooking(world, id, { status: 'request' });
      await world.sandbox.webhooksIdle();
      const [final] = await eventually(
        () => reservationsOfBooking(world, id),
        (list) => list[0]?.check_out === day(96) && list[0]?.status === 'pending',
      );
      expect(final.adults).toBe(6);
      expect(await reservationsOfBooking(world, id)).toHaveLength(1);
    } finally {
      world.sandbox.clearWebhookFaults();
    }
  });

  it('roomQty 2 becomes two reservations, one per unit, in two rooms', async () => {
    const id = channelBooking(world, { arrival: day(100), departure: day(102), roomQty: 2, numAdult: 3, price: 500 });
    const units = await eventually(
      () => reservationsOfBooking(world, id),
      (list) => list.length === 2,
    );
    expect(units.map((unit: Json) => unit.beds24_unit)).toEqual([1, 2]);
    expect(units.map((unit: Json) => unit.adults)).toEqual([2, 1]);
    expect(units.map((unit: Json) => unit.total_price)).toEqual([500, null]);
    expect(new Set(units.map((unit: Json) => unit.room_id)).size).toBe(2);
    expect(units.every((unit: Json) => unit.guest_id === units[0].guest_id)).toBe(true);
  });

  it('no free room: imported unassigned, listed, counted, logged without the guest; staff assign a room', async () => {
    const [single] = world.rooms[1] as [string];
    const staff = await createReservation(world.app, single, { check_in: day(110), check_out: day(112) });
    const id = channelBooking(world, {
      roomId: world.beds24RoomIds[1],
      arrival: day(110),
      departure: day(113),
      firstName: 'Hidden',
      lastName: 'Overbooked',
    });
    const [unassigned] = await eventually(
      () => reservationsOfBooking(world, id),
      (list) => list.length === 1,
    );
    expect(unassigned).toMatchObject({ room_id: null, status: 'confirmed', beds24_room_id: world.beds24RoomIds[1] });
    const listed = await reservations(world, '&unassigned=true');
    expect(listed.map((r: Json) => r.id)).toContain(unassigned.id);
    expect((await status(world)).unassigned_reservations).toBeGreaterThanOrEqual(1);
    const warning = capture.lines
      .map((line) => JSON.parse(line))
      .find((line) => line.level === 40 && line.beds24_booking_id === id);
    expect(warning).toMatchObject({ beds24_room_id: world.beds24RoomIds[1], nights: 3, check_in: day(110) });
    expect(capture.lines.join('\n')).not.toMatch(/Hidden|Overbooked/);
    const metrics = await (
      await fetch(`${world.app.baseUrl}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    ).text();
    const sample = (pattern: string): number => Number(new RegExp(`^${pattern} (\\S+)$`, 'm').exec(metrics)?.[1]);
    expect(sample(`beds24_unassigned_reservations\\{property="${world.propertyId}"\\}`)).toBe(1);
    expect(sample('beds24_imports_total\\{outcome="created"\\}')).toBeGreaterThanOrEqual(1);
    expect(sample(`beds24_pull_lag_seconds\\{property="${world.propertyId}"\\}`)).toBeGreaterThanOrEqual(0);
    expect(sample('beds24_webhooks_total\\{outcome="accepted"\\}')).toBeGreaterThan(0);

    expect((await world.app.request('DELETE', `/api/reservations/${staff.id}`)).status).toBe(200);
    const fixed = await world.app.request('PATCH', `/api/reservations/${unassigned.id}`, { room_id: single });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    expect((await reservations(world, '&unassigned=true')).map((r: Json) => r.id)).not.toContain(unassigned.id);
  });
});
