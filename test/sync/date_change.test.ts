import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { fakeClock } from '../helpers/fake_clock.ts';
import type { CalendarDay } from '@pms/beds24-sandbox';
import { callsTo, startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';
import { startTestApp } from '../helpers/test_app.ts';

const TZ = 'Pacific/Kiritimati';
const HORIZON = 10;
const MINUTE = 60_000;
/** 23:50 on the hotel's current date, 14 hours ahead of UTC: its midnight is far from the server's. */
const clock = fakeClock(new Date(`${todayIn(TZ, new Date())}T23:50:00+14:00`));
const start = todayIn(TZ, clock.now());
const day = (n: number): string => addDays(start, n);
const options = { timezone: TZ, horizonDays: HORIZON, clock, tuning: { pollingIntervalSeconds: 0.5 } };
const ONLY_THE_TICK = [{ name: 'beds24-calendar-tick', key: '', cron: '* * * * *' }];
let world: SyncWorld;

function night(date: string): CalendarDay {
  return world.sandbox.calendar(world.beds24RoomIds[0]!, date, date)[0]!;
}
const numAvail = (...dates: string[]): unknown[] => dates.map((date) => night(date).numAvail);

/** A per-property nightly schedule as older deployments left them in the database. */
async function leaveRetiredSchedule(): Promise<void> {
  const boss = new PgBoss({ connectionString: world.database.url, schema: 'pgboss' });
  await boss.start();
  await boss.createQueue('beds24-daily-resync', { policy: 'stately' });
  const data = { propertyId: world.propertyId };
  await boss.schedule('beds24-daily-resync', '15 3 * * *', data, { tz: TZ, key: world.propertyId });
  await boss.stop({ graceful: false, close: true });
}

beforeAll(async () => {
  world = await startSyncWorld([{ name: 'double', units: 2, basePrice: 80 }], options);
  const room = world.rooms[0]![0]!;
  const body = { housekeeping_status: 'out_of_order' };
  const res = await world.app.request('PATCH', `/api/rooms/${room}/housekeeping`, body);
  expect(res.status).toBe(200);
  await waitForIdle(world);
  expect(numAvail(day(0), day(1), day(HORIZON - 1), day(HORIZON))).toEqual([1, 2, 2, undefined]);
  await world.app.sync.tick();
  await waitForIdle(world);
});

afterAll(async () => {
  await world.close();
});

describe('the date change', () => {
  it('after local midnight, the tick pushes tonight without the out-of-order room and the new last night', async () => {
    world.sandbox.resetRequestLog();
    clock.advance(20 * MINUTE);
    await world.app.sync.tick();
    await waitForIdle(world);
    expect(numAvail(day(1), day(2), day(HORIZON))).toEqual([1, 2, 2]);
    expect(night(day(HORIZON)).price1).toBe(80);
    expect(callsTo(world.sandbox, 'POST', '/inventory/rooms/calendar')).toBe(1);

    await world.app.sync.tick();
    await waitForIdle(world);
    // The new last night was never written, so its count may rise: the bookings are pulled first.
    expect(world.sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /bookings',
      'POST /inventory/rooms/calendar',
    ]);
  });

  it('a date change and a nightly check missed while the process was down are made up at start', async () => {
    await world.app.close();
    await leaveRetiredSchedule();
    world.sandbox.editCalendar(world.beds24RoomIds[0]!, [{ from: day(6), to: day(6), numAvail: 0 }]);
    clock.advance(28 * 60 * MINUTE);
    expect(todayIn(TZ, clock.now())).toBe(day(2));
    world.sandbox.resetRequestLog();

    world.app = await startTestApp(world.database, { ...options, beds24ApiUrl: world.sandbox.url, workers: true });
    await waitForIdle(world);

    expect(numAvail(day(2), day(3), day(HORIZON + 1))).toEqual([1, 2, 2]);
    expect(numAvail(day(6))).toEqual([2]);
    expect(callsTo(world.sandbox, 'GET', '/inventory/rooms/calendar')).toBe(1);
    expect(await world.app.sync.schedules()).toEqual(ONLY_THE_TICK);
  });
});
