import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/utils/dates.ts';
import { callsTo, startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';
import { ADMIN_TOKEN } from '../helpers/test_app.ts';

let world: SyncWorld;

beforeAll(async () => {
  world = await startSyncWorld(
    Array.from({ length: 20 }, (_, i) => ({ name: `type ${i}`, units: 10, basePrice: 100 + i })),
  );
  await waitForIdle(world, 60_000);
}, 120_000);

afterAll(async () => {
  await world.close();
});

describe('full resync cost', () => {
  it('sends 200 rooms mapped to 20 Beds24 rooms over 365 nights in a few calendar calls, and nothing when nothing changed', async () => {
    world.sandbox.resetRequestLog();
    const resync = await world.app.request(
      'POST',
      '/api/admin/beds24/resync',
      { property_id: world.propertyId },
      ADMIN_TOKEN,
    );
    expect(resync.status).toBe(202);
    await waitForIdle(world, 60_000);
    const calendarCalls = callsTo(world.sandbox, 'POST', '/inventory/rooms/calendar');
    expect(calendarCalls).toBeGreaterThanOrEqual(1);
    expect(calendarCalls).toBeLessThanOrEqual(3);
    const today = new Date().toISOString().slice(0, 10);
    for (const roomId of world.beds24RoomIds) {
      const days = world.sandbox.calendar(roomId, today, addDays(today, 364));
      expect(
        days.every((d) => d.numAvail === 10),
        `Beds24 room ${roomId}`,
      ).toBe(true);
    }
    const first = world.sandbox.calendar(
      world.beds24RoomIds[19]!,
      new Date().toISOString().slice(0, 10),
      new Date().toISOString().slice(0, 10),
    )[0];
    expect(first).toMatchObject({ numAvail: 10, price1: 119 });

    world.sandbox.resetRequestLog();
    await world.app.sync.pushCalendar(world.propertyId);
    expect(world.sandbox.requests).toEqual([]);
  }, 120_000);
});
