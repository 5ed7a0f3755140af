import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { expectWithinCreditWindows } from '../helpers/credit_windows.ts';
import { createReservation } from '../helpers/fixtures.ts';
import { bookingsOf, startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';
import { ADMIN_TOKEN } from '../helpers/test_app.ts';

const LIMIT = 12;
// The 120 s window, shortened so the test waits less for the reset; long enough that a booking
// held behind a waiting resync could never make the 2 s asked for, and that a loaded machine still checks
// the waiting resync before the window resets.
const WINDOW_SECONDS = 40;

let world: SyncWorld;
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);

type Probe<T> = () => Promise<T | undefined> | T | undefined;

async function waitFor<T>(what: string, probe: Probe<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const admin = (method: string, path: string, body?: unknown) => world.app.request(method, path, body, ADMIN_TOKEN);

beforeAll(async () => {
  world = await startSyncWorld([
    { name: 'double', units: 2 },
    { name: 'suite', units: 1 },
  ]);
  await waitForIdle(world);
});

afterAll(async () => {
  await world.close();
});

describe('a resync waiting for credits', () => {
  it('holds up neither the bookings nor the closings of its property, and runs after the window resets', async () => {
    const [double, suite] = world.rooms as [string[], string[]];
    const suiteRoomId = world.beds24RoomIds[1]!;
    world.sandbox.setCreditWindow(world.accountId, { limit: LIMIT, windowSeconds: WINDOW_SECONDS });
    world.sandbox.resetRequestLog();
    await createReservation(world.app, double[0]!, { check_in: day(5), check_out: day(7) });
    await createReservation(world.app, double[1]!, { check_in: day(8), check_out: day(10) });
    await waitForIdle(world);
    // A few credits are spent: a resync (which must leave 10) has to wait, critical work does not.
    const remaining = world.sandbox.credits(world.accountId).remaining;
    expect(remaining).toBeLessThan(11);
    expect(remaining).toBeGreaterThan(3);

    const resyncAsked = new Date();
    const resync = await admin('POST', '/api/admin/beds24/resync', { property_id: world.propertyId });
    expect(resync.status).toBe(202);
    const windowEnds = resyncAsked.getTime() + (world.sandbox.credits(world.accountId).resetsInSeconds - 1) * 1000;
    await waitFor(
      'the resync job to start',
      async () => {
        const { rows } = await world.database.db.raw(
          `select 1 from pgboss.job where name = 'beds24-sync' and data->>'kind' = 'resync' and data->>'propertyId' = ?
           and started_on is not null and created_on >= ?`,
          [world.propertyId, resyncAsked],
        );
        return rows.length > 0 ? true : undefined;
      },
      10_000,
    );

    const created = await createReservation(world.app, suite[0]!, { check_in: day(3), check_out: day(5) });
    const saved = performance.now();
    const now = (condition: boolean): number | undefined => (condition ? performance.now() : undefined);
    const inBeds24 = (): boolean => bookingsOf(world.sandbox, created.id).length === 1;
    const booked = await waitFor('the booking in Beds24', () => now(inBeds24()), 60_000);
    const soldOut = (): boolean =>
      world.sandbox.calendar(suiteRoomId, day(3), day(4)).every((cell) => cell.numAvail === 0);
    const closed = await waitFor('the sold-out nights closed in Beds24', () => now(soldOut()), 60_000);
    expect(booked - saved).toBeLessThan(2000);
    expect(closed - saved).toBeLessThan(2000);

    // The resync is still waiting for the window, visibly, and not as a failure.
    const status = await admin('GET', `/api/admin/beds24/status?property_id=${world.propertyId}`);
    expect(status.body.queue_depth.resync).toMatchObject({ pending_changes: 1, queued: 1, running: 0 });
    expect(status.body.failed_jobs).toBe(0);

    await waitForIdle(world, 3 * WINDOW_SECONDS * 1000);
    const farNight: { pushed_at: Date } = await world.database
      .db('beds24_calendar_state')
      .where({ property_id: world.propertyId, beds24_room_id: world.beds24RoomIds[0], date: day(200) })
      .first('pushed_at');
    expect(farNight.pushed_at.getTime()).toBeGreaterThanOrEqual(windowEnds);

    const failed = await admin('GET', `/api/admin/beds24/jobs?state=failed&property_id=${world.propertyId}`);
    expect(failed.body.data).toEqual([]);
    const { rows: retried } = await world.database.db.raw(
      `select id from pgboss.job where name = 'beds24-sync' and retry_count > 0`,
    );
    expect(retried).toEqual([]);
    expect(world.sandbox.requests.filter((r) => r.status === 429)).toEqual([]);
    expectWithinCreditWindows(world.sandbox.requests, LIMIT, WINDOW_SECONDS);
  }, 180_000);
});
