import { afterEach, describe, expect, it } from 'vitest';
import type { InventoryModel } from '@pms/beds24-sandbox';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { expectedCalendar } from '../helpers/calendar_oracle.ts';
import { createReservation } from '../helpers/fixtures.ts';
import { eventually, modifyChannelBooking, reservationsOfBooking, useWebhooks } from '../helpers/inbound.ts';
import { startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';
import { ADMIN_TOKEN, startTestApp, type ApiResponse, type Json, type TestAppOptions } from '../helpers/test_app.ts';

const MODELS: InventoryModel[] = ['stored', 'cap', 'decrement'];
const HORIZON = 30;
/** Nights the operations touch: today .. today + 9. */
const SPAN = 10;
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);

/** Both processes' sync settings: interval pulls off, so a dropped webhook leaves a booking unknown. */
const APP_OPTIONS: TestAppOptions = {
  workers: true,
  horizonDays: HORIZON,
  intervalPulls: false,
  tuning: { debounceFactor: 0.3, pollingIntervalSeconds: 0.5, retryDelaySeconds: 1, retryDelayMaxSeconds: 2 },
};

let world: SyncWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function start(model: InventoryModel): Promise<SyncWorld> {
  world = await startSyncWorld(
    [
      { name: 'double', units: 3 },
      { name: 'suite', units: 2 },
    ],
    { ...APP_OPTIONS, beforeConnect: (account) => account.sandbox.setInventoryModel(account.accountId, model) },
  );
  await waitForIdle(world);
  return world;
}

/** A small seeded PRNG (mulberry32): the same seed plays the same operations. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Units a channel may sell only if Beds24 shows them: the channel cannot oversell what is published. */
function sell(w: SyncWorld, fields: Record<string, unknown>): number | undefined {
  const [result] = w.sandbox.addBookings(
    w.accountId,
    [{ status: 'confirmed', numAdult: 1, lastName: 'Channel', channel: 'booking', ...fields }],
    { respectAvailability: true },
  );
  return result?.success === true ? (result.new as { id: number }).id : undefined;
}

/** Webhooks of the next channel change: sent, or all lost. */
function webhooks(w: SyncWorld, delivered: boolean): void {
  w.sandbox.setWebhookFaults({ dropRate: delivered ? 0 : 1, duplicateRate: 0 });
}

/** Every Beds24 booking pulled in, every push sent: the state a quiet hour ends in. */
async function settle(w: SyncWorld): Promise<void> {
  await waitForIdle(w, 30_000);
  await w.sandbox.webhooksIdle();
  const pull = await w.app.request('POST', '/api/admin/beds24/pull', { property_id: w.propertyId }, ADMIN_TOKEN);
  expect(pull.status, JSON.stringify(pull.body)).toBe(202);
  await waitForIdle(w, 30_000);
}

/**
 * The contract's truth per Beds24 room and night: qty minus every booking there (the sandbox's own count,
 * channel bookings included), minus the PMS rooms of that Beds24 room that are out of service that night
 * (inactive, under maintenance, out of order tonight) and not already counted by a booking of theirs.
 */
async function overTruth(w: SyncWorld): Promise<Json[]> {
  const rooms: Json[] = (await w.app.request('GET', `/api/rooms?property_id=${w.propertyId}&limit=500`)).body.data;
  const reservations: Json[] = (await w.app.request('GET', `/api/reservations?property_id=${w.propertyId}&limit=500`))
    .body.data;
  const blocks = new Map<string, Json[]>();
  for (const room of rooms) {
    blocks.set(room.id, (await w.app.request('GET', `/api/rooms/${room.id}/maintenance?limit=500`)).body.data);
  }
  const found: Json[] = [];
  for (const beds24RoomId of w.beds24RoomIds) {
    for (const night of w.sandbox.availability(beds24RoomId, day(0), day(HORIZON - 1))) {
      const outOfService = rooms.filter((room) => {
        if (room.beds24_room_id !== beds24RoomId) return false;
        const occupied = reservations.some(
          (r) =>
            r.room_id === room.id &&
            ['pending', 'confirmed', 'checked_in'].includes(r.status) &&
            r.check_in <= night.date &&
            night.date < r.check_out,
        );
        const blocked = (blocks.get(room.id) ?? []).some((b) => b.start_date <= night.date && night.date < b.end_date);
        const outOfOrder = night.date === day(0) && room.housekeeping_status === 'out_of_order';
        return !occupied && (room.status !== 'active' || blocked || outOfOrder);
      }).length;
      const truth = Math.max(0, night.trulyFree - outOfService);
      if (night.effective > truth) found.push({ beds24RoomId, ...night, truth });
    }
  }
  return found;
}

