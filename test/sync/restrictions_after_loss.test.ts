import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { startSyncWorld, type SyncWorld } from '../helpers/sync_harness.ts';

let world: SyncWorld;
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);
const override = (date: string): unknown => world.sandbox.calendar(world.beds24RoomIds[0]!, date, date)[0]?.override;

async function restrict(body: Record<string, unknown>): Promise<void> {
  const res = await world.app.request('PUT', `/api/properties/${world.propertyId}/restrictions`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

beforeAll(async () => {
  world = await startSyncWorld([{ name: 'double', units: 2, basePrice: 100 }], { workers: false, horizonDays: 30 });
  await world.app.sync.pushCalendar(world.propertyId);
});

afterAll(async () => {
  await world.close();
});

/*
 * Cells being sent are forgotten until Beds24's answer is recorded. A forgotten night that the PMS no longer
 * restricts must still go out with the restriction fields: the write that cleared it may never have arrived.
 */
describe('a restriction write whose outcome we never learn', () => {
  it('a clear that never reached Beds24 is sent again with the next push', async () => {
    await restrict({ room_type: 'double', from: day(5), to: day(6), stop_sell: true });
    await world.app.sync.pushCalendar(world.propertyId);
    expect(override(day(5))).toBe('blackout');

    await restrict({ room_type: 'double', from: day(5), to: day(6), stop_sell: null });
    world.sandbox.setFaults({ errorRate: 1, onlyPaths: ['/inventory/rooms/calendar'] });
    await expect(world.app.sync.pushCalendar(world.propertyId)).rejects.toMatchObject({ code: 'beds24_transient' });
    world.sandbox.clearFaults();
    expect(override(day(5))).toBe('blackout');

    await world.app.sync.pushCalendar(world.propertyId);
    expect(world.sandbox.calendar(world.beds24RoomIds[0]!, day(5), day(6))).toMatchObject([
      { override: 'none', numAvail: 2 },
      { override: 'none', numAvail: 2 },
    ]);
  });

  it('a stop-sell Beds24 applied though its answer was lost is cleared when the PMS clears it', async () => {
    await restrict({ room_type: 'double', from: day(9), to: day(9), stop_sell: true });
    world.sandbox.setFaults({ dropRate: 1, onlyPaths: ['/inventory/rooms/calendar'] });
    await expect(world.app.sync.pushCalendar(world.propertyId)).rejects.toMatchObject({ code: 'beds24_transient' });
    world.sandbox.clearFaults();
    expect(override(day(9))).toBe('blackout');

    await restrict({ room_type: 'double', from: day(9), to: day(9), stop_sell: null });
    await world.app.sync.pushCalendar(world.propertyId);
    expect(override(day(9))).toBe('none');
  });
});
