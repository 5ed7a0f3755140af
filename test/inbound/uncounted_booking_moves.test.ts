import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { channelBooking, eventually, modifyChannelBooking, reservationsOfBooking } from '../helpers/inbound.ts';
import { startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';

let world: SyncWorld;
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);
const numAvail = (from: number, to: number): number[] =>
  world.sandbox.calendar(world.beds24RoomIds[0]!, day(from), day(to)).map((cell) => cell.numAvail as number);

beforeAll(async () => {
  world = await startSyncWorld([{ name: 'double', units: 2 }]);
  // Beds24 moves a written numAvail with every booking change, a channel's included.
  world.sandbox.setInventoryModel(world.accountId, 'decrement');
  await waitForIdle(world);
});

afterAll(async () => {
  await world.close();
});

async function importNow(): Promise<void> {
  await world.app.sync.pullNow(world.propertyId, { reason: 'operator', priority: 'high' });
  await waitForIdle(world);
}

describe('a channel booking that Beds24 counts and the PMS does not (a no-show)', () => {
  it('cancelled at the channel: the nights it held are sent again, not left one unit over', async () => {
    const bookingId = channelBooking(world, { arrival: day(5), departure: day(7) });
    await importNow();
    const [unit] = await reservationsOfBooking(world, bookingId);
    expect(numAvail(5, 6)).toEqual([1, 1]);

    // The guest never came: the PMS sells the room again, Beds24 still holds the booking.
    const noShow = await world.app.request('PATCH', `/api/reservations/${unit.id}`, { status: 'no_show' });
    expect(noShow.status).toBe(200);
    await waitForIdle(world);
    expect(numAvail(5, 6)).toEqual([2, 2]);

    modifyChannelBooking(world, bookingId, { status: 'cancelled' });
    await importNow();
    await eventually(
      () => reservationsOfBooking(world, bookingId),
      (units) => units[0]?.status === 'cancelled',
    );
    await waitForIdle(world);
    expect(numAvail(5, 6)).toEqual([2, 2]);
  }, 60_000);

  it('moved to other nights at the channel: the nights it left and took are sent again', async () => {
    const bookingId = channelBooking(world, { arrival: day(10), departure: day(12) });
    await importNow();
    const [unit] = await reservationsOfBooking(world, bookingId);
    expect((await world.app.request('PATCH', `/api/reservations/${unit.id}`, { status: 'no_show' })).status).toBe(200);
    await waitForIdle(world);
    expect(numAvail(10, 13)).toEqual([2, 2, 2, 2]);

    modifyChannelBooking(world, bookingId, { arrival: day(12), departure: day(14) });
    await importNow();
    expect(numAvail(10, 13)).toEqual([2, 2, 2, 2]);
  }, 60_000);
});