/** The operator's drift check with repair, answered 200. */
async function verifyAndRepair(w: SyncWorld): Promise<ApiResponse> {
  const res = await w.app.request(
    'POST',
    '/api/admin/beds24/verify',
    { property_id: w.propertyId, repair: true },
    ADMIN_TOKEN,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res;
}

async function restart(w: SyncWorld): Promise<void> {
  await w.app.close();
  w.app = await startTestApp(w.database, { ...APP_OPTIONS, beds24ApiUrl: w.sandbox.url });
  useWebhooks(w);
}

/** What the sandbox publishes for a Beds24 room next to the contract's rule computed from the REST API. */
async function publishedAndExpected(w: SyncWorld, beds24RoomId: number, nights: number) {
  const expected = await expectedCalendar(w.app, w.propertyId, beds24RoomId, 'UTC', nights);
  const published = w.sandbox.availability(beds24RoomId, day(0), day(nights - 1)).map((n) => n.effective);
  return { published, expected: expected.map((cell) => cell.numAvail) };
}

describe('an imported reservation without a room', () => {
  it('takes a unit of its booked Beds24 room on its nights, and moves with the booking', async () => {
    const w = await start('stored');
    useWebhooks(w);
    const [suite1, suite2] = w.rooms[1] as [string, string];
    const [suiteId, doubleId] = [w.beds24RoomIds[1]!, w.beds24RoomIds[0]!];
    await createReservation(w.app, suite1, { check_in: day(2), check_out: day(4) });
    const block = await w.app.request('POST', `/api/rooms/${suite2}/maintenance`, {
      start_date: day(3),
      end_date: day(4),
    });
    expect(block.status).toBe(201);
    await waitForIdle(w);
    // Beds24 sells a unit the PMS had closed on one of its nights (a hand edit, a channel's own oversell): no
    // PMS room is free for the whole stay, so the reservation gets none.
    const [made] = w.sandbox.addBookings(w.accountId, [
      { roomId: suiteId, arrival: day(2), departure: day(4), status: 'confirmed', numAdult: 1, lastName: 'Over' },
    ]);
    const id = (made?.new as { id: number }).id;
    const [unit] = await eventually(
      () => reservationsOfBooking(w, id),
      (list) => list.length === 1,
    );
    expect(unit).toMatchObject({ room_id: null, beds24_room_id: suiteId });
    await waitForIdle(w);
    // Suite 2 is free on the first night, but the overbooked guest holds that unit.
    const suite = await publishedAndExpected(w, suiteId, 6);
    expect(suite.published).toEqual([2, 2, 0, 0, 2, 2]);
    expect(suite.published).toEqual(suite.expected);

    // Moved by the channel to the double room (read by the next pull: its webhook falls within the booking's
    // one read per pull interval): both Beds24 rooms are written again.
    modifyChannelBooking(w, id, { roomId: doubleId });
    const pull = await w.app.request('POST', '/api/admin/beds24/pull', { property_id: w.propertyId }, ADMIN_TOKEN);
    expect(pull.status).toBe(202);
    await eventually(
      () => reservationsOfBooking(w, id),
      (list) => list[0]?.beds24_room_id === doubleId,
    );
    await waitForIdle(w);
    const moved = await Promise.all([publishedAndExpected(w, suiteId, 6), publishedAndExpected(w, doubleId, 6)]);
    expect(moved.map((room) => room.published)).toEqual([
      [2, 2, 1, 0, 2, 2],
      [3, 3, 2, 2, 3, 3],
    ]);
    expect(moved.map((room) => room.published)).toEqual(moved.map((room) => room.expected));
    expect(w.sandbox.invariantViolations()).toEqual([]);
  }, 60_000);
});

describe('a raise waits for the pull', () => {
  it.each(MODELS)(
    '%s: a PMS cancel on a night a channel just sold (webhook lost) publishes the lower count',
    async (model) => {
      const w = await start(model);
      const [room] = w.rooms[0]!;
      const staff = await createReservation(w.app, room!, { check_in: day(3), check_out: day(5) });
      await waitForIdle(w);
      expect(w.sandbox.calendar(w.beds24RoomIds[0]!, day(3), day(4)).map((c) => c.numAvail)).toEqual([2, 2]);

      // No webhook is configured and interval pulls are off: only a pull can tell the PMS of this booking.
      const sold = sell(w, { roomId: w.beds24RoomIds[0], arrival: day(3), departure: day(5) });
      expect(sold).toBeDefined();
      expect((await w.app.request('DELETE', `/api/reservations/${staff.id}`)).status).toBe(200);
      await waitForIdle(w);

      expect(w.sandbox.invariantViolations()).toEqual([]);
      expect(w.sandbox.availability(w.beds24RoomIds[0]!, day(3), day(4)).map((n) => n.effective)).toEqual([2, 2]);
      expect(await reservationsOfBooking(w, sold!)).toHaveLength(1);
    },
    60_000,
  );
});

describe('the drift check', () => {
  it.each(MODELS)(
    '%s: imports a channel booking the PMS has not (not_imported) before comparing, and repairs nothing upward',
    async (model) => {
      const w = await start(model);
      const sold = sell(w, { roomId: w.beds24RoomIds[1], arrival: day(2), departure: day(4) });
      expect(sold).toBeDefined();
      const res = await verifyAndRepair(w);
      expect(res.body.bookings).toEqual([
        { reservation_id: null, beds24_booking_id: sold, problem: 'not_imported', fields: [] },
      ]);
      // Imported first: the PMS counts the booking, so Beds24's count is no drift to repair.
      expect(res.body.calendar.filter((c: Json) => c.beds24_room_id === w.beds24RoomIds[1])).toEqual(
        model === 'stored'
          ? [day(2), day(3)].map((date) => ({
              beds24_room_id: w.beds24RoomIds[1],
              date,
              expected: { num_avail: 1, price1: 100 },
              actual: { num_avail: 2, price1: 100 },
            }))
          : [],
      );
      expect(await reservationsOfBooking(w, sold!)).toHaveLength(1);
      await waitForIdle(w);
      expect(w.sandbox.invariantViolations()).toEqual([]);
      expect(w.sandbox.overPublished(w.beds24RoomIds[1]!, day(0), day(HORIZON - 1))).toEqual([]);
    },
    60_000,
  );

  it('with pulls off it reports the booking and leaves the nights it holds alone', async () => {
    const w = await start('decrement');
    const config = await w.app.request(
      'PUT',
      '/api/admin/beds24/config',
      { property_id: w.propertyId, beds24_property_id: w.beds24PropertyId, pull_sync_enabled: false },
      ADMIN_TOKEN,
    );
    expect(config.status, JSON.stringify(config.body)).toBe(200);
    const sold = sell(w, { roomId: w.beds24RoomIds[1], arrival: day(2), departure: day(4) });
    const writes = w.sandbox.requests.filter((r) => r.path === '/inventory/rooms/calendar' && r.method === 'POST');
    const res = await verifyAndRepair(w);
    expect(res.body.bookings.map((b: Json) => [b.beds24_booking_id, b.problem])).toEqual([[sold, 'not_imported']]);
    expect(res.body.calendar.map((c: Json) => c.date)).toEqual([day(2), day(3)]);
    await waitForIdle(w);
    expect(w.sandbox.requests.filter((r) => r.path === '/inventory/rooms/calendar' && r.method === 'POST')).toEqual(
      writes,
    );
    expect(w.sandbox.availability(w.beds24RoomIds[1]!, day(2), day(3)).map((n) => n.effective)).toEqual([1, 1]);
  }, 60_000);
});

/**
 * Channel bookings, PMS edits, drift checks and restarts interleaved, drawn from a seeded PRNG. A channel
 * sells only what Beds24 shows, and it does so while the sync is at rest: a booking made while a write is in
 * flight is a race no connector can close, so every excess the sandbox records is one the PMS could have
 * avoided. A third of the channel changes lose their webhooks.
 */
describe('no night is ever published above what is truly free', () => {
  const ROUNDS = 40;

  it.each(MODELS)(
    '%s: at every calendar write and after settling',
    async (model) => {
      const seed = Number(process.env.INVARIANT_SEED ?? Date.now() % 1_000_000);
      const random = seeded(seed);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
      const nights = (): { from: string; to: string } => {
        const start = Math.floor(random() * (SPAN - 1));
        const length = 1 + Math.floor(random() * 3);
        return { from: day(start), to: day(Math.min(SPAN, start + length)) };
      };
      const w = await start(model);
      useWebhooks(w);
      const channel: number[] = [];
      const staff: string[] = [];
      const played: string[] = [];
      try {
        for (let round = 0; round < ROUNDS; round += 1) {
          const op = pick([
            'sell',
            'sell',
            'modify',
            'cancel',
            'book',
            'book',
            'move',
            'unbook',
            'block',
            'status',
            'verify',
          ]);
          played.push(op);
          if (op === 'sell' || op === 'modify' || op === 'cancel') {
            await waitForIdle(w, 30_000);
            webhooks(w, random() >= 0.3);
            const stay = nights();
            const roomId = pick(w.beds24RoomIds);
            if (op === 'sell' || channel.length === 0) {
              const id = sell(w, { roomId, arrival: stay.from, departure: stay.to });
              if (id !== undefined) channel.push(id);
            } else {
              const id = pick(channel);
              const changes =
                op === 'cancel' ? { status: 'cancelled' } : { roomId, arrival: stay.from, departure: stay.to };
              w.sandbox.modifyBooking(w.accountId, id, changes, { respectAvailability: true });
            }
          } else if (op === 'book') {
            const stay = nights();
            const res = await w.app.request('POST', '/api/reservations', {
              room_id: pick(w.rooms.flat()),
              guest: { first_name: 'Ada', last_name: 'Walk-in' },
              check_in: stay.from,
              check_out: stay.to,
              adults: 1,
            });
            if (res.status === 201) staff.push(res.body.id);
            else expect(res.status, JSON.stringify(res.body)).toBe(409);
          } else if (op === 'move' && staff.length > 0) {
            const stay = nights();
            const res = await w.app.request('PATCH', `/api/reservations/${pick(staff)}`, {
              room_id: pick(w.rooms.flat()),
              check_in: stay.from,
              check_out: stay.to,
            });
            expect([200, 409], JSON.stringify(res.body)).toContain(res.status);
          } else if (op === 'unbook' && staff.length > 0) {
            const id = staff.splice(Math.floor(random() * staff.length), 1)[0]!;
            expect((await w.app.request('DELETE', `/api/reservations/${id}`)).status).toBe(200);
          } else if (op === 'block') {
            const stay = nights();
            const room = pick(w.rooms.flat());
            const res = await w.app.request('POST', `/api/rooms/${room}/maintenance`, {
              start_date: stay.from,
              end_date: stay.to,
            });
            expect([201, 409], JSON.stringify(res.body)).toContain(res.status);
          } else if (op === 'status') {
            const room = pick(w.rooms.flat());
            const status = random() < 0.5 ? 'inactive' : 'active';
            const res = await w.app.request('PATCH', `/api/rooms/${room}`, { status });
            expect([200, 409], JSON.stringify(res.body)).toContain(res.status);
          } else if (op === 'verify') {
            await verifyAndRepair(w);
          }
          if (round === Math.floor(ROUNDS / 2)) {
            played.push('restart');
            await restart(w);
          }
        }
        webhooks(w, true);
        await settle(w);
        expect(w.sandbox.invariantViolations()).toEqual([]);
        expect(await overTruth(w)).toEqual([]);
      } catch (error) {
        // The seed is what reproduces a failure: INVARIANT_SEED=<seed>.
        console.error(`availability invariant (${model}) failed with INVARIANT_SEED=${seed}: ${played.join(' ')}`);
        throw error;
      }
    },
    90_000,
  );
});
