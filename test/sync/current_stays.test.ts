import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { fakeClock, type FakeClock } from '../helpers/fake_clock.ts';
import { createReservation } from '../helpers/fixtures.ts';
import { bookingsOf, startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';
import { createTestDatabase } from '../helpers/test_database.ts';

/**
 * "Current and future" is the property's own date: a stay that checked out yesterday there is over,
 * whatever the database's date is. 11:30 UTC is already tomorrow in Kiritimati (UTC+14) and just after
 * midnight in Pago Pago (UTC-11), so the database's date and the hotel's disagree in both directions.
 */
async function databaseDate(): Promise<string> {
  const database = await createTestDatabase();
  try {
    const { rows } = await database.db.raw('select current_date::text as d');
    return rows[0].d as string;
  } finally {
    await database.drop();
  }
}

type Stay = 'twoDaysAgo' | 'yesterday' | 'today' | 'future';

for (const timezone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
  describe(`current and future stays in ${timezone}`, () => {
    let world: SyncWorld;
    let clock: FakeClock;
    const stays: Record<Stay, string> = { twoDaysAgo: '', yesterday: '', today: '', future: '' };
    const booking = (stay: Stay) => bookingsOf(world.sandbox, stays[stay])[0]!;
    const modifiedTimes = (): Record<string, string> =>
      Object.fromEntries(Object.keys(stays).map((stay) => [stay, booking(stay as Stay).modifiedTime]));

    beforeAll(async () => {
      clock = fakeClock(new Date(`${await databaseDate()}T11:30:00Z`));
      world = await startSyncWorld(
        [
          { name: 'double', units: 1 },
          { name: 'suite', units: 1 },
        ],
        { timezone, clock, horizonDays: 20 },
      );
      const day = (n: number): string => addDays(todayIn(timezone, clock.now()), n);
      const room = world.rooms[0]![0]!;
      const first = await createReservation(world.app, room, { check_in: day(-4), check_out: day(-2) });
      const guest = { guest: undefined, guest_id: first.guest_id };
      const book = async (from: number, to: number): Promise<string> =>
        (await createReservation(world.app, room, { ...guest, check_in: day(from), check_out: day(to) })).id;
      stays.twoDaysAgo = first.id;
      stays.yesterday = await book(-2, -1);
      stays.today = await book(-1, 0);
      stays.future = await book(2, 4);
      await waitForIdle(world);
      for (const id of Object.values(stays)) expect(bookingsOf(world.sandbox, id)).toHaveLength(1);
    });

    afterAll(async () => {
      await world.close();
    });

    it('a guest edit rewrites stays checking out today or later, not those that ended 1 or 2 days ago', async () => {
      clock.advance(60_000);
      const before = modifiedTimes();
      const guestId = (await world.app.request('GET', `/api/reservations/${stays.today}`)).body.guest_id;
      const res = await world.app.request('PATCH', `/api/guests/${guestId}`, { phone: '+686 75021234' });
      expect(res.status).toBe(200);
      await waitForIdle(world);
      const after = modifiedTimes();
      expect(after.twoDaysAgo).toBe(before.twoDaysAgo);
      expect(after.yesterday).toBe(before.yesterday);
      expect(after.today).not.toBe(before.today);
      expect(after.future).not.toBe(before.future);
    });

    it('a room remap moves the stays checking out today or later, not those that ended', async () => {
      clock.advance(60_000);
      const [a, b] = world.beds24RoomIds as [number, number];
      const before = modifiedTimes();
      const res = await world.app.request('PATCH', `/api/rooms/${world.rooms[0]![0]}`, { beds24_room_id: b });
      expect(res.status).toBe(200);
      await waitForIdle(world);
      expect(booking('twoDaysAgo')).toMatchObject({ roomId: a, modifiedTime: before.twoDaysAgo });
      expect(booking('yesterday')).toMatchObject({ roomId: a, modifiedTime: before.yesterday });
      expect(booking('today').roomId).toBe(b);
      expect(booking('future').roomId).toBe(b);
    });
  });
}
