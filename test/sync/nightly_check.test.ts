import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { fakeClock } from '../helpers/fake_clock.ts';
import { createReservation } from '../helpers/fixtures.ts';
import { bookingsOf, callsTo, startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';

const HORIZON = 20;
const clock = fakeClock(new Date(`${todayIn('UTC', new Date())}T10:00:00Z`));
const day = (n: number): string => addDays(todayIn('UTC', clock.now()), n);
let world: SyncWorld;
const stays: Record<'a' | 'b' | 'cancelled', string> = { a: '', b: '', cancelled: '' };

const modifiedTimes = (): Record<string, string> =>
  Object.fromEntries(Object.entries(stays).map(([name, id]) => [name, bookingsOf(world.sandbox, id)[0]!.modifiedTime]));

async function lastRequest(path: string): Promise<unknown> {
  const row = await world.database
    .db('beds24_sync_log')
    .where({ method: 'POST', path })
    .orderBy('id', 'desc')
    .first('request');
  return row?.request;
}

beforeAll(async () => {
  world = await startSyncWorld([{ name: 'double', units: 2, basePrice: 90 }], { horizonDays: HORIZON, clock });
  const [first, second] = world.rooms[0] as [string, string];
  stays.a = (await createReservation(world.app, first, { check_in: day(2), check_out: day(4) })).id;
  stays.b = (await createReservation(world.app, second, { check_in: day(3), check_out: day(6) })).id;
  stays.cancelled = (await createReservation(world.app, first, { check_in: day(8), check_out: day(9) })).id;
  await waitForIdle(world);
  expect((await world.app.request('DELETE', `/api/reservations/${stays.cancelled}`)).status).toBe(200);
  await waitForIdle(world);
});

afterAll(async () => {
  await world.close();
});

describe('the nightly job', () => {
  it('reads Beds24 back and, when nothing differs, writes nothing', async () => {
    clock.advance(3_600_000);
    const before = modifiedTimes();
    world.sandbox.resetRequestLog();
    await world.app.sync.nightlyCheck(world.propertyId);
    await waitForIdle(world);
    expect(callsTo(world.sandbox, 'GET', '/inventory/rooms/calendar')).toBe(1);
    expect(callsTo(world.sandbox, 'GET', '/bookings')).toBe(1);
    expect(callsTo(world.sandbox, 'POST', '/bookings')).toBe(0);
    expect(callsTo(world.sandbox, 'POST', '/inventory/rooms/calendar')).toBe(0);
    expect(modifiedTimes()).toEqual(before);
  });

  it('writes back exactly the booking and the night changed by hand in Beds24', async () => {
    clock.advance(3_600_000);
    const booking = bookingsOf(world.sandbox, stays.a)[0]!;
    world.sandbox.addBookings(world.accountId, [{ id: booking.id, numAdult: 1 }]);
    world.sandbox.editCalendar(world.beds24RoomIds[0]!, [{ from: day(12), to: day(12), numAvail: 0 }]);
    clock.advance(3_600_000);
    const before = modifiedTimes();
    world.sandbox.resetRequestLog();

    await world.app.sync.nightlyCheck(world.propertyId);
    await waitForIdle(world);

    expect(callsTo(world.sandbox, 'POST', '/bookings')).toBe(1);
    expect(callsTo(world.sandbox, 'POST', '/inventory/rooms/calendar')).toBe(1);
    expect(await lastRequest('/bookings')).toEqual([expect.objectContaining({ id: booking.id, numAdult: 2 })]);
    expect(await lastRequest('/inventory/rooms/calendar')).toEqual([
      { roomId: world.beds24RoomIds[0], calendar: [{ from: day(12), to: day(12), numAvail: 2, price1: 90 }] },
    ]);
    const after = modifiedTimes();
    expect(after.a).not.toBe(before.a);
    expect({ b: after.b, cancelled: after.cancelled }).toEqual({ b: before.b, cancelled: before.cancelled });
    expect(bookingsOf(world.sandbox, stays.a)[0]).toMatchObject({ numAdult: 2 });
    const night = world.sandbox.calendar(world.beds24RoomIds[0]!, day(12), day(12))[0];
    expect(night).toMatchObject({ numAvail: 2, price1: 90 });
  });
});
