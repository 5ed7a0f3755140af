import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { createReservation } from '../helpers/fixtures.ts';
import { startSyncWorld, type SyncWorld } from '../helpers/sync_harness.ts';

let world: SyncWorld;
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);

beforeAll(async () => {
  world = await startSyncWorld([{ name: 'double', units: 2, basePrice: 100 }], { workers: false, horizonDays: 30 });
  await world.app.sync.pushCalendar(world.propertyId);
});

afterAll(async () => {
  await world.close();
});

describe('a calendar push whose outcome we never learn (answer lost, or a crash before it was recorded)', () => {
  it('leaves the cells unknown, so a later change back to the old value is still sent', async () => {
    const roomId = world.beds24RoomIds[0]!;
    expect(world.sandbox.calendar(roomId, day(5), day(5))[0]?.numAvail).toBe(2);

    const stay = await createReservation(world.app, world.rooms[0]![0]!, { check_in: day(5), check_out: day(6) });
    world.sandbox.setFaults({ dropRate: 1, onlyPaths: ['/inventory/rooms/calendar'] });
    await expect(world.app.sync.pushCalendar(world.propertyId)).rejects.toMatchObject({ code: 'beds24_transient' });
    world.sandbox.clearFaults();
    // Beds24 applied the write: it shows the room taken, though we never heard so.
    expect(world.sandbox.calendar(roomId, day(5), day(5))[0]?.numAvail).toBe(1);

    await world.app.request('DELETE', `/api/reservations/${stay.id}`);
    await world.app.sync.pushCalendar(world.propertyId);
    expect(world.sandbox.calendar(roomId, day(5), day(5))[0]?.numAvail).toBe(2);
  });
});
