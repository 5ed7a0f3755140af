import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { createReservation } from '../helpers/fixtures.ts';
import { bookingsOf, startSyncWorld, waitForIdle, type SyncWorld } from '../helpers/sync_harness.ts';

let world: SyncWorld;
const day = (n: number): string => addDays(todayIn('UTC', new Date()), n);

beforeAll(async () => {
  world = await startSyncWorld([{ name: 'double', units: 8 }], {
    tuning: { retryDelaySeconds: 1, retryDelayMaxSeconds: 1, retryLimit: 30 },
  });
  await waitForIdle(world);
});

afterAll(async () => {
  await world.close();
});

describe('answers lost after Beds24 applied the write', () => {
  it('never creates a duplicate booking, over many rounds', async () => {
    world.sandbox.setFaults({ dropRate: 0.5, onlyPaths: ['/bookings'] });
    const created: Array<{ id: string }> = [];
    // Rounds go on until enough answers were really lost: coalescing makes the number of posts per round vary.
    const droppedPosts = (): number => world.sandbox.requests.filter((r) => r.dropped && r.method === 'POST').length;
    for (let round = 0; round < 8 || (droppedPosts() <= 3 && round < 30); round += 1) {
      const batch = await Promise.all(
        world.rooms[0]!.slice(0, 4).map((room, i) =>
          createReservation(world.app, room, { check_in: day(10 + round * 4 + i), check_out: day(11 + round * 4 + i) }),
        ),
      );
      created.push(...batch);
      await world.app.request('PATCH', `/api/reservations/${batch[0]!.id}`, { notes: `round ${round}` });
      await waitForIdle(world, 60_000);
    }
    world.sandbox.clearFaults();
    expect(droppedPosts()).toBeGreaterThan(3);

    for (const res of created) {
      const bookings = bookingsOf(world.sandbox, res.id);
      expect(bookings, `reservation ${res.id}`).toHaveLength(1);
      const stored = await world.app.request('GET', `/api/reservations/${res.id}`);
      expect(stored.body.beds24_booking_id).toBe(bookings[0]!.id);
      expect(stored.body.beds24_sync.state).toBe('synced');
    }
    expect(world.sandbox.bookings().length).toBe(created.length);
  }, 180_000);
});
