import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { createReservation } from '../helpers/fixtures.ts';
import { eventually } from '../helpers/inbound.ts';
import { bookingsOf, databaseNow, startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';

let world: SyncWorld;
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);
const numAvail = (from: number, to: number): number[] =>
  world.sandbox.calendar(world.beds24RoomIds[0]!, day(from), day(to)).map((cell) => cell.numAvail as number);

const refusedBookingWrites = (): number =>
  world.sandbox.requests.filter((r) => r.method === 'POST' && r.path === '/bookings' && r.status >= 500).length;

/** Waits until a calendar run has come and gone since now: it found the bookings refused and sent what it may. */
async function waitForCalendarAttempt(): Promise<void> {
  const since = await databaseNow(world);
  await eventually(
    async () => {
      const { rows } = await world.database.db.raw(
        `select 1 from pgboss.job where name = 'beds24-sync' and data->>'kind' = 'availability'
         and started_on >= ? and state in ('retry', 'completed', 'failed')`,
        [since],
      );
      return rows.length;
    },
    (n) => n > 0,
  );
}

beforeAll(async () => {
  world = await startSyncWorld([{ name: 'double', units: 2 }]);
  // Beds24 moves a written numAvail with every booking change, the PMS's own writes included.
  world.sandbox.setInventoryModel(world.accountId, 'decrement');
  await waitForIdle(world);
});

afterAll(async () => {
  await world.close();
});

describe('a booking write that reaches Beds24 after the calendar already counted it', () => {
  it('sends the nights it moved again, so a decrementing Beds24 does not end one unit off', async () => {
    const room = world.rooms[0]![0]!;
    const created = await createReservation(world.app, room, { check_in: day(5), check_out: day(7) });
    await waitForIdle(world);
    expect(numAvail(5, 6)).toEqual([1, 1]);

    // The cancellation's booking write fails for a while: the count it raises waits for it, since Beds24
    // still holds the booking.
    world.sandbox.setFaults({ errorRate: 1, onlyPaths: ['POST /bookings'] });
    const refused = refusedBookingWrites();
    const cancel = await world.app.request('DELETE', `/api/reservations/${created.id}`);
    expect(cancel.status).toBe(200);
    await eventually(refusedBookingWrites, (n) => n >= refused + 2);
    await waitForCalendarAttempt();
    expect(numAvail(5, 6)).toEqual([1, 1]);
    world.sandbox.clearFaults();
    await eventually(
      () => bookingsOf(world.sandbox, created.id)[0]?.status,
      (status) => status === 'cancelled',
    );
    await waitForIdle(world);

    expect(numAvail(5, 6)).toEqual([2, 2]);
    expect(world.sandbox.overPublished(world.beds24RoomIds[0]!, day(0), day(30))).toEqual([]);
  }, 60_000);

  it('also when the booking moves to other nights: the nights it left and the nights it took', async () => {
    const room = world.rooms[0]![1]!;
    const created = await createReservation(world.app, room, { check_in: day(10), check_out: day(12) });
    await waitForIdle(world);
    expect(numAvail(10, 13)).toEqual([1, 1, 2, 2]);

    world.sandbox.setFaults({ errorRate: 1, onlyPaths: ['POST /bookings'] });
    const refused = refusedBookingWrites();
    const move = await world.app.request('PATCH', `/api/reservations/${created.id}`, {
      check_in: day(12),
      check_out: day(14),
    });
    expect(move.status).toBe(200);
    // The nights the move takes close at once; those it leaves reopen only once Beds24 has the move.
    await eventually(
      () => numAvail(10, 13),
      (cells) => cells.join() === '1,1,1,1',
    );
    await eventually(refusedBookingWrites, (n) => n >= refused + 2);
    world.sandbox.clearFaults();
    await eventually(
      () => bookingsOf(world.sandbox, created.id)[0]?.arrival,
      (arrival) => arrival === day(12),
    );
    await waitForIdle(world);

    expect(numAvail(10, 13)).toEqual([2, 2, 1, 1]);
  }, 60_000);
});
